"""The viewer in a real browser: opening data every way, the trace list, the
waterfall (collapse, search, keyboard, deep links) and the inspector."""

import base64
import json
import pathlib
import struct
import zlib

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CORPUS, console_errors
from harness import serve

WAIT_SECONDS = 30


def wait_for(driver, selector):
    return WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def wait_text(driver, selector, text):
    WebDriverWait(driver, WAIT_SECONDS).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))
    return driver.find_element(By.CSS_SELECTOR, selector)


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")


def row_named(driver, name):
    for row in rows(driver):
        label = row.find_element(By.CSS_SELECTOR, ".sl-row__label").text
        if label == name:
            return row
    raise AssertionError(f"no row named {name!r} among {[r.text for r in rows(driver)]}")


def open_demo(driver, app_url):
    driver.get(app_url)
    wait_text(driver, "[data-testid=trace-name]", "invoke_agent trip_planner")


def write_json(path: pathlib.Path, data) -> pathlib.Path:
    path.write_text(json.dumps(data))
    return path


def open_files(driver, app_url, *paths):
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    file_input = driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]")
    file_input.send_keys("\n".join(str(p) for p in paths))


def test_open_a_corpus_file_through_the_file_input(driver, app_url):
    open_files(driver, app_url, CORPUS / "jaeger-otel_traces_01.json")
    wait_text(driver, "[data-testid=trace-name]", "test-general-conversion")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=source-name]").text == "jaeger-otel_traces_01.json"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=error-count]").text == "1 error"
    note = driver.find_element(By.CSS_SELECTOR, "[data-testid=orphan-note]").text
    assert note.startswith("1 span whose parent is not in the data")
    row = row_named(driver, "test-general-conversion")
    assert row.find_element(By.CSS_SELECTOR, ".sl-row__orphan").text == "orphan"
    assert console_errors(driver) == []


def test_a_jaeger_download_opens_through_the_file_input(driver, app_url):
    open_files(driver, app_url, CORPUS / "jaeger-apiv2-domain_03.json")
    wait_text(driver, "[data-testid=source-name]", "jaeger-apiv2-domain_03.json")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "get"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "2 spans"
    first = rows(driver)[0]
    first.click()
    inspector = wait_for(driver, "[data-testid=inspector-name]")
    assert inspector.text == "get"
    attributes = driver.find_element(By.CSS_SELECTOR, "[data-testid=inspector]").text
    assert "http.url" in attributes and "http://127.0.0.1:15598/client_transactions" in attributes

    open_files(driver, app_url, CORPUS / "jaeger-otlp2jaeger-out.jaeger.json")
    wait_text(driver, "[data-testid=source-name]", "jaeger-otlp2jaeger-out.jaeger.json")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "okey-dokey-0"
    assert [row.find_element(By.CSS_SELECTOR, ".sl-row__label").text for row in rows(driver)] == ["okey-dokey-0", "okey-dokey-0"]
    assert console_errors(driver) == []


def test_a_zipkin_file_opens_through_the_file_input(driver, app_url):
    open_files(driver, app_url, CORPUS / "zipkin-skew.json")
    wait_text(driver, "[data-testid=source-name]", "zipkin-skew.json")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "get"
    # The shared span is two rows: the client half, and under it the server half.
    labels = [row.find_element(By.CSS_SELECTOR, ".sl-row__label").text for row in rows(driver)]
    assert labels == ["get", "post", "post", "async"], labels
    assert console_errors(driver) == []


def test_a_ci_log_with_console_exporter_output_opens_through_the_file_input(driver, app_url):
    open_files(driver, app_url, CORPUS / "generated-python-console-exporter.txt")
    wait_text(driver, "[data-testid=source-name]", "generated-python-console-exporter.txt")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "ci_recipe_smoke_test"
    labels = [row.find_element(By.CSS_SELECTOR, ".sl-row__label").text for row in rows(driver)]
    assert labels == ["ci_recipe_smoke_test", "load_fixtures", "chat gpt-4o-mini", "validate_answer"], labels
    warnings = driver.find_element(By.CSS_SELECTOR, "[data-testid=warnings]")
    assert "1 warning" in warnings.text
    assert "6 lines of other output skipped" in warnings.get_attribute("textContent")
    assert console_errors(driver) == []


def test_a_ci_log_with_otlp_json_lines_opens_through_the_file_input(driver, app_url, tmp_path: pathlib.Path):
    # A collector's debug output echoed into a CI log: each request on a
    # line of its own after a timestamp, other output between them.
    request = (CORPUS / "otelproto-trace.json").read_text()
    one_line = json.dumps(json.loads(request), separators=(",", ":"))
    log = "\n".join([
        "2026-12-05T10:00:00.000Z ##[group]Run integration tests",
        "2026-12-05T10:00:01.123Z collecting ... 3 items",
        f"2026-12-05T10:00:02.456Z {one_line}",
        "2026-12-05T10:00:03.000Z PASSED tests/test_api.py::test_checkout",
        "2026-12-05T10:00:03.100Z ##[endgroup]",
    ])
    path = tmp_path / "ci-run.log"
    path.write_text(log)
    open_files(driver, app_url, path)
    wait_text(driver, "[data-testid=source-name]", "ci-run.log")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "I'm a server span"
    warnings = driver.find_element(By.CSS_SELECTOR, "[data-testid=warnings]")
    assert "4 lines of other output skipped" in warnings.get_attribute("textContent")
    assert console_errors(driver) == []


def test_files_of_different_formats_open_together_in_one_view(driver, app_url):
    open_files(
        driver,
        app_url,
        CORPUS / "jaeger-otlp2jaeger-out.jaeger.json",
        CORPUS / "zipkin-skew.json",
        CORPUS / "generated-python-console-exporter.txt",
        CORPUS / "otelproto-trace.json",
    )
    summary = wait_text(driver, "[data-testid=trace-list-summary]", "4 traces")
    assert summary.text == "4 traces · 11 spans"
    names = {row.find_element(By.CSS_SELECTOR, ".sl-trace-row__name").text for row in driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]")}
    assert names == {"okey-dokey-0", "get", "ci_recipe_smoke_test", "I'm a server span"}, names
    assert console_errors(driver) == []


def test_open_by_url_then_pick_a_trace_from_the_list(driver, app_url, corpus_url, artifacts):
    driver.get(f"{app_url}?url={corpus_url}oteltui-demo-fileexporter.jsonl")
    summary = wait_text(driver, "[data-testid=trace-list-summary]", "141 traces")
    assert summary.text == "141 traces · 547 spans"
    # Only the rows on screen are drawn (and a few past its edges).
    assert 20 <= len(driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]")) <= 60
    driver.save_screenshot(str(artifacts / "trace-list.png"))
    # Sort by spans, descending: the biggest trace first.
    driver.find_element(By.XPATH, "//th//button[starts-with(normalize-space(), 'Spans')]").click()
    first = driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]")[0]
    counts = [int(r.find_elements(By.CSS_SELECTOR, "td")[2].text) for r in driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]")]
    assert counts == sorted(counts, reverse=True)
    first.find_element(By.CSS_SELECTOR, ".sl-trace-row__name").click()
    wait_for(driver, "[data-testid=waterfall]")
    assert len(rows(driver)) == counts[0]
    driver.find_element(By.CSS_SELECTOR, "[data-testid=back-to-list]").click()
    wait_text(driver, "[data-testid=trace-list-summary]", "141 traces")


