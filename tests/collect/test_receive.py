"""OTLP/HTTP answers as the specification says: 200 with partial success,
400 with a google.rpc.Status in the request's encoding, 413, 415, 503 with
Retry-After; and the collector keeps serving after every bad body."""

import gzip
import http.client
import json

import pytest
import requests
from google.rpc import status_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

from bodies import new_span_id, new_trace_id, one_trace, span, traces_request

JSON = {"Content-Type": "application/json"}
PROTOBUF = {"Content-Type": "application/x-protobuf"}


def post(collector, path, body, headers):
    return requests.post(collector.url + path, data=body, headers=headers, timeout=30)


def still_serves(collector):
    trace_id, body = one_trace(2)
    assert post(collector, "/v1/traces", body, JSON).status_code == 200
    assert collector.get_json(f"/api/v3/traces/{trace_id}")["result"]["resourceSpans"]


def test_a_truncated_protobuf_gets_400_with_a_status(collector):
    request = trace_service_pb2.ExportTraceServiceRequest()
    request.resource_spans.add().scope_spans.add().spans.add(
        trace_id=bytes(16 * [1]), span_id=bytes(8 * [2]), name="x" * 100
    )
    body = request.SerializeToString()[:-40]
    response = post(collector, "/v1/traces", body, PROTOBUF)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/x-protobuf"
    status = status_pb2.Status.FromString(response.content)
    assert status.code == 3 and "protobuf" in status.message
    still_serves(collector)


def test_wrong_json_gets_400_with_a_json_status_saying_where(collector):
    response = post(collector, "/v1/traces", b'{"resourceSpans": [{"scopeSpans": 7}]}', JSON)
    assert response.status_code == 400
    status = response.json()
    assert status["code"] == 3
    assert "line 1, column" in status["message"] and "scopeSpans" in status["message"]
    still_serves(collector)


def test_a_gzip_bomb_gets_413_and_is_never_inflated(start_collector):
    collector = start_collector("--memory", "--max-decompressed", str(64 << 20))
    bomb = gzip.compress(b"\0" * (512 << 20), compresslevel=9)
    assert len(bomb) < 1 << 20
    response = post(collector, "/v1/traces", bomb, {**PROTOBUF, "Content-Encoding": "gzip"})
    assert response.status_code == 413
    assert "inflates past" in status_pb2.Status.FromString(response.content).message
    still_serves(collector)


def test_a_100_mb_body_gets_413_before_it_is_read(collector):
    connection = http.client.HTTPConnection(collector.http, timeout=30)
    connection.putrequest("POST", "/v1/traces")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(100 << 20))
    connection.endheaders()
    try:
        connection.send(b"{" + b" " * (1 << 20))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the collector answered and closed: that is the point
    response = connection.getresponse()
    assert response.status == 413
    assert "larger than" in json.loads(response.read())["message"]
    connection.close()
    still_serves(collector)


def test_a_chunked_body_over_the_limit_gets_413(start_collector):
    collector = start_collector("--memory", "--max-body", "100000")

    def chunks():
        for _ in range(30):
            yield b" " * 10000

    response = requests.post(collector.url + "/v1/traces", data=chunks(), headers=JSON, timeout=30)
    assert response.status_code == 413
    still_serves(collector)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_an_unknown_content_type_gets_415(collector, content_type):
    response = post(collector, "/v1/traces", b"{}", {"Content-Type": content_type})
    assert response.status_code == 415
    assert "application/x-protobuf" in response.text
    still_serves(collector)


def test_an_unknown_content_encoding_gets_415(collector):
    response = post(collector, "/v1/traces", b"{}", {**JSON, "Content-Encoding": "br"})
    assert response.status_code == 415


def test_spans_without_ids_are_a_partial_success(collector):
    trace_id = new_trace_id()
    body = traces_request([
        span(trace_id, new_span_id(), "kept"),
        span("", new_span_id(), "no trace id"),
        span(trace_id, "", "no span id"),
    ])
    response = post(collector, "/v1/traces", json.dumps(body), JSON)
    assert response.status_code == 200
    assert response.json() == {
        "partialSuccess": {
            "rejectedSpans": "2",
            "errorMessage": "2 spans have no valid trace id or span id and were not stored",
        }
    }
    status = collector.status()
    assert (status["spans"], status["rejectedSpans"]) == (1, 2)


def test_partial_success_in_protobuf(collector):
    request = trace_service_pb2.ExportTraceServiceRequest()
    spans = request.resource_spans.add().scope_spans.add().spans
    spans.add(trace_id=bytes(range(1, 17)), span_id=bytes(range(1, 9)), name="kept")
    spans.add(trace_id=b"", span_id=bytes(range(1, 9)), name="no trace id")
    response = post(collector, "/v1/traces", request.SerializeToString(), PROTOBUF)
    assert response.status_code == 200
    answer = trace_service_pb2.ExportTraceServiceResponse.FromString(response.content)
    assert answer.partial_success.rejected_spans == 1


def test_a_full_success_is_an_empty_response(collector):
    _, body = one_trace(3)
    response = post(collector, "/v1/traces", gzip.compress(body), {**JSON, "Content-Encoding": "gzip"})
    assert (response.status_code, response.json()) == (200, {})
    empty = post(collector, "/v1/traces", b"", PROTOBUF)
    assert (empty.status_code, empty.content) == (200, b"")


def test_metrics_are_counted_not_stored(collector):
    for _ in range(3):
        assert post(collector, "/v1/metrics", b'{"resourceMetrics": []}', JSON).status_code == 200
    status = collector.status()
    assert status["metricsRequests"] == 3 and status["spans"] == 0


def test_a_request_larger_than_the_store_gets_503_with_retry_after(start_collector):
    collector = start_collector("--memory", "--max-spans", "10")
    _, body = one_trace(20)
    response = post(collector, "/v1/traces", body, JSON)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "--max-spans 10" in response.json()["message"]
    still_serves(collector)


def test_logs_sent_to_the_traces_path_are_refused(collector):
    body = {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "1", "body": {"stringValue": "hi"}}]}]}]}
    response = post(collector, "/v1/traces", json.dumps(body), JSON)
    assert response.status_code == 400
    assert "/v1/logs" in response.json()["message"]
    assert post(collector, "/v1/logs", json.dumps(body), JSON).status_code == 200
    assert collector.status()["logRecords"] == 1
