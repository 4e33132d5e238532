"""Fixtures of the end-to-end tests: the release build served on 127.0.0.1,
and Debian's Chromium driven through chromedriver (WebDriver).

The app must be built first (`trunk build --release`, as scripts/test.sh does).
Screenshots go to tests/e2e/artifacts/ to be looked at.
"""

import functools
import http.server
import pathlib
import shutil
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
CORPUS = ROOT.parent / "shared" / "corpus" / "public"
ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,900",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".jsonl": "application/x-ndjson",
    }

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class CorsHandler(QuietHandler):
    """Allows pages of other origins to read the files, as a trace server must."""

    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


def serve(directory: pathlib.Path, cors: bool = False):
    """Serves `directory` on a free port of 127.0.0.1; returns (url, server)."""
    handler = functools.partial(CorsHandler if cors else QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def app_url():
    if not (DIST / "index.html").is_file():
        pytest.fail("dist/index.html is missing: run `trunk build --release` first (scripts/test.sh does)")
    url, server = serve(DIST)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def corpus_url():
    """The public corpus, served from another origin than the app, with CORS."""
    url, server = serve(CORPUS, cors=True)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def corpus_url_without_cors():
    """The public corpus from another origin that does not allow reading it."""
    url, server = serve(CORPUS)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def _browser():
    profile = tempfile.mkdtemp(prefix="spanloupe-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def driver(_browser):
    """The browser, with the console log of earlier tests drained."""
    _browser.get_log("browser")
    yield _browser


def console_errors(driver):
    """SEVERE console entries since the last call (a Rust panic logs one)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
