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
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
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
    """The browser, with the console log of earlier tests drained. A test
    fails on any Content-Security-Policy violation the page reports (the
    app must never need one lifted), unless it took them to check."""
    _browser.get_log("browser")
    _browser.spanloupe_log = []
    yield _browser
    violations = take_csp_violations(_browser)
    assert violations == [], f"Content-Security-Policy violations: {violations}"


def _drain(driver):
    """The console entries since the last drain, kept for the end of the test."""
    entries = driver.get_log("browser")
    driver.spanloupe_log.extend(entries)
    return entries


def console_errors(driver):
    """SEVERE console entries since the last call (a Rust panic logs one)."""
    return [entry["message"] for entry in _drain(driver) if entry["level"] == "SEVERE"]


def take_csp_violations(driver):
    """The Content-Security-Policy violations reported in this test so far,
    taken out of what the end of the test checks."""
    _drain(driver)
    violations = [e["message"] for e in driver.spanloupe_log if "Content Security Policy" in e["message"]]
    driver.spanloupe_log = [e for e in driver.spanloupe_log if "Content Security Policy" not in e["message"]]
    return violations
