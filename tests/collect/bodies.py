"""Hand-made OTLP bodies for the tests that need exact control over what is
sent (the SDK batches and retries on its own)."""

import json
import secrets


def span(trace_id, span_id, name, parent=None, start=1_000_000_000, duration=1_000_000, **extra):
    out = {
        "traceId": trace_id,
        "spanId": span_id,
        "name": name,
        "kind": 1,
        "startTimeUnixNano": str(start),
        "endTimeUnixNano": str(start + duration),
    }
    if parent:
        out["parentSpanId"] = parent
    out.update(extra)
    return out


def traces_request(spans, service="svc"):
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]},
                "scopeSpans": [{"scope": {"name": "tests"}, "spans": spans}],
            }
        ]
    }


def new_trace_id():
    return secrets.token_hex(16)


def new_span_id():
    return secrets.token_hex(8)


def one_trace(n_spans, service="svc", start=1_000_000_000):
    """A trace of n spans (a root and its children), as a request body."""
    trace_id, root = new_trace_id(), new_span_id()
    spans = [span(trace_id, root, "root", start=start, duration=10_000_000)]
    spans += [span(trace_id, new_span_id(), f"child {i}", parent=root, start=start + i) for i in range(n_spans - 1)]
    return trace_id, json.dumps(traces_request(spans, service)).encode()