def test_a_url_the_browser_may_not_read_explains_cors(driver, app_url, corpus_url_without_cors):
    driver.get(f"{app_url}?url={corpus_url_without_cors}otelproto-trace.json")
    error = wait_for(driver, "[data-testid=load-error]").text
    assert "Access-Control-Allow-Origin" in error


def test_a_url_that_is_not_found_says_so(driver, app_url, corpus_url):
    driver.get(f"{app_url}?url={corpus_url}no-such-file.json")
    error = wait_for(driver, "[data-testid=load-error]").text
    assert "HTTP 404" in error


def test_a_malformed_file_shows_its_error_with_position(driver, app_url, tmp_path: pathlib.Path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"abc"}]}]}]}')
    open_files(driver, app_url, broken)
    error = wait_for(driver, "[data-testid=load-error]").text
    assert error.startswith("line 1, column ")
    assert 'span id must be 16 hex characters (or base64 of 8 bytes), found "abc"' in error
    # The start screen stays usable under the error.
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=start-screen]").is_displayed()


def test_collapse_and_expand(driver, app_url):
    open_demo(driver, app_url)
    assert len(rows(driver)) == 9
    row_named(driver, "execute_tool get_weather").find_element(By.CSS_SELECTOR, ".sl-row__toggle").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 6)
    assert row_named(driver, "execute_tool get_weather").get_attribute("aria-expanded") == "false"
    driver.find_element(By.CSS_SELECTOR, "[data-testid=collapse-all]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 1)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=expand-all]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 9)


def many_span_trace(tmp_path: pathlib.Path, count: int) -> pathlib.Path:
    """One root and `count - 1` children, named by their place: "span 17"
    is the 18th row."""
    trace_id = "0af7651916cd43dd8448eb211c80319c"
    spans = [{
        "traceId": trace_id, "spanId": f"{i + 1:016x}", "parentSpanId": "" if i == 0 else f"{1:016x}",
        "name": f"span {i}", "startTimeUnixNano": str(1_000_000 + i * 10), "endTimeUnixNano": str(1_000_000 + i * 10 + 5),
        **({"status": {"code": 2}} if i % 7 == 3 else {}),
    } for i in range(count)]
    return write_json(tmp_path / "many.json", {"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]})


def test_scrolling_shows_the_rows_under_the_screen_in_the_same_elements(driver, app_url, tmp_path: pathlib.Path, artifacts):
    open_files(driver, app_url, many_span_trace(tmp_path, 3000))
    wait_text(driver, "[data-testid=span-count]", "3,000 spans")
    shown = """
        return [...document.querySelectorAll('[data-testid=waterfall] [role=row]')]
          .filter(r => r.style.display !== 'none')
          .map(r => [Number(r.getAttribute('aria-rowindex')), r.querySelector('.sl-row__label').textContent,
                     r.classList.contains('sl-row--error'), r.offsetTop])
          .sort((a, b) => a[0] - b[0]);
    """
    first = driver.execute_script(shown)
    # A screen and an overscan, not 3,000 rows.
    assert 10 < len(first) < 120, len(first)
    assert first[0][:2] == [1, "span 0"]
    driver.execute_script("window.__rowElements = [...document.querySelectorAll('[data-testid=waterfall] [role=row]')]")
    # A jump of many screens, then a step of a few rows.
    for top in (2000 * 24, 2000 * 24 + 3 * 24):
        driver.execute_script("document.querySelector('[data-testid=waterfall]').scrollTop = arguments[0]", top)
        first_row = top // 24 + 1
        WebDriverWait(driver, WAIT_SECONDS).until(
            lambda d: any(r[0] == first_row for r in d.execute_script(shown)))
        rows_now = driver.execute_script(shown)
        for index, label, error, offset in rows_now:
            # Each element shows the row of its place, where that row goes.
            assert label == f"span {index - 1}", (index, label)
            assert error == ((index - 1) % 7 == 3), (index, error)
            assert offset == (index - 1) * 24, (index, offset)
        positions = [r[0] for r in rows_now]
        assert positions == list(range(positions[0], positions[0] + len(positions))), positions
        assert positions[0] <= first_row < positions[-1]
    # The rows are the elements made for the first screen, reused.
    assert driver.execute_script("""
        const now = [...document.querySelectorAll('[data-testid=waterfall] [role=row]')];
        return now.length === window.__rowElements.length && now.every(r => window.__rowElements.includes(r));
    """)
    # A reused row selects the span it shows now, and only that row is selected.
    driver.find_element(By.CSS_SELECTOR, '[role=row][aria-rowindex="2010"]').click()
    wait_text(driver, "[data-testid=inspector-name]", "span 2009")
    assert driver.find_element(By.CSS_SELECTOR, '[role=row][aria-rowindex="2010"]').get_attribute("aria-selected") == "true"
    assert len(driver.find_elements(By.CSS_SELECTOR, "[role=row][aria-selected=true]")) == 1
    driver.save_screenshot(str(artifacts / "waterfall-scrolled.png"))
    # Back at the top, the root still folds its 2,999 children.
    driver.execute_script("document.querySelector('[data-testid=waterfall]').scrollTop = 0")
    root_toggle = wait_for(driver, '[role=row][aria-rowindex="1"] .sl-row__toggle')
    root_toggle.click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(d.execute_script(shown)) == 1)
    assert console_errors(driver) == []


def test_search_steps_through_matches_and_filters(driver, app_url):
    open_demo(driver, app_url)
    search = driver.find_element(By.CSS_SELECTOR, "[data-testid=search]")
    search.send_keys("weather-api")
    wait_text(driver, "[data-testid=match-count]", "3 matches")
    assert len(driver.find_elements(By.CSS_SELECTOR, ".sl-row--match")) == 3
    search.send_keys(Keys.ENTER)
    wait_text(driver, "[data-testid=match-count]", "1 of 3")
    search.send_keys(Keys.ENTER)
    wait_text(driver, "[data-testid=match-count]", "2 of 3")
    search.send_keys(Keys.SHIFT, Keys.ENTER)
    wait_text(driver, "[data-testid=match-count]", "1 of 3")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=only-matches]").click()
    # The matches and their ancestors: agent, tool, two GETs, the server span.
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 5)
    names = [r.find_element(By.CSS_SELECTOR, ".sl-row__label").text for r in rows(driver)]
    assert names == ["invoke_agent trip_planner", "execute_tool get_weather", "GET", "GET", "GET /v1/forecast"]


