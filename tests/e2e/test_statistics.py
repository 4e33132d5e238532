"""The Statistics view: a trace's spans grouped by service and name, sortable,
groupable by an attribute, a row leading to its spans in the waterfall."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30


def table(driver):
    return [
        [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in driver.find_elements(By.CSS_SELECTOR, "[data-testid=statistics-row]")
    ]


def test_statistics_group_sort_and_lead_to_the_spans(driver, app_url):
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner")
    )
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-statistics]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: table(d))
    rows = table(driver)
    # By total time, longest first: the root.
    assert rows[0][0] == "trip-planner · invoke_agent trip_planner"
    chat = next(r for r in rows if r[0] == "trip-planner · chat gpt-4o-mini")
    assert chat[1] == "2" and chat[9] == "443 in · 99 out"
    get = next(r for r in rows if r[0] == "trip-planner · GET")
    assert get[1] == "2" and get[8] == "1"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=statistics-summary]").text == f"{len(rows)} groups"
    assert "view=statistics" in driver.current_url

    # Sorting by count puts the groups of two first.
    driver.find_element(By.XPATH, "//th//button[text()='Count']").click()
    counts = [int(r[1]) for r in table(driver)]
    assert counts == sorted(counts, reverse=True)
    driver.find_element(By.XPATH, "//th//button[text()='Count']").click()
    counts = [int(r[1]) for r in table(driver)]
    assert counts == sorted(counts)

    # Grouped also by an attribute: by status code, the failed GET stands apart.
    group_by = driver.find_element(By.CSS_SELECTOR, "[data-testid=statistics-group-by]")
    group_by.send_keys("http.response.status_code", Keys.ENTER)
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: len([r for r in table(d) if r[0].startswith("trip-planner · GET · ")]) == 2
    )

    # A row leads to its spans in the waterfall.
    next(r for r in driver.find_elements(By.CSS_SELECTOR, "[data-testid=statistics-row]")
         if r.find_element(By.TAG_NAME, "td").text.startswith("trip-planner · chat gpt-4o-mini")).click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=waterfall]"))
    )
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=search]").get_attribute("value") == "chat gpt-4o-mini"
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=match-count]").text == "2 matches"
    assert console_errors(driver) == []
