"""The Flame graph view: an icicle of the trace by self time on a canvas;
hovering names a node, a click zooms to it and selects its span."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30
ROW_PX = 20


def test_the_flame_graph_names_zooms_and_selects(driver, app_url):
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner")
    )
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-flame]").click()
    canvas = WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=flame-graph] canvas"))
    )
    assert "view=flame" in driver.current_url
    # The demo: 9 spans on 6 paths (the two calls, their POSTs and the two
    # GETs of the tool run merge), 4 levels.
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=flame-summary]").text == "6 paths by self time"
    assert canvas.size["height"] == 4 * ROW_PX
    # Something is drawn: the canvas is not blank.
    painted = driver.execute_script(
        "const c = arguments[0]; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;",
        canvas,
    )
    assert painted > canvas.size["width"] * ROW_PX

    # The root spans the whole width: hovering its row names it.
    left = -canvas.size["width"] // 2 + 10
    ActionChains(driver).move_to_element_with_offset(canvas, left, -canvas.size["height"] // 2 + ROW_PX // 2).perform()
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=flame-hover]").text.startswith(
            "trip-planner · invoke_agent trip_planner: 4.18 s (100.0%)"
        )
    )
    # A click on the second row's first node zooms to it and selects its span.
    ActionChains(driver).move_to_element_with_offset(canvas, left, -canvas.size["height"] // 2 + ROW_PX + ROW_PX // 2).click().perform()
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=flame-summary]").text.startswith("Zoomed on ")
    )
    zoomed_on = driver.find_element(By.CSS_SELECTOR, "[data-testid=flame-summary]").text.removeprefix("Zoomed on ")
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=inspector-name]"), zoomed_on)
    )
    # The inspector took room: the graph narrowed to its box.
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.execute_script(
            "const c = arguments[0]; return c.getBoundingClientRect().width <= c.parentElement.clientWidth;", canvas
        )
    )
    driver.find_element(By.CSS_SELECTOR, "[data-testid=flame-reset]").click()
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=flame-summary]").text == "6 paths by self time"
    assert console_errors(driver) == []
