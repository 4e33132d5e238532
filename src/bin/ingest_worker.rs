//! The ingest worker: Trunk builds it as a Web Worker
//! (`index.html`, `data-type="worker"`), and the page starts it for each
//! load (`load::worker`).

fn main() {
    console_error_panic_hook::set_once();
    spanloupe::load::worker::serve();
}
