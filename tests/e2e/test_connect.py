"""Connect: the viewer searches and opens traces on a Jaeger (query API v3)
and a Grafana Tempo, here stand-ins on 127.0.0.1 that answer as those
servers document it (Jaeger's v3 search streams one `{"result": …}` per
trace in one body; Tempo answers `/api/echo`, its tag values, its search
summaries, and a trace as `{"trace": …}`). A link reruns the search; a
server without CORS headers is told from one that is not there."""

import http.server
import json
import pathlib
import socket
import sys
import threading
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import console_errors

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "collect"))

from collector import Collector  # noqa: E402
from sdk_app import exporters, run_app  # noqa: E402

WAIT_SECONDS = 30
TRACE_A = "0af7651916cd43dd8448eb211c80319c"
RELEASE = threading.Event()
TRACE_B = "1bf7651916cd43dd8448eb211c80319c"


def otlp_trace(trace_id, root, service="shop", child="SELECT carts", child_attributes=()):
    """OTLP JSON of one trace: a root and a child."""
    spans = [
        {"traceId": trace_id, "spanId": "b7ad6b7169203331", "name": root,
         "startTimeUnixNano": "1765000000000000000", "endTimeUnixNano": "1765000000250000000", "kind": 2},
        {"traceId": trace_id, "spanId": "c7ad6b7169203331", "parentSpanId": "b7ad6b7169203331", "name": child,
         "startTimeUnixNano": "1765000000010000000", "endTimeUnixNano": "1765000000050000000", "kind": 3,
         "attributes": list(child_attributes)},
    ]
    return {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
        "scopeSpans": [{"scope": {"name": "test"}, "spans": spans}],
    }]}


def jaeger_trace(trace_id, root):
    """A trace as Jaeger's v1 API answers it."""
    return {
        "traceID": trace_id,
        "spans": [
            {"traceID": trace_id, "spanID": "b7ad6b7169203331", "operationName": root, "references": [],
             "startTime": 1765000000000000, "duration": 250000, "tags": [{"key": "span.kind", "type": "string", "value": "server"}],
             "logs": [], "processID": "p1", "warnings": None},
            {"traceID": trace_id, "spanID": "c7ad6b7169203331", "operationName": "SELECT carts",
             "references": [{"refType": "CHILD_OF", "traceID": trace_id, "spanID": "b7ad6b7169203331"}],
             "startTime": 1765000000010000, "duration": 40000, "tags": [], "logs": [], "processID": "p1", "warnings": None},
        ],
        "processes": {"p1": {"serviceName": "shop", "tags": []}},
        "warnings": None,
    }


def tempo_trace_by_id(trace):
    """Tempo's `TraceByIDResponse` as protobuf, encoded with the
    OpenTelemetry proto package: field 1 the trace (`tempopb.Trace`, its
    batches at field 1 as in an OTLP request), field 3 the status."""
    from google.protobuf.json_format import ParseDict
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    request = ParseDict(trace, ExportTraceServiceRequest())
    inner = request.SerializeToString()
    return b"\x0a" + varint(len(inner)) + inner + b"\x18\x00"


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


