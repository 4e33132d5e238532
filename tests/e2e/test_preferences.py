"""Preferences kept in localStorage (theme, clock), the keyboard shortcuts
overlay, and the layout in a docs column (1024 px wide) and in a 600 px high
frame."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WAIT_SECONDS = 30


def open_demo(driver, url):
    driver.get(url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner")
    )


def text_of(driver, testid):
    return driver.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]").text


def test_the_clock_and_theme_are_chosen_and_remembered(driver, app_url):
    open_demo(driver, app_url)
    driver.execute_script("localStorage.clear()")
    open_demo(driver, app_url)
    assert text_of(driver, "trace-start").endswith(" UTC")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=clock-toggle]").click()
    # Local time says its offset (the test browser's zone).
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: "UTC+" in text_of(d, "trace-start") or "UTC-" in text_of(d, "trace-start"))
    assert text_of(driver, "clock-toggle") == "Times: local"

    theme = lambda d: d.execute_script("return document.documentElement.dataset.theme || null")  # noqa: E731
    background = lambda d: d.execute_script("return getComputedStyle(document.body).backgroundColor")  # noqa: E731
    assert theme(driver) is None
    toggle = driver.find_element(By.CSS_SELECTOR, "[data-testid=theme-toggle]")
    toggle.click()
    assert theme(driver) == "light" and background(driver) == "rgb(255, 255, 255)"
    toggle.click()
    assert theme(driver) == "dark" and background(driver) == "rgb(20, 23, 28)"

    # Both are remembered for the next visit, and nothing else is stored.
    open_demo(driver, app_url)
    assert theme(driver) == "dark"
    assert "UTC+" in text_of(driver, "trace-start") or "UTC-" in text_of(driver, "trace-start")
    keys = driver.execute_script("return Object.keys(localStorage).sort()")
    assert keys == ["spanloupe.clock", "spanloupe.theme"]

    # A host page's theme= wins over the user's.
    driver.get(f"{app_url}?embed=1&theme=light")
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=embed-waiting]"))
    assert theme(driver) == "light"

    # Back to the system's: the preference is forgotten.
    open_demo(driver, app_url)
    driver.find_element(By.CSS_SELECTOR, "[data-testid=theme-toggle]").click()
    assert theme(driver) is None
    assert driver.execute_script("return localStorage.getItem('spanloupe.theme')") is None
    driver.find_element(By.CSS_SELECTOR, "[data-testid=clock-toggle]").click()
    assert text_of(driver, "trace-start").endswith(" UTC")


def test_question_mark_shows_the_keyboard_shortcuts(driver, app_url):
    open_demo(driver, app_url)
    dialog = driver.find_element(By.CSS_SELECTOR, "[data-testid=shortcuts]")
    assert not dialog.is_displayed()
    driver.find_element(By.TAG_NAME, "body").send_keys("?")
    WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of(dialog))
    assert "Keyboard shortcuts" in dialog.text and "zoom in / out" in dialog.text
    # Focus is in the dialog; Esc closes it.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(driver, WAIT_SECONDS).until(EC.invisibility_of_element(dialog))
    # In the search box, "?" is a character, not the shortcut.
    search = driver.find_element(By.CSS_SELECTOR, "[data-testid=search]")
    search.send_keys("?")
    assert not dialog.is_displayed()
    assert search.get_attribute("value") == "?"


def test_the_layout_fits_a_docs_column_and_a_short_frame(driver, app_url):
    try:
        for width, height in [(1024, 768), (1100, 600)]:
            driver.set_window_size(width, height)
            open_demo(driver, app_url)
            rows = driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")
            rows[1].click()
            WebDriverWait(driver, WAIT_SECONDS).until(
                EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=inspector]"))
            )
            sizes = driver.execute_script(
                """
                const waterfall = document.querySelector("[data-testid=waterfall]").getBoundingClientRect();
                return { overflow: document.documentElement.scrollWidth - innerWidth,
                         tall: document.documentElement.scrollHeight - innerHeight,
                         waterfall: waterfall.height, waterfallWidth: waterfall.width };
                """
            )
            # Nothing sticks out of the page; the waterfall keeps room for rows.
            assert sizes["overflow"] <= 0, (width, height, sizes)
            assert sizes["tall"] <= 0, (width, height, sizes)
            assert sizes["waterfall"] >= 5 * 24, (width, height, sizes)
            assert sizes["waterfallWidth"] >= 400, (width, height, sizes)
    finally:
        driver.set_window_size(1400, 900)
