"""Fixtures of the end-to-end tests: the release build served on 127.0.0.1,
and Debian's Chromium driven through chromedriver (WebDriver).

The app must be built first (`trunk build --release`, as scripts/test.sh does).
Screenshots go to tests/e2e/artifacts/ to be looked at.
"""

import pathlib

import pytest

from harness import serve, start_chromium, stop_chromium

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
CORPUS = ROOT.parent / "shared" / "corpus" / "public"
ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"


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
    driver, profile = start_chromium()
    yield driver
    stop_chromium(driver, profile)


@pytest.fixture
def driver(_browser):
    """The browser, with the console log of earlier tests drained."""
    _browser.get_log("browser")
    yield _browser


def console_errors(driver):
    """SEVERE console entries since the last call (a Rust panic logs one)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
