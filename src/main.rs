//! The browser entry point: mount the app, nothing else.

fn main() {
    // A panic in WASM otherwise shows only "unreachable" in the console.
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(spanloupe::App);
}
