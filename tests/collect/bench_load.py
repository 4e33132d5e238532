"""Load benchmark of spanloupe-collect (not a test: it prints numbers).

Ten exporters in parallel send 5,000 spans each, twice:

1. "SDK": ten processes, each the real OpenTelemetry Python SDK with its
   OTLP/HTTP protobuf exporter behind a BatchSpanProcessor (512 spans a
   request), creating and ending the spans as an app would. The rate
   includes the SDK's own cost of making spans.
2. "replay": ten processes send the same requests, encoded by the SDK's
   encoder beforehand, as fast as the collector answers: the collector's
   own rate of receiving, decoding, indexing and committing.

Every span is counted back through /api/spanloupe/status. Reported: spans/s
over the whole send, export latency (p50/p99 of the exporter's calls), the
collector's peak resident memory; then the same replay into a store bounded
by --max-spans, to show memory follows the bound.

    scripts/bench-collect.sh             (builds the collector first)
"""

import multiprocessing
import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from collector import Collector  # noqa: E402

EXPORTERS = 10
SPANS_EACH = 5_000
SPANS_PER_TRACE = 10
BATCH = 512


def make_spans(tracer, count):
    made = 0
    while made < count:
        with tracer.start_as_current_span("handle request", attributes={"http.request.method": "POST", "app.worker": os.getpid()}):
            made += 1
            for i in range(min(SPANS_PER_TRACE, count - made + 1) - 1):
                with tracer.start_as_current_span(f"step {i}", attributes={"app.step": i, "db.system": "sqlite"}) as span:
                    span.add_event("done", {"rows": i})
                made += 1


def sdk_exporter(endpoint, barrier, results):
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    latencies = []
    exporter = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces")
    export = exporter.export

    def timed(spans):
        start = time.perf_counter()
        outcome = export(spans)
        latencies.append(time.perf_counter() - start)
        return outcome

    exporter.export = timed
    provider = TracerProvider(resource=Resource.create({"service.name": f"load-{os.getpid()}"}))
    provider.add_span_processor(
        BatchSpanProcessor(exporter, max_export_batch_size=BATCH, max_queue_size=SPANS_EACH * 2, schedule_delay_millis=50)
    )
    tracer = provider.get_tracer("bench")
    barrier.wait()
    start = time.time()
    make_spans(tracer, SPANS_EACH)
    provider.force_flush()
    results.put((start, time.time(), latencies))
    provider.shutdown()


def encoded_requests():
    """The requests the SDK would send for SPANS_EACH spans, encoded by its
    own encoder, BATCH spans each."""
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": f"load-{os.getpid()}"}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    make_spans(provider.get_tracer("bench"), SPANS_EACH)
    spans = memory.get_finished_spans()
    return [encode_spans(spans[i : i + BATCH]).SerializeToString() for i in range(0, len(spans), BATCH)]


def replay_exporter(endpoint, barrier, results):
    import requests

    bodies = encoded_requests()
    session = requests.Session()
    latencies = []
    barrier.wait()
    start = time.time()
    for body in bodies:
        begin = time.perf_counter()
        response = session.post(f"{endpoint}/v1/traces", data=body, headers={"Content-Type": "application/x-protobuf"}, timeout=60)
        latencies.append(time.perf_counter() - begin)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text}")
    results.put((start, time.time(), latencies))


def peak_rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(kind, target, *flags):
    collector = Collector(*flags)
    try:
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(EXPORTERS)
        results = context.Queue()
        workers = [context.Process(target=target, args=(collector.url, barrier, results)) for _ in range(EXPORTERS)]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=600) for _ in workers]
        for worker in workers:
            worker.join()
        status = collector.status()
        start = min(o[0] for o in outcomes)
        end = max(o[1] for o in outcomes)
        latencies = sorted(l for o in outcomes for l in o[2])
        sent = EXPORTERS * SPANS_EACH
        stored = status["spans"] + status["evictedSpans"]
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(
            f"{kind:<38} {sent:>7,} spans  {stored:>7,} counted back  "
            f"{sent / (end - start):>9,.0f} spans/s  "
            f"export p50 {statistics.median(latencies) * 1000:6.1f} ms  p99 {p99 * 1000:6.1f} ms  "
            f"peak RSS {peak_rss_mb(collector.process.pid):6.1f} MB  kept {status['spans']:,}",
            flush=True,
        )
        if stored != sent:
            raise SystemExit(f"{kind}: {sent - stored} spans were not counted back")
    finally:
        collector.stop()


def main():
    print(f"{EXPORTERS} exporters x {SPANS_EACH:,} spans ({SPANS_PER_TRACE} spans a trace, {BATCH} a request), {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        db = pathlib.Path(scratch)
        run("SDK exporters -> --db", sdk_exporter, "--db", str(db / "sdk.db"))
        run("replay -> --db", replay_exporter, "--db", str(db / "replay.db"))
        run("replay -> --memory", replay_exporter, "--memory")
        run("replay -> --memory --max-spans 10000", replay_exporter, "--memory", "--max-spans", "10000")
        run("replay -> --db --max-spans 10000", replay_exporter, "--db", str(db / "bounded.db"), "--max-spans", "10000")


if __name__ == "__main__":
    main()
