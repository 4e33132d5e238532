//! Component tests in headless Chromium (`cargo test --target
//! wasm32-unknown-unknown`, see .cargo/config.toml): mount the app into a
//! fresh element and read what it shows.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into.
fn host() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host.dyn_into().unwrap()
}

fn text_of(host: &HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn the_app_opens_on_the_demo_trace() {
    let host = host();
    let _mounted = leptos::mount::mount_to(host.clone(), spanloupe::App);
    assert_eq!(
        text_of(&host, "[data-testid=trace-name]"),
        "invoke_agent trip_planner"
    );
    assert_eq!(text_of(&host, "[data-testid=span-count]"), "9 spans");
    assert_eq!(text_of(&host, "[data-testid=error-count]"), "1 error");
    assert_eq!(
        host.query_selector_all("[role=treeitem]").unwrap().length(),
        9
    );
    let services = host.query_selector_all(".sl-service").unwrap();
    assert_eq!(services.length(), 2);
}