# A model call whose messages Tempo cut at 2 KB, as it does by default.
MESSAGES = json.dumps([{"role": "user", "parts": [{"type": "text", "content": "How much flour? " + "x" * 3000}]}])
TEMPO_TRACE_A = tempo_trace_by_id(otlp_trace(TRACE_A, "GET /cart", child="chat gpt-4o", child_attributes=[
    {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
    {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
    {"key": "gen_ai.input.messages", "value": {"stringValue": MESSAGES[:2048]}},
]))


class Backend(http.server.BaseHTTPRequestHandler):
    """Jaeger v3 under /jaeger, Tempo under /tempo; the queries it was
    asked are kept in `seen`."""

    seen = []
    cors = True
    # Chunked bodies need HTTP/1.1 (every other answer has a length).
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(data)

    def answer_chunked(self, data, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        for at in range(0, len(data), 100):
            chunk = data[at:at + 100]
            self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def do_OPTIONS(self):
        # The preflight of a request with an Authorization header.
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Accept, X-Scope-OrgID")
        self.end_headers()

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        self.seen.append((url.path, query, self.headers.get("Authorization")))
        path = url.path
        if path == "/slow/api/v3/services":
            return self.answer(200, {"services": ["shop"]})
        if path == "/slow/api/v3/traces":
            # Answers once the test lets it (after its Cancel), never by a clock.
            RELEASE.wait(WAIT_SECONDS)
            return self.answer(200, b"")
        if path.startswith("/secure/"):
            # A Jaeger behind a proxy that wants a bearer token.
            if self.headers.get("Authorization") != "Bearer t0ken":
                return self.answer(401, b"unauthorized", "text/plain")
            path = "/jaeger/" + path[len("/secure/"):]
        if path == "/jaeger/api/v3/services":
            return self.answer(200, {"services": ["shop", "auth"]})
        if path == "/jaeger/api/v3/operations":
            return self.answer(200, {"operations": [{"name": "GET /cart", "spanKind": "server"}]})
        if path == f"/jaeger/api/v3/traces/{TRACE_B}":
            return self.answer(200, {"result": otlp_trace(TRACE_B, "POST /order")})
        if path.startswith("/ui/"):
            # A UI that answers every path with its page, as Jaeger UI does.
            return self.answer(200, b"<!doctype html><html><head><title>Jaeger UI</title></head></html>",
                               "text/html")
        if path == "/jaeger/api/v3/traces" and query.get("query.service_name") == ["storage"]:
            # Jaeger's error shape, as its query service answers a failing storage.
            return self.answer(503, {"error": {"httpCode": 503, "message": "cassandra: no hosts available"}})
        if path == "/jaeger/api/v3/traces" and query.get("query.service_name") == ["everything"]:
            # An answer that says it is 3 GB: refused before it is read.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "3000000000")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(b'{"result":')
            self.close_connection = True
            return
        if path == "/jaeger/api/v3/traces" and query.get("query.service_name") == ["auth"]:
            # How Jaeger (and spanloupe-collect) say a search found nothing.
            return self.answer(404, {"error": {"httpCode": 404, "message": "No traces found"}})
        if path == "/jaeger/api/v3/traces":
            # One object per trace, one after the other, as Jaeger streams.
            body = "".join(json.dumps({"result": otlp_trace(t, n)}) + "\n" for t, n in
                           [(TRACE_A, "GET /cart"), (TRACE_B, "POST /order")])
            return self.answer(200, body.encode())
        if path == "/jaegerv1/api/services":
            return self.answer(200, {"data": ["shop"], "total": 1, "limit": 0, "offset": 0, "errors": None})
        if path == "/jaegerv1/api/services/shop/operations":
            return self.answer(200, {"data": ["GET /cart"], "total": 1, "limit": 0, "offset": 0, "errors": None})
        if path == "/jaegerv1/api/traces":
            return self.answer(200, {"data": [jaeger_trace(TRACE_A, "GET /cart")], "total": 0, "limit": 0,
                                     "offset": 0, "errors": None})
        if path == "/tempo/api/echo":
            return self.answer(200, b"echo", "text/plain")
        if path == "/tempo/api/v2/search/tags":
            return self.answer(200, {"scopes": [{"name": "span", "tags": ["http.route"]},
                                                {"name": "resource", "tags": ["service.name"]}]})
        if path == "/tempo/api/v2/search/tag/span.http.route/values":
            return self.answer(200, {"tagValues": [{"type": "string", "value": "/cart"},
                                                   {"type": "string", "value": "/order"}]})
        if path == "/tempo/api/v2/search/tag/resource.service.name/values":
            return self.answer(200, {"tagValues": [{"type": "string", "value": "shop"}]})
        if path == "/tempo/api/search":
            return self.answer(200, {"traces": [
                {"traceID": TRACE_A, "rootServiceName": "shop", "rootTraceName": "GET /cart",
                 "startTimeUnixNano": "1765000000000000000", "durationMs": 250,
                 "spanSets": [{"spans": [], "matched": 2}]},
                {"traceID": TRACE_B.lstrip("0"), "rootServiceName": "shop", "rootTraceName": "POST /order",
                 "startTimeUnixNano": "1765000001000000000", "durationMs": 80,
                 "spanSets": [{"spans": [], "matched": 1}]},
            ], "metrics": {"completedJobs": 1, "totalJobs": 1}})
        if path == f"/tempo/api/v2/traces/{TRACE_A}":
            # Asked for protobuf: a TraceByIDResponse, built by the test,
            # in chunks as Tempo streams it.
            return self.answer_chunked(TEMPO_TRACE_A, "application/protobuf")
        if path == f"/tempo/api/traces/{TRACE_B}":
            # A Tempo without the v2 path answers the first one, as JSON.
            return self.answer(200, {"batches": otlp_trace(TRACE_B, "POST /order")["resourceSpans"]})
        return self.answer(404, b"404 page not found", "text/plain")


def start(cors=True):
    handler = type("Handler", (Backend,), {"seen": [], "cors": cors})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server, handler.seen


@pytest.fixture
def backend():
    url, server, seen = start()
    yield url, seen
    server.shutdown()


def wait_text(driver, selector, text):
    WebDriverWait(driver, WAIT_SECONDS).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text))
    return driver.find_element(By.CSS_SELECTOR, selector)


def wait_for(driver, selector):
    return WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def connect_to(driver, app_url, base, api=""):
    """The start screen's Connect form (the demo opens first)."""
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
    wait_for(driver, "[data-testid=connect-url]").send_keys(base)
    if api:
        Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-api]")).select_by_value(api)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-submit]").click()


