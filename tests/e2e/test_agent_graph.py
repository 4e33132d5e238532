"""The Agent graph view: the demo agent, its model (called twice) and its
tool, with the loop between model and tool; every step on its own when
asked; a click on a node selects its span."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30


def node_labels(driver):
    return [n.get_attribute("aria-label") for n in driver.find_elements(By.CSS_SELECTOR, "[data-testid=agent-node]")]


def test_the_agent_graph_shows_steps_loops_and_selects(driver, app_url):
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner")
    )
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-agents]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: node_labels(d))
    assert "view=agents" in driver.current_url
    assert node_labels(driver) == [
        "agent trip_planner: select its span",
        "model gpt-4o-mini-2024-07-18 ×2: select its span",
        "tool get_weather: select its span",
    ]
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=agent-graph-summary]").text == "1 agent · 1 model · 1 tool"
    # Three arrows: agent → model, model → tool, and the tool's answer back.
    assert len(driver.find_elements(By.CSS_SELECTOR, ".sl-agent-graph__edge")) == 3

    driver.find_element(By.CSS_SELECTOR, "[data-testid=agent-graph-expand]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(node_labels(d)) == 4)
    assert len(driver.find_elements(By.CSS_SELECTOR, ".sl-agent-graph__edge")) == 3

    driver.find_elements(By.CSS_SELECTOR, "[data-testid=agent-node]")[2].click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=inspector-name]"), "execute_tool get_weather")
    )
    assert console_errors(driver) == []