def test_next_error_selects_the_failed_request(driver, app_url):
    open_demo(driver, app_url)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=next-error]").click()
    name = wait_for(driver, "[data-testid=inspector-name]")
    assert name.text == "GET"
    selected = driver.find_element(By.CSS_SELECTOR, ".sl-row--selected")
    assert "sl-row--error" in selected.get_attribute("class")


def test_selecting_a_span_shows_its_details(driver, app_url, artifacts):
    open_demo(driver, app_url)
    row_named(driver, "execute_tool get_weather").click()
    wait_text(driver, "[data-testid=inspector-name]", "execute_tool get_weather")
    inspector = driver.find_element(By.CSS_SELECTOR, "[data-testid=inspector]")
    attributes = {
        row.find_element(By.CSS_SELECTOR, "th").text: row.find_element(By.CSS_SELECTOR, "td").text
        for row in inspector.find_elements(By.CSS_SELECTOR, "[data-testid=attributes] tr")
    }
    assert attributes["gen_ai.tool.call.id"].startswith("call_demo_weather1")
    assert attributes["gen_ai.operation.name"].startswith("execute_tool")
    assert inspector.find_element(By.CSS_SELECTOR, "[data-testid=inspector-span-id]").text.startswith("a1b2c3d4e5f60004")
    assert inspector.find_element(By.CSS_SELECTOR, "[data-fact=Duration]").text == "840 ms"
    # The failed request: an exception event with a readable stack trace.
    row_named(driver, "GET").click()
    events_tab = wait_text(driver, "[data-testid=tab-events]", "Events (1)")
    events_tab.click()
    assert "httpx.HTTPStatusError" in driver.find_element(By.CSS_SELECTOR, ".sl-event-item--exception").text
    assert driver.find_element(By.CSS_SELECTOR, ".sl-value--code").text.startswith("Traceback (most recent call last):")
    driver.save_screenshot(str(artifacts / "waterfall-and-inspector.png"))
    # The raw JSON is built when opened, and is the span's OTLP JSON.
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid=raw-json]") == []
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-raw]").click()
    raw = json.loads(wait_for(driver, "[data-testid=raw-json]").text)
    assert raw["spanId"] == "a1b2c3d4e5f60005" and raw["status"]["code"] == 2
    assert console_errors(driver) == []


def test_keyboard_navigation(driver, app_url):
    open_demo(driver, app_url)
    waterfall = driver.find_element(By.CSS_SELECTOR, "[data-testid=waterfall]")
    waterfall.click()
    waterfall.send_keys(Keys.HOME)
    wait_text(driver, "[data-testid=inspector-name]", "invoke_agent trip_planner")
    waterfall.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    wait_text(driver, "[data-testid=inspector-name]", "POST")
    waterfall.send_keys(Keys.ARROW_LEFT)  # a leaf: go to its parent
    wait_text(driver, "[data-testid=inspector-name]", "chat gpt-4o-mini")
    waterfall.send_keys(Keys.ARROW_LEFT)  # collapse it
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 8)
    waterfall.send_keys(Keys.ARROW_RIGHT)  # expand it again
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 9)
    # Enter moves the focus to the details; `/` focuses the search box.
    waterfall.send_keys(Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("data-testid") == "inspector"
    waterfall.click()
    waterfall.send_keys("/")
    assert driver.switch_to.active_element.get_attribute("data-testid") == "search"


def test_a_deep_link_reopens_the_selected_span(driver, app_url):
    open_demo(driver, app_url)
    row_named(driver, "GET /v1/forecast").click()
    wait_text(driver, "[data-testid=inspector-name]", "GET /v1/forecast")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: "span=a1b2c3d4e5f60007" in d.current_url)
    link = driver.current_url
    assert "#trace=4bf92f3577b34da6a3ce929d0e0e4736" in link
    driver.get("about:blank")
    driver.get(link)
    wait_text(driver, "[data-testid=inspector-name]", "GET /v1/forecast")
    assert driver.find_element(By.CSS_SELECTOR, ".sl-row--selected .sl-row__label").text == "GET /v1/forecast"


def test_a_traces_file_and_its_logs_file_open_together(driver, app_url):
    open_files(
        driver,
        app_url,
        CORPUS / "generated-openai-v2-legacy-events.traces.json",
        CORPUS / "generated-openai-v2-legacy-events.logs.json",
    )
    wait_text(driver, "[data-testid=trace-name]", "recipe_question")
    sources = driver.find_element(By.CSS_SELECTOR, "[data-testid=source-name]").text
    assert sources == "generated-openai-v2-legacy-events.traces.json, generated-openai-v2-legacy-events.logs.json"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "4 spans"
    # The messages live only in the logs file: the chat span shows them as a conversation.
    row_named(driver, "chat gpt-4o-mini").click()
    messages = wait_for(driver, "[data-testid=messages]")
    assert "How many grams is 2 cups of flour?" in messages.find_element(By.CSS_SELECTOR, "[data-role=user]").text
    call = messages.find_element(By.CSS_SELECTOR, ".sl-tool--call")
    assert call.get_attribute("data-tool-call-id") == "call_pub_convert01"
    assert "convert_units" in call.text and '"ingredient": "flour"' in call.text
    assert messages.find_element(By.CSS_SELECTOR, "[data-fact='Read from']").text == "OpenTelemetry GenAI events"
    # The Events tab lists the log records that carried them.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-events]").click()
    names = [e.find_element(By.CSS_SELECTOR, "strong").text for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid=event-item]")]
    assert "gen_ai.user.message" in names and "gen_ai.choice" in names, names


def test_pasted_json_opens(driver, app_url):
    open_demo(driver, app_url)
    text = (CORPUS / "otelproto-trace.json").read_text()
    driver.execute_script(
        """
        const data = new DataTransfer();
        data.setData('text/plain', arguments[0]);
        window.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        """,
        text,
    )
    wait_text(driver, "[data-testid=trace-name]", "I'm a server span")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=source-name]").text == "pasted text"


def test_dropped_files_open_together(driver, app_url):
    open_demo(driver, app_url)
    traces = (CORPUS / "generated-openai-v2-latest.traces.json").read_text()
    logs = (CORPUS / "generated-openai-v2-latest.logs.json").read_text()
    driver.execute_script(
        """
        const data = new DataTransfer();
        data.items.add(new File([arguments[0]], 'chat.traces.json', {type: 'application/json'}));
        data.items.add(new File([arguments[1]], 'chat.logs.json', {type: 'application/json'}));
        const app = document.querySelector('.sl-app');
        app.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));
        app.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
        """,
        traces,
        logs,
    )
    wait_text(driver, "[data-testid=source-name]", "chat.traces.json, chat.logs.json")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "recipe_question"


