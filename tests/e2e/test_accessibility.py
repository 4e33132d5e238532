"""axe-core's rules (WCAG 2.1 A and AA) on every screen: the start screen,
the waterfall with a span in the inspector, the conversation, a trace list,
the Connect form, and the embedded viewer. A violation fails the test with
the rule, what it is about and where."""

import importlib.util
import pathlib

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CORPUS

WAIT_SECONDS = 30


def axe_source():
    # The file only: the package's module would import Playwright.
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("axe-playwright-python is missing: run scripts/setup.sh --browser")
    return (pathlib.Path(spec.submodule_search_locations[0]) / "axe.min.js").read_text()


AXE = axe_source()


def violations(driver):
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
          .then((r) => done(r.violations.map((v) => ({
            id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.failureSummary) }))))
          .catch((e) => done([{ id: "axe failed", help: String(e), nodes: [] }]));
        """
    )
    return result


def assert_accessible(driver):
    found = violations(driver)
    report = "\n".join(f"{v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found)
    assert found == [], f"axe-core found:\n{report}"


def wait(driver, selector):
    return WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def test_the_waterfall_and_inspector_pass_axe(driver, app_url):
    driver.get(app_url)
    wait(driver, "[data-testid=trace-name]")
    driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")[1].click()
    wait(driver, "[data-testid=inspector]")
    assert_accessible(driver)


def test_the_conversation_passes_axe(driver, app_url):
    driver.get(app_url)
    wait(driver, "[data-testid=view-conversation]").click()
    wait(driver, ".sl-conversation-scroll")
    assert_accessible(driver)


def test_the_start_screen_and_a_trace_list_pass_axe(driver, app_url):
    driver.get(app_url)
    wait(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, ".sl-logo").click()
    wait(driver, "[data-testid=start-screen]")
    assert_accessible(driver)
    two = "\n".join(str(CORPUS / name) for name in ["jaeger-example_trace.json", "otelproto-trace.json"])
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(two)
    wait(driver, ".sl-trace-row")
    assert_accessible(driver)


def test_the_embedded_viewer_waiting_passes_axe(driver, app_url):
    driver.get(f"{app_url}?embed=1")
    wait(driver, "[data-testid=embed-waiting]")
    assert_accessible(driver)


@pytest.mark.parametrize("view", ["view-statistics", "view-flame", "view-agents"])
def test_the_trace_views_pass_axe(driver, app_url, view):
    driver.get(app_url)
    wait(driver, f"[data-testid={view}]").click()
    wait(driver, {"view-statistics": "[data-testid=statistics]", "view-flame": "[data-testid=flame-graph]",
                  "view-agents": "[data-testid=agent-graph]"}[view])
    assert_accessible(driver)