def searches(seen, path):
    return [query for p, query, _ in seen if p == path]


def test_jaeger_v3_search_and_open_a_trace(driver, app_url, backend):
    base, seen = backend
    connect_to(driver, app_url, base + "/jaeger")
    wait_text(driver, "[data-testid=connect-api-label]", "Jaeger query API v3")
    service = Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-service]"))
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(service.options) == 3)
    assert [o.text for o in service.options] == ["All services", "auth", "shop"]
    service.select_by_value("shop")
    operation = Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-operation]"))
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(operation.options) == 2)
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-since]")).select_by_value("15m")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    # Both traces of the streamed body are listed.
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    query = searches(seen, "/jaeger/api/v3/traces")[-1]
    assert query["query.service_name"] == ["shop"]
    assert "query.start_time_min" in query and "query.start_time_max" in query
    # The address reruns the search; it holds no secret.
    address = driver.current_url
    assert "connect=" in address and "api=jaeger-v3" in address and "service=shop" in address and "since=15m" in address
    assert wait_for(driver, "[data-testid=connect-updated]").text.startswith("updated ")
    # One click opens a trace; back returns to the results.
    driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]")[0].click()
    back = wait_for(driver, "[data-testid=back-to-list]")
    assert back.text == "← Search results"
    back.click()
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    assert console_errors(driver) == []

    # The link alone, in a fresh page, reruns the same search.
    before = len(searches(seen, "/jaeger/api/v3/traces"))
    driver.get(address)
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    assert len(searches(seen, "/jaeger/api/v3/traces")) == before + 1
    assert searches(seen, "/jaeger/api/v3/traces")[-1]["query.service_name"] == ["shop"]


def test_tempo_is_found_searched_with_traceql_and_a_trace_opened(driver, app_url, backend):
    base, seen = backend
    connect_to(driver, app_url, base + "/tempo")
    # Jaeger's APIs were tried first and answered 404.
    wait_text(driver, "[data-testid=connect-api-label]", "Grafana Tempo")
    traceql = wait_for(driver, "[data-testid=connect-traceql]")
    traceql.send_keys('{ span.http.route = "/cart" }')
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=found-summary]", "2 traces")
    assert searches(seen, "/tempo/api/search")[-1]["q"] == ['{ span.http.route = "/cart" }']
    rows = driver.find_elements(By.CSS_SELECTOR, "[data-testid=found-row]")
    assert "GET /cart" in rows[0].text and "2 spans matched" in rows[0].text
    rows[0].find_element(By.CSS_SELECTOR, "button").click()
    wait_text(driver, "[data-testid=trace-name]", "GET /cart")
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "2 spans"
    # Its model call's messages were cut by Tempo: said so, shown as they came.
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]") if "chat gpt-4o" in r.text)
    row.click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=tab-messages]").click()
    warning = wait_for(driver, "[data-testid=call-warning]").text
    assert "gen_ai.input.messages was truncated by the backend" in warning, warning
    assert "How much flour?" in driver.find_element(By.CSS_SELECTOR, "[data-testid=messages]").text
    driver.find_element(By.CSS_SELECTOR, "[data-testid=back-to-list]").click()
    wait_text(driver, "[data-testid=found-summary]", "2 traces")
    # The second trace: its v2 path is missing, its first path answers.
    driver.find_elements(By.CSS_SELECTOR, "[data-testid=found-row] button")[1].click()
    wait_text(driver, "[data-testid=trace-name]", "POST /order")
    asked = [p for p, _, _ in seen if "/traces/" in p]
    assert asked == [f"/tempo/api/v2/traces/{TRACE_A}", f"/tempo/api/v2/traces/{TRACE_B}", f"/tempo/api/traces/{TRACE_B}"], asked
    # The browser logs the 404s of the probes and of the missing v2 path,
    # and nothing else.
    errors = console_errors(driver)
    assert len(errors) == 3 and all("404 (Not Found)" in e for e in errors), errors
    assert "/tempo/api/v3/services" in errors[0] and "/tempo/api/services" in errors[1], errors