def test_recent_files_reopen_from_the_start_screen(driver, app_url):
    open_files(driver, app_url, CORPUS / "jaeger-example_trace.json")
    wait_text(driver, "[data-testid=source-name]", "jaeger-example_trace.json")
    driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
    recent = wait_for(driver, ".sl-recent__item")
    assert recent.find_element(By.CSS_SELECTOR, ".sl-recent__name").text == "jaeger-example_trace.json"
    recent.find_element(By.CSS_SELECTOR, "button").click()
    wait_text(driver, "[data-testid=span-count]", "5 spans")


def tick_labels(driver):
    return [t.text for t in driver.find_elements(By.CSS_SELECTOR, ".sl-ruler__tick")]


def test_zoom_with_the_overview_and_the_keyboard(driver, app_url, artifacts):
    from selenium.webdriver.common.action_chains import ActionChains

    open_demo(driver, app_url)
    assert tick_labels(driver)[0] == "0"
    overview = driver.find_element(By.CSS_SELECTOR, "[data-testid=minimap]")
    width = overview.size["width"]
    # Drag from 30% to 55% of the trace (1.25 s to 2.3 s).
    (
        ActionChains(driver)
        .move_to_element_with_offset(overview, int(-width / 2 + width * 0.30), 0)
        .click_and_hold()
        .move_by_offset(int(width * 0.25), 0)
        .release()
        .perform()
    )
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: tick_labels(d) and tick_labels(d)[0] != "0")
    labels = tick_labels(driver)
    assert labels[0] == "1.4 s" and labels[-1] == "2.2 s", labels
    driver.save_screenshot(str(artifacts / "zoomed.png"))
    driver.find_element(By.CSS_SELECTOR, "[data-testid=reset-zoom]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: tick_labels(d)[0] == "0")
    # W zooms in around the middle, 0 resets.
    waterfall = driver.find_element(By.CSS_SELECTOR, "[data-testid=waterfall]")
    waterfall.send_keys("w")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: tick_labels(d)[0] != "0")
    waterfall.send_keys("0")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: tick_labels(d)[0] == "0")


def test_a_deep_link_into_data_from_a_url(driver, app_url, corpus_url):
    # A trace of the collector file, and one of its spans.
    link = (
        f"{app_url}?url={corpus_url}jaegerui-otlp2jaeger-multi-in.jsonl"
        "#trace=c620759e5d60fafb8ee0922b30e06bc6&span=49b8e9efa1e8a3b1"
    )
    driver.get(link)
    wait_text(driver, "[data-testid=inspector-name]", "info")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "main"


CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p.name != "SOURCES.md")


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_supported_corpus_file_opens(driver, app_url, corpus_url, name):
    driver.get(f"{app_url}?url={corpus_url}{name}")
    shown = WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=trace-name], [data-testid=trace-list-summary], .sl-empty, [data-testid=load-error]")
    )[0]
    assert shown.get_attribute("data-testid") != "load-error", shown.text
    if shown.get_attribute("data-testid") == "trace-name":
        # A single trace: its rows are there and a span can be inspected.
        first = rows(driver)[0]
        first.click()
        wait_for(driver, "[data-testid=inspector-name]")
    elif "sl-empty" in (shown.get_attribute("class") or ""):
        assert "log record" in shown.text, "logs-only files say what they hold"
    assert console_errors(driver) == []


def test_collapsing_the_parent_of_the_selected_span_sticks(driver, app_url):
    open_demo(driver, app_url)
    row_named(driver, "GET /v1/forecast").click()
    wait_text(driver, "[data-testid=inspector-name]", "GET /v1/forecast")
    row_named(driver, "execute_tool get_weather").find_element(By.CSS_SELECTOR, ".sl-row__toggle").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 6)
    assert row_named(driver, "execute_tool get_weather").get_attribute("aria-expanded") == "false"


def test_a_chat_span_opens_on_its_messages(driver, app_url, artifacts):
    open_demo(driver, app_url)
    row_named(driver, "chat gpt-4o-mini").click()
    messages = wait_for(driver, "[data-testid=messages]")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-messages]").get_attribute("aria-selected") == "true"
    user = messages.find_element(By.CSS_SELECTOR, "[data-role=user]")
    assert "What will the weather be like in Lisbon on Saturday?" in user.text
    call = messages.find_element(By.CSS_SELECTOR, ".sl-tool--call")
    assert call.get_attribute("data-tool-call-id") == "call_demo_weather1"
    assert "get_weather" in call.text and '"city": "Lisbon"' in call.text
    assert messages.find_element(By.CSS_SELECTOR, "[data-fact=Tokens]").text == "182 in · 41 out · 223 total"
    driver.save_screenshot(str(artifacts / "messages.png"))
    # The Attributes tab still has the attributes.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-attributes]").click()
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=attributes]").is_displayed()


def test_message_content_renders_inert(driver, app_url, tmp_path: pathlib.Path):
    attack = (
        "**bold**\n\n<script>window.pwned = 1</script>\n\n<img src=x onerror=\"window.pwned = 2\">\n\n"
        "[click](javascript:window.pwned=3) and <a href=\"javascript:window.pwned=4\">raw link</a>"
    )
    output = json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": attack}]}])
    trace = {
        "resourceSpans": [{"scopeSpans": [{"spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "chat evil",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.output.messages", "value": {"stringValue": output}},
            ],
        }]}]}]
    }
    open_files(driver, app_url, write_json(tmp_path / "xss.json", trace))
    wait_text(driver, "[data-testid=trace-name]", "chat evil")
    row_named(driver, "chat evil").click()
    messages = wait_for(driver, "[data-testid=messages]")
    assert messages.find_elements(By.CSS_SELECTOR, "script, img[onerror], [onerror]") == []
    for link in messages.find_elements(By.CSS_SELECTOR, "a"):
        assert not (link.get_attribute("href") or "").lower().startswith("javascript")
    assert messages.find_element(By.CSS_SELECTOR, "strong").text == "bold"
    assert "<script>window.pwned = 1</script>" in messages.text, "raw HTML is shown as text"
    assert driver.execute_script("return window.pwned === undefined")


