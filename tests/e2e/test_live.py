"""The viewer served by `spanloupe-collect`: the live list shows what a real
OpenTelemetry exporter sends without a reload, a trace opens on its
messages, and an open trace takes the spans that keep arriving in place."""

import json
import pathlib
import sys

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "collect"))

from collector import Collector  # noqa: E402
from conftest import DIST, console_errors  # noqa: E402
from sdk_app import exporters, run_app  # noqa: E402

WAIT_SECONDS = 30


def wait_until(driver, condition, message):
    return WebDriverWait(driver, WAIT_SECONDS).until(lambda d: condition(d), message)


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


@pytest.fixture
def live_collector():
    if not (DIST / "index.html").is_file():
        pytest.fail("dist/index.html is missing: run `trunk build --release` first (scripts/test.sh does)")
    collector = Collector("--memory", "--ui", str(DIST))
    yield collector
    collector.stop()


def test_traces_appear_live_and_open_on_their_messages(driver, live_collector, artifacts):
    driver.get(live_collector.url + "/")
    wait_until(driver, lambda d: css(d, "[data-testid=live-connection]") and css(d, "[data-testid=live-connection]")[0].text == "Live", "the live list connects")
    # The first list is read (what is there on opening is not marked new).
    wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=live-updated]").text.startswith("updated "), "the list is read")
    assert css(driver, "[data-testid=live-empty]"), "an empty collector says how to send to it"

    sent = run_app(*exporters("http/protobuf", live_collector.url))
    trace_id = sent["recipe_question"][0]
    row_selector = f"[data-testid=live-trace][data-trace-id='{trace_id}']"
    # No reload: the change stream brings it, marked new, with its model and
    # tokens once its root has come. (The list is drawn again on each change:
    # its cells are read in one go.)
    expected = ["recipe-assistant", "recipe_questionnew", "3", "1", "gpt-4o-mini-2024-07-18", "192 in · 49 out"]

    def listed(d):
        cells = d.execute_script(
            "const row = document.querySelector(arguments[0]);"
            "return row ? [...row.querySelectorAll('td')].map(c => c.textContent) : null;",
            row_selector,
        )
        return cells if cells and cells[1:7] == expected else None

    wait_until(driver, listed, f"the trace appears in the live list as {expected}")
    wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=live-status]").text == "2 traces · 4 spans", "the status counts the warm-up trace too")
    driver.save_screenshot(str(artifacts / "live-list.png"))

    driver.find_element(By.CSS_SELECTOR, row_selector).click()
    wait_until(driver, lambda d: css(d, "[data-testid=trace-name]") and css(d, "[data-testid=trace-name]")[0].text == "recipe_question", "the trace opens")
    chat = next(r for r in css(driver, "[data-testid=waterfall] [role=row]") if r.find_element(By.CSS_SELECTOR, ".sl-row__label").text == "chat gpt-4o-mini")
    chat.click()
    messages = wait_until(driver, lambda d: (css(d, "[data-testid=messages]") or [None])[0], "the messages show")
    assert "How long do I boil an egg?" in messages.text
    assert "Nine minutes." in messages.text

    # A span that arrives later joins the open trace in place; the
    # selection stays on the model call.
    root_span = sent["recipe_question"][1]
    late = {
        "resourceSpans": [{
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "recipe-assistant"}}]},
            "scopeSpans": [{"scope": {"name": "recipe.app"}, "spans": [{
                "traceId": trace_id, "spanId": "00000000000000f1", "parentSpanId": root_span,
                "name": "late step", "kind": 1,
                "startTimeUnixNano": "1", "endTimeUnixNano": "2",
            }]}],
        }]
    }
    posted = requests.post(live_collector.url + "/v1/traces", data=json.dumps(late), headers={"Content-Type": "application/json"}, timeout=30)
    assert posted.status_code == 200
    wait_until(
        driver,
        lambda d: any(r.text.startswith("late step") or "late step" in r.text for r in css(d, "[data-testid=waterfall] [role=row]")),
        "the late span shows in the open trace",
    )
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "4 spans"
    selected = css(driver, "[data-testid=waterfall] [role=row][aria-selected=true]")
    assert [r.find_element(By.CSS_SELECTOR, ".sl-row__label").text for r in selected] == ["chat gpt-4o-mini"]
    assert "How long do I boil an egg?" in driver.find_element(By.CSS_SELECTOR, "[data-testid=messages]").text

    back = driver.find_element(By.CSS_SELECTOR, "[data-testid=back-to-list]")
    assert back.text == "← Live traces"
    back.click()
    wait_until(driver, lambda d: css(d, row_selector), "back on the live list")
    assert console_errors(driver) == []