def test_a_server_without_cors_is_told_from_one_that_is_not_there(driver, app_url):
    url, server, _ = start(cors=False)
    try:
        connect_to(driver, app_url, url + "/jaeger", "jaeger-v3")
        error = wait_for(driver, "[data-testid=load-error]").text
        assert "without the CORS headers" in error, error
        assert "spanloupe-collect --proxy" in error, error
    finally:
        server.shutdown()
    # A port nothing listens on.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    connect_to(driver, app_url, f"http://127.0.0.1:{closed}", "jaeger-v3")
    error = wait_text(driver, "[data-testid=load-error]", "Nothing answered").text
    assert f"http://127.0.0.1:{closed}" in error


def test_a_base_url_where_no_api_answers_says_which_were_tried(driver, app_url, backend):
    base, _ = backend
    connect_to(driver, app_url, base + "/nothing")
    error = wait_text(driver, "[data-testid=load-error]", "does not answer as").text
    assert "Jaeger query API v3, nor as Jaeger query API v1, nor as Grafana Tempo (404)" in error, error


def test_a_page_that_is_not_an_api_is_named(driver, app_url, backend):
    base, _ = backend
    connect_to(driver, app_url, base + "/ui")
    error = wait_text(driver, "[data-testid=load-error]", "something other than this API's data").text
    assert 'an HTML page ("Jaeger UI")' in error, error


def test_a_backend_failure_shows_its_own_message(driver, app_url, backend):
    base, _ = backend
    driver.get(f"{app_url}?connect={base}/jaeger&api=jaeger-v3&service=storage")
    error = wait_text(driver, "[data-testid=connect-error]", "failed (503)").text
    assert "cassandra: no hosts available" in error, error
    # An answer larger than a page can hold is refused before it is read.
    driver.get(f"{app_url}?connect={base}/jaeger&api=jaeger-v3&service=everything")
    error = wait_text(driver, "[data-testid=connect-error]", "more than this page can open").text
    assert "the answer is 3 GB" in error, error
    # The form stays, and the next search works.
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-service]")).select_by_value("shop")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=connect-error]")


def test_the_viewer_connects_to_a_running_spanloupe_collect_over_its_v3_api(driver, app_url):
    # The real server of this API that we have: a trace from the real
    # OpenTelemetry SDK, found by a search of the viewer served elsewhere.
    collector = Collector("--memory")
    try:
        sent = run_app(*exporters("http/protobuf", collector.url))
        trace_id = sent["recipe_question"][0]
        driver.get(f"{app_url}?connect={collector.url}&api=jaeger-v3&service=recipe-assistant&since=1h")
        wait_text(driver, "[data-testid=connect-api-label]", "Jaeger query API v3")
        # The app sent a warm-up trace before its request: both are found.
        wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
        row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]") if "recipe_question" in r.text)
        assert "recipe-assistant" in row.text
        row.click()
        wait_text(driver, "[data-testid=trace-name]", "recipe_question")
        assert f"#trace={trace_id}" in driver.current_url
        back = wait_for(driver, "[data-testid=back-to-list]")
        assert back.text == "← Search results"
        back.click()
        service = Select(wait_for(driver, "[data-testid=connect-service]"))
        assert "recipe-assistant" in [o.text for o in service.options]
        assert console_errors(driver) == []
    finally:
        collector.stop()


