"""What the end-to-end tests and the browser benchmark share: a static file
server on 127.0.0.1 and Debian's Chromium started headless through
chromedriver, with a fresh profile."""

import functools
import http.server
import pathlib
import shutil
import tempfile
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

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


def serve(directory: pathlib.Path, cors: bool = False, port: int = 0):
    """Serves `directory` on 127.0.0.1 (a free port unless `port` is given:
    a site that comes back at the same origin); returns (url, server)."""
    handler = functools.partial(CorsHandler if cors else QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def start_chromium(extra_args=()):
    """Headless Chromium with a fresh profile; returns (driver, profile dir)."""
    profile = tempfile.mkdtemp(prefix="spanloupe-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in [*CHROMIUM_ARGS, *extra_args]:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    return driver, profile


def stop_chromium(driver, profile):
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