def tiny_png(width: int, height: int) -> bytes:
    """A real PNG of one colour, for a picture the browser must decode."""
    row = b"\x00" + bytes((200, 30, 30)) * width
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def test_an_inline_image_shows_as_its_picture(driver, app_url, tmp_path: pathlib.Path, artifacts):
    picture = base64.b64encode(tiny_png(3, 2)).decode()
    parts = [
        {"type": "text", "content": "What colour is this?"},
        {"type": "blob", "modality": "image", "mime_type": "image/png", "content": picture},
    ]
    trace = {
        "resourceSpans": [{"scopeSpans": [{"spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "chat vision",
            "startTimeUnixNano": "1795168800040000000", "endTimeUnixNano": "1795168801040000000",
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.input.messages", "value": {"stringValue": json.dumps([{"role": "user", "parts": parts}])}},
            ],
        }]}]}]
    }
    open_files(driver, app_url, write_json(tmp_path / "vision.json", trace))
    wait_text(driver, "[data-testid=trace-name]", "chat vision")
    row_named(driver, "chat vision").click()
    messages = wait_for(driver, "[data-testid=messages]")
    image = messages.find_element(By.CSS_SELECTOR, ".sl-media img")
    # Shown from the bytes (a blob address), and decoded as the 3x2 picture.
    assert image.get_attribute("src").startswith("blob:")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.execute_script("return arguments[0].complete", image))
    assert driver.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image) == [3, 2]
    assert "image/png" in messages.find_element(By.CSS_SELECTOR, ".sl-media").text
    driver.save_screenshot(str(artifacts / "message-image.png"))
    # The local start time names its offset from UTC, that of the browser's zone.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-attributes]").click()
    local = driver.find_element(By.CSS_SELECTOR, "[data-fact='Start (local)']").get_attribute("textContent")
    offset = driver.execute_script("return -new Date(1795168800040).getTimezoneOffset()")
    sign, minutes = ("-" if offset < 0 else "+"), abs(offset)
    assert local.endswith(f"UTC{sign}{minutes // 60:02}:{minutes % 60:02}"), local
    assert ":00.040 " in local, local
    assert console_errors(driver) == []


def test_genai_spans_have_icons_models_tokens_and_totals(driver, app_url):
    open_demo(driver, app_url)
    kinds = {
        row.find_element(By.CSS_SELECTOR, ".sl-row__label").text: row.find_element(By.CSS_SELECTOR, ".sl-genai-icon").get_attribute("data-kind")
        for row in rows(driver)
        if row.find_elements(By.CSS_SELECTOR, ".sl-genai-icon")
    }
    assert kinds == {"invoke_agent trip_planner": "agent", "chat gpt-4o-mini": "inference", "execute_tool get_weather": "tool"}
    chips = [c.get_attribute("textContent") for c in driver.find_elements(By.CSS_SELECTOR, ".sl-row__genai")]
    assert chips == ["223 tok · gpt-4o-mini-2024-07-18", "319 tok · gpt-4o-mini-2024-07-18"]
    totals = " ".join(driver.find_element(By.CSS_SELECTOR, "[data-testid=model-tokens]").text.split())
    # And their cost: $0.15 in and $0.60 out per million tokens.
    assert totals == "gpt-4o-mini-2024-07-18 2 calls · 443 in · 99 out · 542 tokens $0.00013"


def test_a_later_call_folds_the_repeated_history_and_links_tools(driver, app_url, artifacts):
    open_demo(driver, app_url)
    chats = [r for r in rows(driver) if r.find_element(By.CSS_SELECTOR, ".sl-row__label").text == "chat gpt-4o-mini"]
    chats[1].click()
    messages = wait_for(driver, "[data-testid=messages]")
    repeated = messages.find_element(By.CSS_SELECTOR, "[data-testid=repeated-history]")
    assert repeated.find_element(By.CSS_SELECTOR, "summary").text.startswith("2 earlier messages repeated from the previous call")
    assert not repeated.find_element(By.CSS_SELECTOR, ".sl-bubble").is_displayed(), "folded by default"
    new = messages.find_elements(By.CSS_SELECTOR, ".sl-bubble[data-new=true]")
    assert [b.get_attribute("data-role") for b in new] == ["tool"]
    assert "Lisbon" in new[0].text
    driver.save_screenshot(str(artifacts / "messages-history.png"))
    # The result jumps to its call, which unfolds nothing but scrolls to it.
    repeated.find_element(By.CSS_SELECTOR, "summary").click()
    assert repeated.find_element(By.CSS_SELECTOR, ".sl-tool--call").is_displayed()
    new[0].find_element(By.XPATH, ".//button[normalize-space()='call ↑']").click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: "sl-flash" in repeated.find_element(By.CSS_SELECTOR, ".sl-tool--call").get_attribute("class")
    )
    # "go to it" selects the previous call; its tool call leads to the tool span.
    repeated.find_element(By.XPATH, ".//button[normalize-space()='go to it']").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.find_element(By.CSS_SELECTOR, ".sl-row--selected") == chats[0])
    wait_for(driver, "[data-testid=messages] [data-testid=go-to-tool-span]").click()
    wait_text(driver, "[data-testid=inspector-name]", "execute_tool get_weather")
    assert console_errors(driver) == []


def test_the_conversation_view_threads_calls_and_tools(driver, app_url, artifacts):
    open_demo(driver, app_url)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-conversation]").click()
    conversation = wait_for(driver, "[data-testid=conversation]")
    steps = conversation.find_elements(By.CSS_SELECTOR, ".sl-step")
    assert [s.get_attribute("data-testid") for s in steps] == ["step-call", "step-tool", "step-call"]
    first, tool, second = steps
    assert "What will the weather be like in Lisbon on Saturday?" in first.find_element(By.CSS_SELECTOR, "[data-role=user]").text
    assert first.find_element(By.CSS_SELECTOR, ".sl-tool--call").get_attribute("data-tool-call-id") == "call_demo_weather1"
    assert tool.get_attribute("data-tool-call-id") == "call_demo_weather1"
    assert "Sunny spells" in tool.find_element(By.CSS_SELECTOR, "[data-testid=tool-result]").text
    # The second call shows what is new: the tool's answer, then its own.
    assert second.find_element(By.CSS_SELECTOR, ".sl-repeated summary").text == "2 messages from earlier in the conversation"
    visible_roles = [b.get_attribute("data-role") for b in second.find_elements(By.CSS_SELECTOR, ".sl-bubble") if b.is_displayed()]
    assert visible_roles == ["tool", "assistant"]
    assert "sunny spells" in second.find_element(By.CSS_SELECTOR, ".sl-step__output").text
    driver.save_screenshot(str(artifacts / "conversation.png"))
    # Each step leads to its span; the view is part of the link.
    tool.find_element(By.CSS_SELECTOR, "[data-testid=step-span]").click()
    wait_text(driver, "[data-testid=inspector-name]", "execute_tool get_weather")
    assert "sl-step--selected" in tool.get_attribute("class")
    link = driver.current_url
    assert "view=conversation" in link
    driver.get("about:blank")
    driver.get(link)
    wait_for(driver, "[data-testid=conversation]")
    wait_text(driver, "[data-testid=inspector-name]", "execute_tool get_weather")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-waterfall]").click()
    wait_for(driver, "[data-testid=waterfall]")
    assert console_errors(driver) == []