def test_a_link_to_a_backend_that_needs_credentials_asks_for_them_then_searches(driver, app_url, backend):
    base, seen = backend
    link = f"{app_url}?connect={base}/secure&api=jaeger-v3&service=shop"
    driver.get(link)
    error = wait_text(driver, "[data-testid=load-error]", "needs credentials").text
    assert "(401)" in error, error
    # The form is filled in with the link's backend and asks for credentials.
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-url]").get_attribute("value") == f"{base}/secure"
    token = wait_for(driver, "[data-testid=connect-authorization]")
    token.send_keys("Bearer t0ken")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-remember]").click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-submit]").click()
    # The link's search runs, with the header.
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    searched = [(q, auth) for p, q, auth in seen if p == "/secure/api/v3/traces"]
    assert searched and searched[-1][0]["query.service_name"] == ["shop"] and searched[-1][1] == "Bearer t0ken"
    # The secret is in none of the address, the recent endpoints, the
    # history; it is in this tab's session storage, as asked.
    assert "t0ken" not in driver.current_url
    local = driver.execute_script("return JSON.stringify(Object.assign({}, localStorage));")
    assert f"{base}/secure" in local and "t0ken" not in local, local
    session = driver.execute_script("return JSON.stringify(Object.assign({}, sessionStorage));")
    assert "t0ken" in session
    # The link again, in this tab: let in without asking.
    driver.get(link)
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")


def test_jaeger_v1_is_found_after_v3_and_searched_by_service(driver, app_url, backend):
    base, seen = backend
    connect_to(driver, app_url, base + "/jaegerv1")
    wait_text(driver, "[data-testid=connect-api-label]", "Jaeger query API v1")
    service = Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-service]"))
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(service.options) == 2)
    # v1 searches one service at a time: without one, it says so.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=connect-error]", "choose a service")
    service.select_by_value("shop")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    # One trace found: it opens, its Jaeger JSON read as any Jaeger file.
    wait_text(driver, "[data-testid=trace-name]", "GET /cart")
    query = searches(seen, "/jaegerv1/api/traces")[-1]
    assert query["service"] == ["shop"] and "start" in query and "end" in query and query["limit"] == ["20"]
    driver.find_element(By.CSS_SELECTOR, "[data-testid=back-to-list]").click()
    wait_text(driver, "[data-testid=trace-list-summary]", "1 trace")


def test_refresh_and_auto_refresh_search_again(driver, app_url, backend):
    base, seen = backend
    driver.get(f"{app_url}?connect={base}/jaeger&api=jaeger-v3")
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    count = lambda: len(searches(seen, "/jaeger/api/v3/traces"))  # noqa: E731
    before = count()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-refresh]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: count() == before + 1)
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-auto-refresh]")).select_by_value("10")
    # The search runs again by itself, and the list stays on screen.
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: count() >= before + 2)
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    # The screen drawn again with the new results still says it refreshes.
    setting = Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-auto-refresh]"))
    assert setting.first_selected_option.get_attribute("value") == "10"
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-auto-refresh]")).select_by_value("0")


def test_a_backend_without_cors_is_reached_through_the_collectors_proxy(driver, app_url):
    url, server, seen = start(cors=False)
    collector = Collector("--memory", "--proxy", f"jaeger={url}/jaeger")
    try:
        driver.get(f"{app_url}?connect={collector.url}/proxy/jaeger&api=jaeger-v3&service=shop")
        wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
        assert searches(seen, "/jaeger/api/v3/traces")[-1]["query.service_name"] == ["shop"]
        assert console_errors(driver) == []
    finally:
        collector.stop()
        server.shutdown()


def set_input(driver, selector, value):
    """Sets an input as typing does (datetime-local inputs take no keys portably)."""
    driver.execute_script(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1];"
        "el.dispatchEvent(new Event('input', {bubbles: true}));",
        selector, value)


