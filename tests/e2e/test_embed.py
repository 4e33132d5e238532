"""The viewer embedded in another page (`?embed=1`): a host page of another
origin drives it only through postMessage, and the address's options
(hide=, collapse=, theme=) shape what it shows."""

import json
import pathlib
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from harness import serve

WAIT_SECONDS = 30
HOST_PAGES = pathlib.Path(__file__).resolve().parent / "embed"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
IDS = {
    "checkout": "00f067aa0ba902b7",
    "charge card": "00f067aa0ba902b8",
    "INSERT payments": "00f067aa0ba902b9",
    "render receipt": "00f067aa0ba902ba",
}


def span(name, parent=None, start=0, end=10, error=False):
    record = {
        "traceId": TRACE_ID,
        "spanId": IDS[name],
        "name": name,
        "startTimeUnixNano": str(1_700_000_000_000_000_000 + start * 1_000_000),
        "endTimeUnixNano": str(1_700_000_000_000_000_000 + end * 1_000_000),
    }
    if parent:
        record["parentSpanId"] = IDS[parent]
    if error:
        record["status"] = {"code": 2, "message": "card declined"}
    return record


def checkout_trace():
    """One trace of four spans on three levels, one of them failed."""
    spans = [
        span("checkout", start=0, end=100),
        span("charge card", "checkout", 5, 60, error=True),
        span("INSERT payments", "charge card", 10, 40),
        span("render receipt", "checkout", 65, 95),
    ]
    return json.dumps(
        {
            "resourceSpans": [
                {
                    "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "shop"}}]},
                    "scopeSpans": [{"spans": spans}],
                }
            ]
        }
    )


@pytest.fixture(scope="module")
def host_url():
    url, server = serve(HOST_PAGES)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def other_url():
    """The same pages from a third origin."""
    url, server = serve(HOST_PAGES)
    yield url
    server.shutdown()


def origin(url):
    return url.rstrip("/")


def received(driver):
    return driver.execute_script("return window.received")


def wait_message(driver, kind, where=lambda m: True):
    """The first message of `kind` the viewer sent the host that `where` holds."""

    def found(d):
        return next((m for m in received(d) if m.get("type") == kind and where(m)), None)

    return WebDriverWait(driver, WAIT_SECONDS).until(found, f"no {kind} message")


