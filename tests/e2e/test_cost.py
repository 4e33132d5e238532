"""Cost: each model call priced from its tokens and the bundled genai-prices
table (the demo's gpt-4o-mini-2024-07-18 at $0.15 in / $0.60 out per million
tokens), shown per call, per model in the trace header and in Statistics;
a model the table does not know is unpriced, never $0."""

import json
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30
DEMO = pathlib.Path(__file__).resolve().parents[2] / "assets" / "demo" / "trip-planner-agent.json"


def wait_for(driver, selector):
    return WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def usd(amount):
    """As the viewer writes dollars under one: two significant digits."""
    import math
    decimals = max(2, 1 - math.floor(math.log10(amount)))
    return f"${amount:.{decimals}f}"


def test_calls_are_priced_per_call_per_model_and_in_statistics(driver, app_url):
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner"))
    # Two calls: 182 + 261 tokens in, 41 + 58 out.
    trace_cost = ((182 + 261) * 0.15 + (41 + 58) * 0.60) / 1e6
    cost = driver.find_element(By.CSS_SELECTOR, "[data-testid=model-cost]")
    assert cost.text == usd(trace_cost) == "$0.00013", cost.text
    assert "genai-prices of 2026-08-21" in cost.get_attribute("title")

    # The first call, in its Messages tab.
    next(r for r in driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")
         if "chat gpt-4o-mini" in r.text).click()
    messages = wait_for(driver, "[data-testid=messages]")
    fact = messages.find_element(By.CSS_SELECTOR, "[data-fact=Cost]").text
    first_call = (182 * 0.15 + 41 * 0.60) / 1e6
    assert fact == f"{usd(first_call)} · estimated as openai gpt-4o-mini (genai-prices of 2026-08-21)", fact

    # Statistics: the chat group's cost.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-statistics]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=statistics-row]"))
    chat = next(r for r in driver.find_elements(By.CSS_SELECTOR, "[data-testid=statistics-row]")
                if r.text.startswith("trip-planner · chat gpt-4o-mini"))
    assert chat.find_elements(By.TAG_NAME, "td")[10].text == usd(trace_cost)
    assert console_errors(driver) == []


def test_a_model_without_a_price_is_unpriced(driver, app_url, tmp_path):
    demo = json.loads(DEMO.read_text())
    for rs in demo["resourceSpans"]:
        for ss in rs["scopeSpans"]:
            for span in ss["spans"]:
                for attribute in span.get("attributes", []):
                    if attribute["key"] in ("gen_ai.request.model", "gen_ai.response.model"):
                        attribute["value"] = {"stringValue": "contoso-inhouse-7b"}
    path = tmp_path / "inhouse.json"
    path.write_text(json.dumps(demo))
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=source-name]"), "inhouse.json"))
    cost = wait_for(driver, "[data-testid=model-cost]")
    assert cost.text == "unpriced", cost.text
    assert "$0" not in driver.find_element(By.CSS_SELECTOR, "[data-testid=model-tokens]").text
    # The user's own prices for it: $1 in, $2 out per million tokens.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=prices-edit]").click()
    row = wait_for(driver, "[data-testid=price-row]")
    assert row.find_element(By.TAG_NAME, "th").text == "contoso-inhouse-7b"
    row.find_element(By.CSS_SELECTOR, "[data-testid=price-input]").send_keys("1")
    row.find_element(By.CSS_SELECTOR, "[data-testid=price-output]").send_keys("2")
    row.find_element(By.CSS_SELECTOR, "[data-testid=price-save]").click()
    yours = usd(((182 + 261) * 1 + (41 + 58) * 2) / 1e6)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=model-cost]"), yours))
    stored = driver.execute_script("return localStorage.getItem('spanloupe.prices')")
    assert json.loads(stored) == {"contoso-inhouse-7b": [1.0, 2.0]}, stored
    # Back to the table's: unpriced again, and nothing kept.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=prices-edit]").click()
    wait_for(driver, "[data-testid=price-reset]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=model-cost]"), "unpriced"))
    assert driver.execute_script("return localStorage.getItem('spanloupe.prices')") is None
