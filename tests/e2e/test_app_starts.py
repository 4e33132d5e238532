"""The built app starts in a real browser and shows the bundled demo trace."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CORPUS, DIST, console_errors
from harness import serve


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


def test_the_build_works_under_a_sub_path_of_another_site(driver, tmp_path):
    """A docs portal serves dist/ at /docs/tools/spanloupe/: every asset, the
    ingest worker among them, is found relative to the page."""
    mount = tmp_path / "docs" / "tools" / "spanloupe"
    mount.parent.mkdir(parents=True)
    mount.symlink_to(DIST, target_is_directory=True)
    (tmp_path / "trace.json").write_text((CORPUS / "otelproto-trace.json").read_text())
    url, server = serve(tmp_path)
    try:
        driver.get(f"{url}docs/tools/spanloupe/?url={url}trace.json")
        # Read by the ingest worker, which loads from the sub-path too.
        WebDriverWait(driver, 30).until(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "I'm a server span")
        )
        driver.get(f"{url}docs/tools/spanloupe/")
        name = WebDriverWait(driver, 30).until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=trace-name]"))
        )
        assert name.text == "invoke_agent trip_planner"
        assert console_errors(driver) == []
    finally:
        server.shutdown()
