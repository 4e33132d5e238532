//! Component tests in headless Chromium (`cargo test --target
//! wasm32-unknown-unknown`, see .cargo/config.toml): mount the app into a
//! fresh element and read what it shows.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap in a helper is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into, and a URL without the hash an
/// earlier test's selection wrote (the app would open that span).
fn host() -> HtmlElement {
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    let path = window.location().pathname().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    let document = window.document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host.dyn_into().unwrap()
}

/// Lets the reactive system settle until `done` holds (at most 100 ticks).
async fn settle(done: impl Fn() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        leptos::task::tick().await;
    }
}

fn row_count(host: &HtmlElement) -> u32 {
    host.query_selector_all("[role=row]").unwrap().length()
}

fn text_of(host: &HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

/// The app mounted into a fresh element, and the handle that unmounts it
/// when dropped. Its rows are drawn by an effect, which runs once the mount
/// returns: this waits for them.
async fn mount_app() -> (HtmlElement, impl Drop) {
    let host = host();
    let mounted = leptos::mount::mount_to(host.clone(), spanloupe::App);
    settle(|| row_count(&host) > 0).await;
    (host, mounted)
}

#[wasm_bindgen_test]
async fn the_app_opens_on_the_demo_trace() {
    let (host, _mounted) = mount_app().await;
    assert_eq!(
        text_of(&host, "[data-testid=trace-name]"),
        "invoke_agent trip_planner"
    );
    assert_eq!(text_of(&host, "[data-testid=span-count]"), "9 spans");
    assert_eq!(text_of(&host, "[data-testid=error-count]"), "1 error");
    assert_eq!(host.query_selector_all("[role=row]").unwrap().length(), 9);
    let services = host.query_selector_all(".sl-service").unwrap();
    assert_eq!(services.length(), 2);
}

#[wasm_bindgen_test]
async fn collapsing_a_span_hides_its_children() {
    let (host, _mounted) = mount_app().await;
    let toggle = host
        .query_selector("[role=row][aria-expanded=true] .sl-row__toggle")
        .unwrap()
        .expect("the root has a collapse toggle")
        .dyn_into::<HtmlElement>()
        .unwrap();
    toggle.click();
    settle(|| row_count(&host) == 1).await;
    assert_eq!(row_count(&host), 1, "only the root is left");
}

#[wasm_bindgen_test]
async fn selecting_a_row_opens_its_details() {
    let (host, _mounted) = mount_app().await;
    let rows = host.query_selector_all("[role=row]").unwrap();
    let tool_row = (0..rows.length())
        .filter_map(|i| rows.get(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .find(|row| {
            row.text_content()
                .unwrap_or_default()
                .contains("execute_tool get_weather")
        })
        .expect("the tool span's row");
    tool_row.click();
    settle(|| {
        host.query_selector("[data-testid=inspector-name]")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(
        text_of(&host, "[data-testid=inspector-name]"),
        "execute_tool get_weather"
    );
    assert!(text_of(&host, "[data-testid=attributes]").contains("call_demo_weather1"));
}