def test_a_custom_range_and_duration_bounds(driver, app_url, backend):
    base, seen = backend
    driver.get(f"{app_url}?connect={base}/jaeger&api=jaeger-v3")
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    # The form takes local times; the API gets them in UTC.
    utc = lambda local: driver.execute_script(  # noqa: E731
        "return new Date(arguments[0]).toISOString();", local).replace(".000Z", ".000000000Z")
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-since]")).select_by_value("custom")
    set_input(driver, "[data-testid=connect-start]", "2026-12-05T10:00:00")
    set_input(driver, "[data-testid=connect-end]", "2026-12-05T11:30:00")
    set_input(driver, "[data-testid=connect-min-duration]", "soon")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=connect-error]", "the minimum duration must be like 150ms")
    set_input(driver, "[data-testid=connect-min-duration]", "150ms")
    set_input(driver, "[data-testid=connect-max-duration]", "2s")
    before = len(searches(seen, "/jaeger/api/v3/traces"))
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(searches(seen, "/jaeger/api/v3/traces")) == before + 1)
    query = searches(seen, "/jaeger/api/v3/traces")[-1]
    assert query["query.start_time_min"] == [utc("2026-12-05T10:00:00")], query
    assert query["query.start_time_max"] == [utc("2026-12-05T11:30:00")], query
    assert query["query.duration_min"] == ["150000000ns"] and query["query.duration_max"] == ["2000000000ns"], query
    # The link keeps the range and the bounds.
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    address = urllib.parse.unquote(driver.current_url)
    assert f"start={utc('2026-12-05T10:00:00')}" in address and "minDuration=150000000ns" in address, address


def test_a_search_under_way_can_be_cancelled(driver, app_url, backend):
    base, seen = backend
    RELEASE.clear()
    try:
        connect_to(driver, app_url, base + "/slow", "jaeger-v3")
        wait_text(driver, "[data-testid=connect-api-label]", "Jaeger query API v3")
        driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
        wait_text(driver, "[data-testid=connect-search]", "Searching…")
        WebDriverWait(driver, WAIT_SECONDS).until(lambda d: searches(seen, "/slow/api/v3/traces"))
        driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-cancel]").click()
        wait_text(driver, "[data-testid=connect-error]", "Cancelled.")
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").text == "Search"
        assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=connect-cancel]")
    finally:
        RELEASE.set()


def test_tempo_offers_its_tags_and_more_results(driver, app_url, backend):
    base, seen = backend
    connect_to(driver, app_url, base + "/tempo", "tempo")
    wait_text(driver, "[data-testid=connect-api-label]", "Grafana Tempo")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('[data-testid=connect-tags] option')].map(o => o.value);"
    ) == ["resource.service.name=", "span.http.route="])
    # Once a name and its = are typed, its values.
    set_input(driver, "[data-testid=connect-attributes]", "resource.service.name=shop span.http.route=")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.execute_script(
        "return [...document.querySelectorAll('[data-testid=connect-tags] option')].map(o => o.value);"
    ) == ["resource.service.name=shop span.http.route=/cart", "resource.service.name=shop span.http.route=/order"])
    set_input(driver, "[data-testid=connect-attributes]", "")
    set_input(driver, "[data-testid=connect-limit]", "2")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=found-summary]", "2 traces")
    assert searches(seen, "/tempo/api/search")[-1]["limit"] == ["2"]
    # As many as asked for: there may be more.
    wait_for(driver, "[data-testid=connect-load-more]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: searches(seen, "/tempo/api/search")[-1]["limit"] == ["4"])
    wait_text(driver, "[data-testid=found-summary]", "2 traces")
    # Fewer than asked for: that was all.
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=connect-load-more]")


def test_a_link_to_a_trace_and_span_fetches_that_trace(driver, app_url, backend):
    base, seen = backend
    # As the page writes it once a trace of the results is open.
    driver.get(f"{app_url}?connect={base}/jaeger&api=jaeger-v3&service=shop#trace={TRACE_B}&span=c7ad6b7169203331")
    wait_text(driver, "[data-testid=trace-name]", "POST /order")
    selected = wait_for(driver, "[data-testid=waterfall] [role=row][aria-selected=true]")
    assert "SELECT carts" in selected.text
    assert [p for p, _, _ in seen if p.startswith("/jaeger/api/v3/traces")] == [f"/jaeger/api/v3/traces/{TRACE_B}"]
    # Back: the search runs.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=back-to-list]").click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")


def test_a_search_that_finds_nothing_says_so(driver, app_url, backend):
    base, _ = backend
    driver.get(f"{app_url}?connect={base}/jaeger&api=jaeger-v3&service=shop")
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-service]")).select_by_value("auth")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=found-none]", "No traces found in this range.")
    # The earlier results are gone, and no error is shown.
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-list-summary]")
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=connect-error]")
    # A search that finds traces again shows them.
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-service]")).select_by_value("shop")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect-search]").click()
    wait_text(driver, "[data-testid=trace-list-summary]", "2 traces")
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=found-none]")
