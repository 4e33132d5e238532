"""One model call recorded by two instrumentations (the Anthropic SDK's own
span beside OpenLLMetry's): counted once in the header, shown once in the
Conversation view, both spans kept in the waterfall and linked."""

import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT, console_errors

WAIT_SECONDS = 30
FIXTURE = ROOT / "tests" / "fixtures" / "genai" / "double-instrumented-anthropic.json"


def wait_for(driver, selector):
    return WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]")


def test_a_call_recorded_twice_counts_and_shows_once(driver, app_url):
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(pathlib.Path(FIXTURE)))
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent support")
    )
    totals = " ".join(driver.find_element(By.CSS_SELECTOR, "[data-testid=model-tokens]").text.split())
    # Each call priced once ($3 in, $15 out per million): doubled, $0.0080.
    assert totals == "claude-sonnet-4-5-20250929 2 calls · 891 in · 87 out · 978 tokens $0.0040"

    # Both records stay in the waterfall; the SDK's says whose call it is.
    names = [r.find_element(By.CSS_SELECTOR, ".sl-row__label").text for r in rows(driver)]
    assert names.count("anthropic.messages.create") == 2 and names.count("anthropic.chat") == 2
    chips = [c.get_attribute("textContent") for c in driver.find_elements(By.CSS_SELECTOR, ".sl-row__genai")]
    assert sum(chip.startswith("same call as anthropic.chat") for chip in chips) == 2

    # The SDK's record shows OpenLLMetry's messages, saying so, not "not captured".
    sdk_row = next(r for r in rows(driver) if r.find_element(By.CSS_SELECTOR, ".sl-row__label").text == "anthropic.messages.create")
    sdk_row.click()
    note = wait_for(driver, "[data-testid=twin-note]")
    assert note.text.startswith("Same call as anthropic.chat (opentelemetry.instrumentation.anthropic)")
    messages = driver.find_element(By.CSS_SELECTOR, "[data-testid=messages]").text
    assert "How do I rotate my API key?" in messages
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid=content-notice]") == []
    note.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=inspector-name]"), "anthropic.chat")
    )
    assert wait_for(driver, "[data-testid=twin-note]").text.startswith(
        "Also recorded by com.anthropic.sdk.python as anthropic.messages.create"
    )

    # The conversation: each call once, with the other record named.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-conversation]").click()
    conversation = wait_for(driver, "[data-testid=conversation]")
    steps = conversation.find_elements(By.CSS_SELECTOR, ".sl-step")
    assert [s.get_attribute("data-testid") for s in steps] == ["step-call", "step-call"]
    for step in steps:
        assert "Also recorded by com.anthropic.sdk.python" in step.find_element(By.CSS_SELECTOR, "[data-testid=twin-note]").text
    assert console_errors(driver) == []
