"""A small instrumented "app" run by the tests: the real OpenTelemetry
Python SDK with a real exporter sends nested spans with events, links and a
failed step, and GenAI log events correlated with the model call's span."""

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import Link, SpanKind, Status, StatusCode


def exporters(protocol, endpoint, headers=None, compression=None):
    """The span and log exporters of one protocol: 'http/protobuf',
    'http/json' or 'grpc'."""
    if protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http import Compression
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        gzip = Compression.Gzip if compression == "gzip" else None
        return (
            OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", headers=headers, compression=gzip),
            OTLPLogExporter(endpoint=f"{endpoint}/v1/logs", headers=headers, compression=gzip),
        )
    if protocol == "http/json":
        from opentelemetry.exporter.otlp.json.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", headers=headers),
            OTLPLogExporter(endpoint=f"{endpoint}/v1/logs", headers=headers),
        )
    if protocol == "grpc":
        from grpc import Compression
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        gzip = Compression.Gzip if compression == "gzip" else None
        header_tuple = tuple((k.lower(), v) for k, v in (headers or {}).items()) or None
        return (
            OTLPSpanExporter(endpoint=endpoint, insecure=True, headers=header_tuple, compression=gzip),
            OTLPLogExporter(endpoint=endpoint, insecure=True, headers=header_tuple, compression=gzip),
        )
    raise ValueError(protocol)


def run_app(span_exporter, log_exporter, service="recipe-assistant"):
    """Records one request of the app and exports it. Returns what was sent:
    {name: (trace id, span id, parent span id)} as hex."""
    resource = Resource.create({"service.name": service, "deployment.environment": "test"})
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))
    tracer = tracer_provider.get_tracer("recipe.app", "1.2.3")
    logger = logger_provider.get_logger("opentelemetry.instrumentation.openai_v2")

    sent = {}

    def remember(span, parent):
        ctx = span.get_span_context()
        sent[span.name] = (
            format(ctx.trace_id, "032x"),
            format(ctx.span_id, "016x"),
            format(parent.get_span_context().span_id, "016x") if parent else None,
        )

    with tracer.start_as_current_span("warm-up") as other:
        remember(other, None)
    link = Link(other.get_span_context(), {"link.reason": "follows the warm-up"})
    with tracer.start_as_current_span("recipe_question", kind=SpanKind.SERVER, links=[link]) as root:
        root.set_attribute("http.request.method", "POST")
        root.set_attribute("app.retries", 2)
        root.set_attribute("app.ratio", 0.5)
        root.set_attribute("app.cached", True)
        root.add_event("question.received", {"question.length": 42})
        with tracer.start_as_current_span("chat gpt-4o-mini", kind=SpanKind.CLIENT) as call:
            call.set_attribute("gen_ai.operation.name", "chat")
            call.set_attribute("gen_ai.system", "openai")
            call.set_attribute("gen_ai.request.model", "gpt-4o-mini")
            call.set_attribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
            call.set_attribute("gen_ai.usage.input_tokens", 192)
            call.set_attribute("gen_ai.usage.output_tokens", 49)
            here = otel_context.get_current()
            logger.emit(
                event_name="gen_ai.user.message",
                body={"content": "How long do I boil an egg?"},
                attributes={"gen_ai.system": "openai"},
                context=here,
            )
            logger.emit(
                event_name="gen_ai.choice",
                body={"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Nine minutes."}},
                attributes={"gen_ai.system": "openai"},
                context=here,
            )
            remember(call, root)
        with tracer.start_as_current_span("lookup_pantry") as tool:
            tool.set_status(Status(StatusCode.ERROR, "pantry is closed"))
            tool.record_exception(RuntimeError("pantry is closed"))
            remember(tool, root)
        remember(root, None)
    tracer_provider.force_flush()
    logger_provider.force_flush()
    tracer_provider.shutdown()
    logger_provider.shutdown()
    return sent