def test_a_long_conversation_shows_its_steps_a_hundred_at_a_time(driver, app_url, tmp_path: pathlib.Path, artifacts):
    count = 230
    spans = [{
        "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": f"{i + 1:016x}", "name": f"chat {i:03}",
        "startTimeUnixNano": str(1_000_000 + i * 1000), "endTimeUnixNano": str(1_000_500 + i * 1000),
        "attributes": [
            {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
            {"key": "gen_ai.input.messages", "value": {"stringValue": json.dumps(
                [{"role": "user", "parts": [{"type": "text", "content": f"question {i}"}]}])}},
        ],
    } for i in range(count)]
    open_files(driver, app_url, write_json(tmp_path / "long-run.json", {"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}))
    wait_text(driver, "[data-testid=trace-name]", "chat 000")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-conversation]").click()
    conversation = wait_for(driver, "[data-testid=conversation]")
    # The rest of the steps are counted after the first page is shown.
    wait_text(driver, "[data-testid=conversation-summary]", f"{count} steps in time order")

    def names():
        return driver.execute_script(
            "return [...arguments[0].querySelectorAll('.sl-step .sl-step__name')].map(n => n.textContent)", conversation)

    assert names() == [f"chat {i:03}" for i in range(100)]
    first = conversation.find_element(By.CSS_SELECTOR, ".sl-step")
    more = driver.find_element(By.CSS_SELECTOR, "[data-testid=conversation-more]")
    assert more.text == "Show 100 more"
    driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", more)
    driver.save_screenshot(str(artifacts / "conversation-more.png"))
    more.click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(names()) == 200)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=conversation-more]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(names()) == count)
    assert names() == [f"chat {i:03}" for i in range(count)]
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid=conversation-more]") == []
    # Pages are added: the first page's elements are the ones shown first.
    assert first.find_element(By.CSS_SELECTOR, ".sl-step__name").text == "chat 000"
    assert "question 229" in conversation.find_elements(By.CSS_SELECTOR, ".sl-step")[-1].text
    assert console_errors(driver) == []


def test_user_feedback_shows_on_the_call_it_rates(driver, app_url, tmp_path: pathlib.Path):
    trace_id, span_id = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    data = {
        "resourceSpans": [{"scopeSpans": [{"spans": [{
            "traceId": trace_id, "spanId": span_id, "name": "chat gpt-4o",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.response.id", "value": {"stringValue": "chatcmpl-123"}},
            ],
        }]}]}],
        # Feedback arrives later, outside the span: matched by response id.
        "resourceLogs": [{"scopeLogs": [{"logRecords": [{
            "timeUnixNano": "9000", "eventName": "gen_ai.evaluation.user_feedback",
            "attributes": [
                {"key": "gen_ai.response.id", "value": {"stringValue": "chatcmpl-123"}},
                {"key": "gen_ai.evaluation.score", "value": {"doubleValue": -1.0}},
            ],
            "body": {"kvlistValue": {"values": [{"key": "comment", "value": {"stringValue": "It ignored my question"}}]}},
        }]}]}],
    }
    open_files(driver, app_url, write_json(tmp_path / "feedback.json", data))
    wait_text(driver, "[data-testid=trace-name]", "chat gpt-4o")
    row_named(driver, "chat gpt-4o").click()
    feedback = wait_for(driver, "[data-testid=messages] [data-testid=feedback]")
    assert "It ignored my question" in feedback.text and "-1" in feedback.text
    assert "sl-feedback__item--negative" in feedback.get_attribute("class")


@pytest.mark.parametrize(
    "name",
    [
        "generated-openai-v2-latest.traces.json",
        "generated-openai-v2-file-exporter.jsonl",
        "generated-traceloop-openai-0.44-legacy.traces.json",
        "generated-traceloop-openai-0.62.traces.json",
        "generated-openinference-openai.traces.json",
    ],
)
def test_every_genai_convention_shows_the_conversation(driver, app_url, corpus_url, name):
    driver.get(f"{app_url}?url={corpus_url}{name}")
    wait_text(driver, "[data-testid=trace-name]", "recipe_question")
    first_call = next(r for r in rows(driver) if r.find_elements(By.CSS_SELECTOR, ".sl-genai-icon[data-kind=inference]"))
    first_call.click()
    messages = wait_for(driver, "[data-testid=messages]")
    assert "How many grams is 2 cups of flour?" in messages.text
    assert messages.find_element(By.CSS_SELECTOR, ".sl-tool--call").get_attribute("data-tool-call-id") == "call_pub_convert01"
    totals = " ".join(driver.find_element(By.CSS_SELECTOR, "[data-testid=model-tokens]").text.split())
    assert totals == "gpt-4o-mini-2024-07-18 2 calls · 192 in · 49 out · 241 tokens $0.000058"
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-conversation]").click()
    conversation = wait_for(driver, "[data-testid=conversation]")
    assert "2 cups of all-purpose flour is about 250 g" in conversation.text
    assert console_errors(driver) == []


def parsed_where(driver):
    return driver.execute_script(
        "return ['in-worker', 'on-page'].filter(w => performance.getEntriesByName('spanloupe:parsed-' + w).length)"
    )


def big_trace(tmp_path: pathlib.Path):
    """A file over the 2 MB the page reads itself: the worker reads it."""
    trace = {
        "resourceSpans": [{"scopeSpans": [{"spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "big span",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
            "attributes": [{"key": "payload", "value": {"stringValue": "x" * 3_000_000}}],
        }]}]}]
    }
    return write_json(tmp_path / "big.json", trace)


@pytest.mark.parametrize("size", ["small", "big"])
def test_files_are_parsed_in_a_worker(driver, app_url, tmp_path: pathlib.Path, size):
    if size == "small":
        open_files(driver, app_url, CORPUS / "otelproto-trace.json")
        wait_text(driver, "[data-testid=trace-name]", "I'm a server span")
    else:
        open_files(driver, app_url, big_trace(tmp_path))
        wait_text(driver, "[data-testid=trace-name]", "big span")
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=source-name]").text == "big.json"
    assert parsed_where(driver) == ["in-worker"]
    assert console_errors(driver) == []


def test_a_file_read_in_the_worker_shows_its_progress(driver, app_url, tmp_path: pathlib.Path):
    # 40 MB: read in many chunks, so the worker reports progress on the way.
    trace = {
        "resourceSpans": [{"scopeSpans": [{"spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "big span",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
            "attributes": [{"key": "payload", "value": {"stringValue": "x" * 40_000_000}}],
        }]}]}]
    }
    path = write_json(tmp_path / "progress.json", trace)
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    # Every loading status the page shows, as it shows it.
    driver.execute_script("""
        window.__statuses = [];
        new MutationObserver(() => {
          const status = document.querySelector('[data-testid=loading]');
          const text = status ? status.textContent : null;
          if (text && window.__statuses[window.__statuses.length - 1] !== text) window.__statuses.push(text);
        }).observe(document.body, {childList: true, subtree: true, characterData: true});
    """)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
    wait_text(driver, "[data-testid=trace-name]", "big span")
    assert parsed_where(driver) == ["in-worker"]
    statuses = driver.execute_script("return window.__statuses")
    reading = [s for s in statuses if s.startswith("Reading progress.json: ")]
    # Some progress between nothing and everything, then indexing, in that order.
    partial = [s for s in reading if not s.startswith("Reading progress.json: 0 B of")]
    assert partial, statuses
    assert any(s.startswith("Indexing progress.json") for s in statuses[statuses.index(partial[0]):]), statuses
    assert console_errors(driver) == []