def test_a_collector_with_a_token_asks_for_it_and_never_shows_it(driver, artifacts):
    collector = Collector("--memory", "--ui", str(DIST), "--token", "s3cret+token")
    try:
        driver.get(collector.url + "/")
        field = wait_until(driver, lambda d: (css(d, "[data-testid=live-token-input]") or [None])[0], "the page asks for the token")
        field.send_keys("wrong")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=live-token-submit]").click()
        wait_until(driver, lambda d: "refused this token" in d.find_element(By.CSS_SELECTOR, "[data-testid=live-token]").text, "a wrong token is refused")
        field = driver.find_element(By.CSS_SELECTOR, "[data-testid=live-token-input]")
        field.clear()
        field.send_keys("s3cret+token")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=live-token-submit]").click()
        # The event stream authenticates too (with access_token=, as an
        # EventSource sends no header).
        wait_until(driver, lambda d: css(d, "[data-testid=live-connection]") and css(d, "[data-testid=live-connection]")[0].text == "Live", "the live list connects with the token")
        wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=live-updated]").text.startswith("updated "), "the list is read")
        # The browser logs the two refusals (without the token, and with the wrong one).
        refusals = console_errors(driver)
        assert refusals and all("401" in e for e in refusals), refusals

        headers = {"Authorization": "Bearer s3cret+token"}
        sent = run_app(*exporters("http/protobuf", collector.url, headers=headers))
        trace_id = sent["recipe_question"][0]
        row_selector = f"[data-testid=live-trace][data-trace-id='{trace_id}']"
        wait_until(driver, lambda d: css(d, row_selector), "a trace sent with the token appears")
        download = driver.find_element(By.CSS_SELECTOR, "[data-testid=live-download]").get_attribute("href")
        assert requests.get(download, timeout=30).status_code == 200

        driver.find_element(By.CSS_SELECTOR, row_selector).click()
        wait_until(driver, lambda d: css(d, "[data-testid=trace-name]") and css(d, "[data-testid=trace-name]")[0].text == "recipe_question", "the trace opens")
        assert "s3cret" not in driver.find_element(By.CSS_SELECTOR, "[data-testid=source-name]").text
        assert "s3cret" not in driver.current_url
        assert driver.execute_script("return JSON.stringify(Object.assign({}, localStorage))").find("s3cret") == -1
        assert console_errors(driver) == []
    finally:
        collector.stop()


def test_the_list_says_when_the_collector_is_gone_and_reconnects(driver, tmp_path):
    db = tmp_path / "live.db"
    first = Collector("--db", str(db), "--ui", str(DIST))
    port = first.http.rsplit(":", 1)[1]
    again = None
    try:
        driver.get(first.url + "/")
        pill = lambda d: (css(d, "[data-testid=live-connection]") or [None])[0]  # noqa: E731
        wait_until(driver, lambda d: pill(d) and pill(d).text == "Live", "the live list connects")
        first.stop()
        wait_until(driver, lambda d: pill(d) and pill(d).text.startswith("Connection lost"), "the list says the connection dropped")
        # The same address again, with the same store: the page finds it by itself.
        again = Collector("--db", str(db), "--ui", str(DIST), "--listen", f"127.0.0.1:{port}")
        trace_id = run_app(*exporters("http/json", again.url))["recipe_question"][0]
        wait_until(driver, lambda d: pill(d) and pill(d).text == "Live", "the list reconnects")
        wait_until(driver, lambda d: css(d, f"[data-testid=live-trace][data-trace-id='{trace_id}']"), "what arrived meanwhile is listed")
        # The browser logged the failed reconnection attempts: expected here.
        console_errors(driver)
    finally:
        first.stop()
        if again:
            again.stop()