def test_a_host_page_of_another_origin_drives_the_viewer_through_post_message(driver, app_url, host_url, other_url):
    viewer = f"{app_url}?embed=1&autoheight=1&origin={origin(host_url)}"
    query = urllib.parse.urlencode({"viewer": viewer, "other": f"{other_url}other.html"})
    driver.get(f"{host_url}host.html?{query}")

    ready = wait_message(driver, "spanloupe:ready")
    assert ready["version"] == 1
    # A ping is answered with ready again.
    driver.execute_script("host.send({type: 'spanloupe:ping'})")
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: len([m for m in received(d) if m["type"] == "spanloupe:ready"]) >= 2
    )
    waiting_height = wait_message(driver, "spanloupe:height")["height"]
    assert waiting_height > 0

    # A frame beside the viewer (not its parent) sends it data: ignored.
    driver.execute_script("host.openOther()")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.execute_script("return window.otherSent"))

    # The host opens a trace as an ArrayBuffer, transferred (not copied).
    left_here = driver.execute_script("return host.openBuffer(arguments[0], 'checkout.json')", checkout_trace())
    assert left_here == 0
    loaded = wait_message(driver, "spanloupe:loaded")
    assert {k: loaded[k] for k in ("traces", "spans", "errors", "warnings")} == {
        "traces": 1,
        "spans": 4,
        "errors": 1,
        "warnings": 0,
    }
    # Only the host's data loaded, and only once: the other frame's was
    # dispatched first and dropped.
    assert [m["type"] for m in received(driver)].count("spanloupe:loaded") == 1

    # The content grew; the host sized its frame to it.
    taller = wait_message(driver, "spanloupe:height", lambda m: m["height"] > waiting_height)["height"]

    # Select a span by its ids; the viewer says what is selected.
    driver.execute_script(
        "host.send({type: 'spanloupe:select', trace: arguments[0], span: arguments[1]})",
        TRACE_ID,
        IDS["INSERT payments"],
    )
    selected = wait_message(driver, "spanloupe:selected", lambda m: m["span"] == IDS["INSERT payments"])
    assert selected == {
        "type": "spanloupe:selected",
        "trace": TRACE_ID,
        "span": IDS["INSERT payments"],
        "name": "INSERT payments",
    }
    # A span that is not there is an error the host's developer can read.
    driver.execute_script("host.send({type: 'spanloupe:select', span: 'aaaaaaaaaaaaaaaa'})")
    error = wait_message(driver, "spanloupe:error")
    assert error["message"] == "spanloupe:select: no span aaaaaaaaaaaaaaaa in what is open"

    driver.execute_script("host.send({type: 'spanloupe:theme', theme: 'dark'})")
    frame = driver.find_element(By.ID, "viewer")
    driver.switch_to.frame(frame)
    try:
        WebDriverWait(driver, WAIT_SECONDS).until(
            lambda d: d.execute_script("return document.documentElement.dataset.theme") == "dark"
        )
        background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(20, 23, 28)"
        # Compact chrome: no top bar, no start screen; the trace is open on
        # the selected span, with the other frame's trace nowhere.
        assert driver.find_elements(By.CSS_SELECTOR, ".sl-topbar") == []
        selected_row = driver.find_element(By.CSS_SELECTOR, ".sl-row--selected")
        assert "INSERT payments" in selected_row.text
        assert "planted" not in driver.find_element(By.TAG_NAME, "body").text
        app_height = driver.execute_script(
            "return Math.ceil(document.querySelector('.sl-app').getBoundingClientRect().height)"
        )
    finally:
        driver.switch_to.default_content()
    assert taller > waiting_height

    def last_height(d):
        return [m["height"] for m in received(d) if m["type"] == "spanloupe:height"][-1]

    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: last_height(d) == app_height)
    assert driver.execute_script("return document.getElementById('viewer').offsetHeight") == app_height


def test_the_address_hides_parts_collapses_levels_and_sets_the_theme(driver, app_url, tmp_path: pathlib.Path):
    (tmp_path / "checkout.json").write_text(checkout_trace())
    data_url, server = serve(tmp_path, cors=True)
    try:
        driver.get(
            f"{app_url}?embed=1&url={data_url}checkout.json&hide=minimap,search,inspector&collapse=2&theme=light"
        )
        WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".sl-row"))
        names = [row.text for row in driver.find_elements(By.CSS_SELECTOR, ".sl-row")]
        # Two levels: the root and its children; "INSERT payments" (level 3) folded.
        assert [n for n in IDS if any(n in row for row in names)] == ["checkout", "charge card", "render receipt"]
        assert driver.find_elements(By.CSS_SELECTOR, ".sl-topbar") == []
        assert not driver.find_element(By.CSS_SELECTOR, ".sl-overview").is_displayed()
        assert not driver.find_element(By.CSS_SELECTOR, "[data-testid=search]").is_displayed()
        assert driver.execute_script("return document.documentElement.dataset.theme") == "light"
        assert driver.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        # hide=inspector: selecting shows no inspector.
        driver.find_element(By.CSS_SELECTOR, ".sl-row").click()
        WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".sl-row--selected"))
        assert driver.find_elements(By.CSS_SELECTOR, "[data-testid=inspector]") == []
    finally:
        server.shutdown()


def test_an_embedded_viewer_without_data_waits_for_it(driver, app_url):
    driver.get(f"{app_url}?embed=1")
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=embed-waiting]")
    )
    # No demo, no start screen, no file menu.
    assert driver.find_elements(By.CSS_SELECTOR, ".sl-row") == []
    assert driver.find_elements(By.CSS_SELECTOR, ".sl-topbar") == []