def large_trace(elements: int, spans_per_element: int):
    """OTLP JSON over the 16 MB a file must have to be read in parts: one
    trace, one resourceSpans element per line, each span with a payload."""
    trace_id = "0af7651916cd43dd8448eb211c80319c"
    lines = []
    for e in range(elements):
        spans = []
        for s in range(spans_per_element):
            i = e * spans_per_element + s + 1
            spans.append({
                "traceId": trace_id, "spanId": f"{i:016x}", "parentSpanId": "" if i == 1 else f"{1:016x}",
                "name": f"part-{e} span-{s}", "startTimeUnixNano": str(1_000_000 + i), "endTimeUnixNano": str(2_000_000 + i),
                "attributes": [{"key": "payload", "value": {"stringValue": f"{i} " + "y" * 2_000}}],
            })
        lines.append(json.dumps({
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": f"svc-{e % 3}"}}]},
            "scopeSpans": [{"scope": {"name": "lib"}, "spans": spans}],
        }))
    return '{"resourceSpans":[\n' + ",\n".join(lines) + "\n]}"


def open_with_cores(driver, app_url, cores):
    """The app as on a machine of `cores` cores: it reads a large file with
    as many workers."""
    driver.execute_cdp_cmd("Emulation.setHardwareConcurrencyOverride", {"hardwareConcurrency": cores})
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")


def load_timings(driver):
    """What the workers reported about the last load (the benchmark's marks)."""
    return WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.execute_script(
        "const m = performance.getEntriesByName('spanloupe:reply-decoded')[0]; return m ? m.detail : null;"
    ))


def test_a_large_file_is_read_in_parts_by_several_workers(driver, app_url, tmp_path: pathlib.Path):
    path = tmp_path / "large.json"
    path.write_text(large_trace(40, 220))
    assert path.stat().st_size > 16_000_000
    try:
        open_with_cores(driver, app_url, 3)
        driver.execute_script("performance.clearMarks()")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
        wait_text(driver, "[data-testid=trace-name]", "part-0 span-0")
        assert load_timings(driver)["fileParts"] == 3
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "8,800 spans"
        # Spans of every part are there, with their attributes: the last
        # part's spans are found by their payload.
        search = driver.find_element(By.CSS_SELECTOR, "[data-testid=search]")
        search.send_keys("8800 yyy")
        wait_text(driver, "[data-testid=match-count]", "1 match")
        search.clear()
        search.send_keys("part-39 span")
        wait_text(driver, "[data-testid=match-count]", "220 matches")
        assert console_errors(driver) == []
    finally:
        driver.execute_cdp_cmd("Emulation.setHardwareConcurrencyOverride", {"hardwareConcurrency": 2})


def test_a_large_url_is_read_in_parts_by_several_workers(driver, app_url, tmp_path: pathlib.Path):
    # Fetched on the page, its body is handed to the workers as a file, not
    # copied into the page's memory: they cut it in parts as a dropped file.
    (tmp_path / "large.json").write_text(large_trace(40, 220))
    url, server = serve(tmp_path, cors=True)
    try:
        open_with_cores(driver, app_url, 3)
        driver.get(f"{app_url}?url={url}large.json")
        wait_text(driver, "[data-testid=trace-name]", "part-0 span-0")
        assert load_timings(driver)["fileParts"] == 3
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "8,800 spans"
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=source-name]").text == f"{url}large.json"
        assert console_errors(driver) == []
    finally:
        server.shutdown()
        driver.execute_cdp_cmd("Emulation.setHardwareConcurrencyOverride", {"hardwareConcurrency": 2})


def large_jaeger_trace(spans: int):
    """Jaeger JSON of one trace over 16 MB, as Jaeger UI downloads it: its
    processes, and a warning, after its spans."""
    trace_id = "0af7651916cd43dd8448eb211c80319c"
    rows = []
    for i in range(1, spans + 1):
        references = [] if i == 1 else [{"refType": "CHILD_OF", "traceID": trace_id, "spanID": f"{1:016x}"}]
        rows.append(json.dumps({
            "traceID": trace_id, "spanID": f"{i:016x}", "flags": 1, "operationName": f"jaeger span-{i}",
            "references": references, "startTime": 1_700_000_000_000_000 + i, "duration": 1_000,
            "tags": [{"key": "payload", "type": "string", "value": f"{i} " + "y" * 2_000}],
            "logs": [], "processID": "p1" if i % 2 else "p2", "warnings": None,
        }))
    processes = {"p1": {"serviceName": "front", "tags": []},
                 "p2": {"serviceName": "back", "tags": [{"key": "host", "type": "string", "value": "h1"}]}}
    return ('{"data":[{"traceID":"%s","spans":[\n' % trace_id + ",\n".join(rows)
            + '\n],"processes":%s,"warnings":["clock skew adjustment disabled"]}],"total":0,"limit":0,"offset":0,"errors":null}'
            % json.dumps(processes))


def test_a_large_jaeger_trace_is_read_in_parts_by_several_workers(driver, app_url, tmp_path: pathlib.Path):
    # Its processes come after its spans: the page reads the file's end
    # too, and every part gets them.
    path = tmp_path / "large.jaeger.json"
    path.write_text(large_jaeger_trace(8_000))
    assert path.stat().st_size > 16_000_000
    try:
        open_with_cores(driver, app_url, 3)
        driver.execute_script("performance.clearMarks()")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
        wait_text(driver, "[data-testid=trace-name]", "jaeger span-1")
        assert load_timings(driver)["fileParts"] == 3
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "8,000 spans"
        # The last part's spans are there, with their service from the
        # processes at the file's end.
        search = driver.find_element(By.CSS_SELECTOR, "[data-testid=search]")
        search.send_keys("7999 yyy")
        wait_text(driver, "[data-testid=match-count]", "1 match")
        search.clear()
        search.send_keys("back")
        wait_text(driver, "[data-testid=match-count]", "4,000 matches")
        # Jaeger's warning on the trace, once.
        warnings = driver.find_element(By.CSS_SELECTOR, "[data-testid=warnings]")
        assert "1 warning" in warnings.text, warnings.text
        assert "clock skew adjustment disabled" in warnings.get_attribute("textContent")
        assert console_errors(driver) == []
    finally:
        driver.execute_cdp_cmd("Emulation.setHardwareConcurrencyOverride", {"hardwareConcurrency": 2})


