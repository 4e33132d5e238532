"""What the collector keeps: bounded by --max-spans and --max-age (oldest
traces first, counted), kept across restarts and crashes, searchable with
Jaeger's parameters, streamed out as OTLP JSON Lines, watched live, cleared,
and guarded by --token."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
import requests

from bodies import new_span_id, new_trace_id, one_trace, span, traces_request

JSON = {"Content-Type": "application/json"}


def send(collector, body, headers=None):
    response = requests.post(collector.url + "/v1/traces", data=body, headers={**JSON, **(headers or {})}, timeout=30)
    assert response.status_code == 200, response.text
    return response


def test_the_oldest_traces_go_first_and_are_counted(start_collector):
    collector = start_collector("--memory", "--max-spans", "100")
    ids = []
    for _ in range(12):
        trace_id, body = one_trace(10)
        send(collector, body)
        ids.append(trace_id)
    status = collector.status()
    assert status["spans"] == 100 and status["traces"] == 10
    assert (status["evictedTraces"], status["evictedSpans"]) == (2, 20)
    listed = {t["traceId"] for t in collector.get_json("/api/spanloupe/traces")["traces"]}
    assert listed == set(ids[2:])
    with pytest.raises(urllib.error.HTTPError) as gone:
        collector.get_json(f"/api/v3/traces/{ids[0]}")
    assert gone.value.code == 404
    assert collector.get_json(f"/api/v3/traces/{ids[-1]}")["result"]["resourceSpans"]


def test_traces_older_than_max_age_go(start_collector):
    collector = start_collector("--memory", "--max-age", "1s")
    trace_id, body = one_trace(3)
    send(collector, body)
    assert collector.status()["traces"] == 1
    deadline = time.monotonic() + 20
    while collector.status()["traces"] and time.monotonic() < deadline:
        time.sleep(0.2)
    status = collector.status()
    assert (status["traces"], status["evictedTraces"], status["evictedSpans"]) == (0, 1, 3)


def test_a_restart_keeps_what_was_acknowledged(start_collector, tmp_path):
    db = tmp_path / "spanloupe.db"
    first = start_collector("--db", str(db))
    sent = []
    for _ in range(5):
        trace_id, body = one_trace(4)
        send(first, body)
        sent.append(trace_id)
    first.stop()
    again = start_collector("--db", str(db))
    assert again.status()["spans"] == 20
    for trace_id in sent:
        assert again.get_json(f"/api/v3/traces/{trace_id}")["result"]["resourceSpans"]


def test_a_crash_under_load_loses_nothing_acknowledged(start_collector, tmp_path):
    """Eight clients send until the collector is killed (SIGKILL) under
    them; after a restart on the same file every acknowledged span is there."""
    db = tmp_path / "spanloupe.db"
    collector = start_collector("--db", str(db))
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def client():
        session = requests.Session()
        while not stop.is_set():
            trace_id, body = one_trace(50)
            try:
                response = session.post(collector.url + "/v1/traces", data=body, headers=JSON, timeout=10)
            except requests.RequestException:
                return
            if response.status_code == 200:
                with lock:
                    acknowledged.append(trace_id)

    clients = [threading.Thread(target=client) for _ in range(8)]
    for thread in clients:
        thread.start()
    while True:
        with lock:
            if len(acknowledged) >= 100:
                break
        time.sleep(0.01)
    collector.kill()
    stop.set()
    for thread in clients:
        thread.join()
    again = start_collector("--db", str(db))
    stored = {t["traceId"] for t in again.get_json("/api/spanloupe/traces?limit=5000")["traces"]}
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged traces were lost"
    assert again.status()["spans"] >= 50 * len(acknowledged)


def test_find_traces_with_jaegers_parameters(collector):
    base = 1_700_000_000_000_000_000
    fast_id, slow_id, other_id = new_trace_id(), new_trace_id(), new_trace_id()
    send(collector, json.dumps(traces_request([
        span(fast_id, new_span_id(), "GET /cart", start=base, duration=5_000_000,
             attributes=[{"key": "http.response.status_code", "value": {"intValue": "200"}}]),
        span(slow_id, new_span_id(), "GET /cart", start=base + 10**9, duration=900_000_000,
             attributes=[{"key": "http.response.status_code", "value": {"intValue": "500"}}]),
    ], service="shop")))
    send(collector, json.dumps(traces_request([span(other_id, new_span_id(), "poll", start=base)], service="worker")))

    def found(query):
        try:
            document = collector.get_json("/api/v3/traces?" + query)["result"]
        except urllib.error.HTTPError as err:
            assert err.code == 404
            assert json.load(err)["error"]["message"] == "No traces found"
            return []
        return [s["traceId"] for r in document["resourceSpans"] for ss in r["scopeSpans"] for s in ss["spans"]]

    window = "query.start_time_min=2023-11-14T22:00:00Z&query.start_time_max=2023-11-14T23:00:00Z"
    assert found(f"query.service_name=shop&{window}") == [slow_id, fast_id]
    assert found(f"query.service_name=shop&query.duration_min=100ms&{window}") == [slow_id]
    assert found(f"query.service_name=shop&query.duration_max=10ms&{window}") == [fast_id]
    assert found(f"query.service_name=shop&query.num_traces=1&{window}") == [slow_id]
    assert found(f"query.service_name=worker&query.operation_name=poll&{window}") == [other_id]
    assert found(f"query.service_name=shop&query.attributes[http.response.status_code]=500&{window}") == [slow_id]
    assert found("query.service_name=shop&query.start_time_min=2030-01-01T00:00:00Z") == []
    with pytest.raises(urllib.error.HTTPError) as bad:
        collector.get_json("/api/v3/traces?query.start_time_min=yesterday")
    assert bad.value.code == 400
    assert "query.start_time_min" in json.load(bad.value)["error"]["message"]


def test_the_export_is_otlp_json_lines_of_everything_kept(collector):
    sent = set()
    for service in ("a", "b", "a"):
        trace_id, body = one_trace(5, service=service)
        send(collector, body)
        sent.add((trace_id, service))
    logs = {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "5", "body": {"stringValue": "unrelated"}}]}]}]}
    assert requests.post(collector.url + "/v1/logs", data=json.dumps(logs), headers=JSON, timeout=30).status_code == 200

    response = requests.get(collector.url + "/api/spanloupe/export", timeout=30)
    assert response.headers["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    spans = [s for line in lines for r in line.get("resourceSpans", []) for ss in r["scopeSpans"] for s in ss["spans"]]
    records = [l for line in lines for r in line.get("resourceLogs", []) for sl in r["scopeLogs"] for l in sl["logRecords"]]
    assert len(spans) == 15 and {s["traceId"] for s in spans} == {t for t, _ in sent}
    assert [r["body"] for r in records] == [{"stringValue": "unrelated"}]

    only_a = requests.get(collector.url + "/api/spanloupe/export?service=a", timeout=30).text.splitlines()
    a_traces = {s["traceId"] for line in only_a for r in json.loads(line).get("resourceSpans", []) for ss in r["scopeSpans"] for s in ss["spans"]}
    assert a_traces == {t for t, service in sent if service == "a"}


def test_changes_stream_as_server_sent_events(collector):
    events = []
    ready = threading.Event()

    def listen():
        with requests.get(collector.url + "/api/spanloupe/events", stream=True, timeout=30) as response:
            assert response.headers["Content-Type"].startswith("text/event-stream")
            name = None
            for line in response.iter_lines(decode_unicode=True):
                if line.startswith("event:"):
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("data:"):
                    if name == "ready":
                        ready.set()
                    else:
                        events.append((name, json.loads(line.split(":", 1)[1])))
                        if len(events) == 3:
                            return

    listener = threading.Thread(target=listen)
    listener.start()
    assert ready.wait(10)
    trace_id, body = one_trace(4)
    send(collector, body)
    root = json.loads(body)["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    send(collector, json.dumps(traces_request([span(trace_id, new_span_id(), "late", parent=root["spanId"])])))
    assert requests.post(collector.url + "/api/spanloupe/clear", timeout=30).json() == {"cleared": True}
    listener.join(timeout=30)
    assert events == [
        ("trace", {"traceId": trace_id, "added": 4, "spans": 4}),
        ("trace", {"traceId": trace_id, "added": 1, "spans": 5}),
        ("cleared", {}),
    ]
    assert collector.status()["spans"] == 0


def test_a_token_guards_the_receivers_and_the_read_api(start_collector):
    collector = start_collector("--memory", "--token", "s3cret")
    _, body = one_trace(2)
    refused = requests.post(collector.url + "/v1/traces", data=body, headers=JSON, timeout=30)
    assert refused.status_code == 401
    assert requests.get(collector.url + "/api/v3/services", timeout=30).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert requests.get(collector.url + "/api/v3/services", headers=wrong, timeout=30).status_code == 401
    right = {"Authorization": "Bearer s3cret"}
    send(collector, body, right)
    assert requests.get(collector.url + "/api/v3/services", headers=right, timeout=30).json() == {"services": ["svc"]}
    # Where a browser cannot send a header (EventSource, a download link).
    assert requests.get(collector.url + "/api/spanloupe/export?access_token=s3cret", timeout=30).status_code == 200
    assert requests.get(collector.url + "/api/spanloupe/export?access_token=nope", timeout=30).status_code == 401
    # The viewer's page is public.
    assert requests.get(collector.url + "/", timeout=30).status_code in (200, 404)


def test_the_grpc_receiver_wants_the_token_too(start_collector):
    import grpc
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

    collector = start_collector("--memory", "--token", "s3cret")
    request = trace_service_pb2.ExportTraceServiceRequest()
    request.resource_spans.add().scope_spans.add().spans.add(
        trace_id=bytes(range(1, 17)), span_id=bytes(range(1, 9)), name="grpc span", start_time_unix_nano=1, end_time_unix_nano=2
    )
    with grpc.insecure_channel(collector.grpc) as channel:
        stub = trace_service_pb2_grpc.TraceServiceStub(channel)
        with pytest.raises(grpc.RpcError) as refused:
            stub.Export(request, timeout=10)
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        stub.Export(request, timeout=10, metadata=[("authorization", "Bearer s3cret")])
    status = requests.get(collector.url + "/api/spanloupe/status", headers={"Authorization": "Bearer s3cret"}, timeout=30).json()
    assert status["spans"] == 1


def test_cors_answers_pages_on_loopback_only(collector):
    local = requests.options(
        collector.url + "/api/v3/services",
        headers={"Origin": "http://127.0.0.1:8080", "Access-Control-Request-Method": "GET"},
        timeout=30,
    )
    assert local.headers.get("Access-Control-Allow-Origin") == "http://127.0.0.1:8080"
    remote = requests.get(collector.url + "/api/v3/services", headers={"Origin": "https://evil.example"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in remote.headers


def test_the_viewer_is_served_at_the_root(start_collector, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Spanloupe</title>")
    collector = start_collector("--memory", "--ui", str(tmp_path))
    page = requests.get(collector.url + "/", timeout=30)
    assert page.status_code == 200 and "<title>Spanloupe</title>" in page.text
