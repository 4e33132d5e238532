"""The logical view: infrastructure spans under the agent's steps hidden,
each step saying how many, shown again in place by a click on its pill."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30


def labels(driver):
    rows = driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")
    rows.sort(key=lambda r: int(r.get_attribute("aria-rowindex")))
    return [r.find_element(By.CSS_SELECTOR, ".sl-row__label").text for r in rows if r.is_displayed()]


def test_the_logical_view_hides_infrastructure_and_shows_it_in_place(driver, app_url):
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner")
    )
    assert len(labels(driver)) == 9
    driver.find_element(By.CSS_SELECTOR, "[data-testid=logical-view]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(labels(d)) == 4)
    assert labels(driver) == ["invoke_agent trip_planner", "chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"]
    pills = [p.text for p in driver.find_elements(By.CSS_SELECTOR, ".sl-row__hidden") if p.is_displayed()]
    assert sorted(pills) == ["1 infrastructure span hidden", "1 infrastructure span hidden", "3 infrastructure spans hidden"]
    assert "logical=1" in driver.current_url

    # The tool's pill shows its three requests again, in place.
    next(p for p in driver.find_elements(By.CSS_SELECTOR, ".sl-row__hidden") if p.text.startswith("3 ")).click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(labels(d)) == 7)
    assert labels(driver)[2:6] == ["execute_tool get_weather", "GET", "GET", "GET /v1/forecast"]

    # Off again: every span.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=logical-view]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(labels(d)) == 9)
    assert console_errors(driver) == []