def test_an_error_in_a_large_files_later_part_is_told_as_for_a_whole_read(driver, app_url, tmp_path: pathlib.Path):
    text = large_trace(40, 220)
    # A span id of the last element (line 41) is cut short.
    at = text.rindex('"spanId": "') + len('"spanId": "')
    text = text[:at] + "abc" + text[at + 16:]
    path = tmp_path / "broken-large.json"
    path.write_text(text)
    errors = []
    try:
        # Read whole by one worker, then in parts by two.
        for cores in (1, 2):
            open_with_cores(driver, app_url, cores)
            driver.execute_script("performance.clearMarks()")
            driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
            errors.append(wait_for(driver, "[data-testid=load-error]").text)
            timings = load_timings(driver)
            if cores == 2:
                assert timings["fileParts"] == 1 and "wholeMs" in timings, timings
    finally:
        driver.execute_cdp_cmd("Emulation.setHardwareConcurrencyOverride", {"hardwareConcurrency": 2})
    assert errors[0].startswith("line 41, column "), errors[0]
    assert 'spanId: span id must be 16 hex characters (or base64 of 8 bytes), found "abc"' in errors[0]
    assert errors[1] == errors[0]


@pytest.mark.parametrize("size", ["small", "big"])
def test_without_workers_files_still_open(driver, app_url, tmp_path: pathlib.Path, size):
    # A host that forbids workers (or a page opened from disk): the load runs
    # on the page. Workers are off before the app starts its spare one.
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": "window.Worker = function () { throw new Error('workers are off'); };"},
    )
    try:
        driver.get(app_url)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    wait_for(driver, "[data-testid=trace-name]")
    path = CORPUS / "otelproto-trace.json" if size == "small" else big_trace(tmp_path)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
    wait_text(driver, "[data-testid=trace-name]", "I'm a server span" if size == "small" else "big span")
    assert parsed_where(driver) == ["on-page"]


def test_long_values_and_messages_are_collapsed(driver, app_url, tmp_path: pathlib.Path):
    long_answer = "\n\n".join(f"Paragraph {i}: " + "word " * 40 for i in range(60))
    output = json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": long_answer}]}])
    trace = {
        "resourceSpans": [{"scopeSpans": [{"spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "chat long",
            "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
            "attributes": [
                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                {"key": "gen_ai.output.messages", "value": {"stringValue": output}},
                {"key": "payload", "value": {"stringValue": "x" * 3_000_000}},
            ],
        }]}]}]
    }
    open_files(driver, app_url, write_json(tmp_path / "long.json", trace))
    wait_text(driver, "[data-testid=trace-name]", "chat long")
    row_named(driver, "chat long").click()
    bubble = wait_for(driver, "[data-testid=messages] [data-role=assistant]")
    toggle = bubble.find_element(By.CSS_SELECTOR, ".sl-show-all")
    assert toggle.text == f"show all ({len(long_answer):,} characters)"
    # Collapsed, only the start is rendered at all; the rest when asked for.
    markdown = bubble.find_element(By.CSS_SELECTOR, ".sl-markdown")
    assert "Paragraph 3:" in markdown.get_attribute("textContent")
    assert "Paragraph 59:" not in markdown.get_attribute("textContent")
    toggle.click()
    assert toggle.text == "show less"
    assert "sl-markdown--expanded" in markdown.get_attribute("class")
    assert "Paragraph 59:" in markdown.get_attribute("textContent")
    # The 3 MB attribute shows its start; the rest on request.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-attributes]").click()
    cell = next(
        row.find_element(By.CSS_SELECTOR, "td")
        for row in driver.find_elements(By.CSS_SELECTOR, "[data-testid=attributes] tr")
        if row.find_element(By.CSS_SELECTOR, "th").text == "payload"
    )
    assert cell.find_element(By.CSS_SELECTOR, ".sl-show-all").text == "show all (3,000,000 characters)"
    assert len(cell.find_element(By.CSS_SELECTOR, ".sl-value--string").text) < 1_000
    # The raw JSON shows the start of each long value and its length.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-raw]").click()
    raw = json.loads(wait_for(driver, "[data-testid=raw-json]").get_attribute("textContent"))
    payload = next(a["value"]["stringValue"] for a in raw["attributes"] if a["key"] == "payload")
    assert payload == "x" * 10_000 + "… (3000000 characters in all)"
    assert console_errors(driver) == []


def test_the_link_carries_the_span_tab_search_and_zoom_and_copy_link_copies_it(driver, app_url, corpus_url):
    driver.get(f"{app_url}?url={corpus_url}generated-openai-v2-latest.traces.json")
    wait_text(driver, "[data-testid=trace-name]", "recipe_question")
    row_named(driver, "convert_units").click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-raw]").click()
    search = driver.find_element(By.CSS_SELECTOR, "[data-testid=search]")
    search.send_keys("chat gpt")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=only-matches]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: "only=1" in d.current_url)
    link = driver.current_url
    assert "span=a4239c7018f208d6" in link and "tab=raw" in link and "q=chat%20gpt" in link, link
    # Zoomed to the second half of the trace, as a link writes it.
    link += "&zoom=1795303325402000000-1795303325457754439"
    # Copy link puts the address on the clipboard.
    driver.execute_script("window.__copied = null; navigator.clipboard.writeText = t => { window.__copied = t; return Promise.resolve(); };")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=copy-link]").click()
    wait_text(driver, "[data-testid=copy-link]", "Link copied")
    assert driver.execute_script("return window.__copied;") == driver.current_url

    # The link alone, in a fresh page, shows the same view.
    driver.get("about:blank")
    driver.get(link)
    wait_text(driver, "[data-testid=inspector-name]", "convert_units")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-raw]").get_attribute("aria-selected") == "true"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=search]").get_attribute("value") == "chat gpt"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=only-matches]").is_selected()
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=reset-zoom]").is_enabled(), "zoomed"
    assert "zoom=1795303325402000000-1795303325457754439" in driver.current_url
    assert console_errors(driver) == []


def test_the_link_carries_collapsed_spans(driver, app_url, corpus_url):
    driver.get(f"{app_url}?url={corpus_url}generated-openai-v2-latest.traces.json")
    wait_text(driver, "[data-testid=trace-name]", "recipe_question")
    row_named(driver, "recipe_question").find_element(By.CSS_SELECTOR, ".sl-row__toggle").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: "collapsed=" in d.current_url)
    link = driver.current_url
    assert len(rows(driver)) == 1
    driver.get("about:blank")
    driver.get(link)
    wait_text(driver, "[data-testid=trace-name]", "recipe_question")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(rows(d)) == 1)
    assert row_named(driver, "recipe_question").get_attribute("aria-expanded") == "false"
