"""The built app starts in a real browser and shows the bundled demo trace."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors


def test_the_app_opens_on_the_demo_trace(driver, app_url, artifacts):
    driver.get(app_url)
    name = WebDriverWait(driver, 30).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=trace-name]"))
    )
    assert name.text == "invoke_agent trip_planner"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=span-count]").text == "9 spans"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=error-count]").text == "1 error"
    services = [el.text for el in driver.find_elements(By.CSS_SELECTOR, ".sl-service")]
    assert services == ["trip-planner", "weather-api"]
    rows = driver.find_elements(By.CSS_SELECTOR, "[role=row]")
    assert len(rows) == 9
    assert "GET" in rows[4].text and "sl-row--error" in rows[4].get_attribute("class")
    driver.save_screenshot(str(artifacts / "demo-trace.png"))
    assert console_errors(driver) == []
