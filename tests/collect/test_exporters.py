"""The collector against the real OpenTelemetry Python exporters: what an
app sends over OTLP/HTTP (protobuf and JSON) and OTLP/gRPC (plain and gzip)
reads back through Jaeger's API v3 exactly, logs correlated with spans."""

import pytest

from sdk_app import exporters, run_app


def spans_by_name(document):
    out = {}
    for resource_spans in document.get("resourceSpans", []):
        resource = {a["key"]: a["value"] for a in resource_spans["resource"]["attributes"]}
        for scope_spans in resource_spans["scopeSpans"]:
            for span in scope_spans["spans"]:
                span["_resource"] = resource
                span["_scope"] = scope_spans["scope"]
                out[span["name"]] = span
    return out


def log_records(document):
    return [
        record
        for resource_logs in document.get("resourceLogs", [])
        for scope_logs in resource_logs["scopeLogs"]
        for record in scope_logs["logRecords"]
    ]


def attributes(item):
    return {a["key"]: a["value"] for a in item.get("attributes", [])}


@pytest.mark.parametrize(
    "protocol,compression",
    [("http/protobuf", None), ("http/protobuf", "gzip"), ("http/json", None), ("grpc", None), ("grpc", "gzip")],
)
def test_an_app_reads_back_exactly(collector, protocol, compression):
    endpoint = collector.url if protocol.startswith("http") else f"http://{collector.grpc}"
    span_exporter, log_exporter = exporters(protocol, endpoint, compression=compression)
    sent = run_app(span_exporter, log_exporter)

    trace_id, root_id, _ = sent["recipe_question"]
    document = collector.get_json(f"/api/v3/traces/{trace_id}")["result"]
    spans = spans_by_name(document)
    assert set(spans) == {"recipe_question", "chat gpt-4o-mini", "lookup_pantry"}
    for name, (trace, span, parent) in sent.items():
        if name == "warm-up":
            continue
        assert spans[name]["traceId"] == trace
        assert spans[name]["spanId"] == span
        assert spans[name].get("parentSpanId") == parent, name

    root = spans["recipe_question"]
    assert root["kind"] == 2
    assert root["_resource"]["service.name"] == {"stringValue": "recipe-assistant"}
    assert root["_scope"]["name"] == "recipe.app" and root["_scope"]["version"] == "1.2.3"
    assert attributes(root)["http.request.method"] == {"stringValue": "POST"}
    assert attributes(root)["app.retries"] == {"intValue": "2"}
    assert attributes(root)["app.ratio"] == {"doubleValue": 0.5}
    assert attributes(root)["app.cached"] == {"boolValue": True}
    assert [e["name"] for e in root["events"]] == ["question.received"]
    assert attributes(root["events"][0])["question.length"] == {"intValue": "42"}
    warm_trace, warm_span, _ = sent["warm-up"]
    assert [(l["traceId"], l["spanId"]) for l in root["links"]] == [(warm_trace, warm_span)]
    assert attributes(root["links"][0])["link.reason"] == {"stringValue": "follows the warm-up"}

    tool = spans["lookup_pantry"]
    assert tool["status"] == {"code": 2, "message": "pantry is closed"}
    assert [e["name"] for e in tool["events"]] == ["exception"]

    # The GenAI events arrived on /v1/logs and come back with the trace,
    # pointing at the model call's span.
    records = log_records(document)
    assert sorted(r["eventName"] for r in records) == ["gen_ai.choice", "gen_ai.user.message"]
    call_trace, call_span, _ = sent["chat gpt-4o-mini"]
    assert {(r["traceId"], r["spanId"]) for r in records} == {(call_trace, call_span)}
    user = next(r for r in records if r["eventName"] == "gen_ai.user.message")
    assert user["body"]["kvlistValue"]["values"][0] == {
        "key": "content",
        "value": {"stringValue": "How long do I boil an egg?"},
    }

    # The live list's summary.
    summary = next(t for t in collector.get_json("/api/spanloupe/traces")["traces"] if t["traceId"] == trace_id)
    assert summary["rootName"] == "recipe_question" and summary["hasRoot"]
    assert summary["spans"] == 3 and summary["errors"] == 1
    assert summary["model"] == "gpt-4o-mini-2024-07-18"
    assert (summary["inputTokens"], summary["outputTokens"]) == (192, 49)

    # Services and operations as Jaeger answers them.
    assert collector.get_json("/api/v3/services") == {"services": ["recipe-assistant"]}
    operations = collector.get_json("/api/v3/operations?service=recipe-assistant")["operations"]
    assert {"name": "recipe_question", "spanKind": "server"} in operations
    assert {"name": "chat gpt-4o-mini", "spanKind": "client"} in operations
