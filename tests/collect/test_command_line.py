"""The command line: --help says how to point an app at the collector, a
non-loopback address is warned about, --proxy reaches another backend."""

import subprocess

import requests

from bodies import one_trace
from collector import binary


def test_help_names_the_ports_and_the_variables_to_set():
    text = subprocess.run([str(binary()), "--help"], capture_output=True, text=True, check=True).stdout
    for needed in [
        "--listen",
        "--grpc-listen",
        "--db",
        "--memory",
        "--max-spans",
        "--max-age",
        "--ui",
        "--token",
        "--proxy",
        "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true",
        "OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental",
        "127.0.0.1:4318",
        "127.0.0.1:4317",
    ]:
        assert needed in text, needed


def test_a_bad_flag_is_explained():
    done = subprocess.run([str(binary()), "--max-age", "5 weeks"], capture_output=True, text=True)
    assert done.returncode != 0
    assert "unit" in done.stderr


def test_a_non_loopback_address_is_warned_about():
    process = subprocess.Popen(
        [str(binary()), "--memory", "--listen", "0.0.0.0:0", "--grpc-listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("listening http=0.0.0.0:")
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "warning: --listen 0.0.0.0:" in stderr and "not a loopback address" in stderr
    assert "set --token" in stderr


def test_proxy_reaches_another_backend(start_collector):
    backend = start_collector("--memory")
    trace_id, body = one_trace(3, service="behind-the-proxy")
    assert requests.post(backend.url + "/v1/traces", data=body, headers={"Content-Type": "application/json"}, timeout=30).status_code == 200
    front = start_collector("--memory", "--proxy", f"jaeger={backend.url}")
    services = requests.get(front.url + "/api/spanloupe/proxy/jaeger/api/v3/services", timeout=30)
    assert services.json() == {"services": ["behind-the-proxy"]}
    trace = requests.get(front.url + f"/api/spanloupe/proxy/jaeger/api/v3/traces/{trace_id}", timeout=30)
    assert trace.status_code == 200 and trace.json()["result"]["resourceSpans"]
    # The shorter path reaches the same backend.
    short = requests.get(front.url + "/proxy/jaeger/api/v3/services", timeout=30)
    assert short.json() == {"services": ["behind-the-proxy"]}
    missing = requests.get(front.url + "/api/spanloupe/proxy/tempo/api/search", timeout=30)
    assert missing.status_code == 404 and "--proxy tempo=URL" in missing.text
    assert front.status()["proxies"] == ["jaeger"]


def test_proxy_headers_configured_on_the_collector_reach_the_backend(start_collector):
    # The backend wants a token the page never sees: the collector adds it.
    backend = start_collector("--memory", "--token", "s3cret")
    front = start_collector(
        "--memory", "--proxy", f"jaeger={backend.url}",
        "--proxy-header", "jaeger:Authorization=Bearer s3cret")
    services = requests.get(front.url + "/proxy/jaeger/api/v3/services", timeout=30)
    assert services.status_code == 200 and services.json() == {"services": []}
    # Without the header configured, the backend refuses.
    bare = start_collector("--memory", "--proxy", f"jaeger={backend.url}")
    assert requests.get(bare.url + "/proxy/jaeger/api/v3/services", timeout=30).status_code == 401
