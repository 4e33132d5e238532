"""The critical path toggle: the spans that decided the trace's duration are
marked on the waterfall and listed with their share, and the link keeps it."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30


def test_the_critical_path_is_marked_listed_and_linked(driver, app_url):
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner")
    )
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid=critical-list]") == []
    driver.find_element(By.CSS_SELECTOR, "[data-testid=critical-path]").click()
    listed = WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=critical-list]"))
    )
    items = listed.find_elements(By.CSS_SELECTOR, "li")
    names = [li.find_element(By.CSS_SELECTOR, "button").text for li in items]
    assert names[0] == "invoke_agent trip_planner"
    assert "chat gpt-4o-mini" in names and "execute_tool get_weather" in names
    # The shares add up to the whole trace.
    shares = [float(li.find_element(By.CSS_SELECTOR, "span").text.rsplit("· ", 1)[1].rstrip("%")) for li in items]
    assert abs(sum(shares) - 100.0) < 0.5, shares
    # Rows on the path are marked, with their sections drawn on the bar.
    marked = driver.find_elements(By.CSS_SELECTOR, ".sl-row--critical")
    assert len(marked) >= 4
    assert all(row.find_elements(By.CSS_SELECTOR, ".sl-row__critical") for row in marked)
    # The link keeps it.
    assert "critical=1" in driver.current_url
    link = driver.current_url
    driver.get("about:blank")
    driver.get(link)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=critical-list]"))
    )
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=critical-path]").is_selected()
    # A span of the list is selected by a click.
    driver.find_elements(By.CSS_SELECTOR, "[data-testid=critical-list] li button")[1].click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=inspector]"))
    )
    assert console_errors(driver) == []
