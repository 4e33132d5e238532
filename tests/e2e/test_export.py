"""Export from a trace's menu: the trace, the search's matches or the
selected subtree as OTLP JSON, the conversation or a call as Markdown, the
waterfall as SVG, each downloaded with its name (the content itself is
tested natively)."""

import json

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30

# Downloads are caught at the link's click and read from the Blob behind
# its address (the page's policy lets nothing fetch a blob: URL).
CATCH_DOWNLOADS = """
window.downloads = [];
const blobs = new Map();
const createObjectURL = URL.createObjectURL;
URL.createObjectURL = function (blob) {
  const address = createObjectURL.call(URL, blob);
  blobs.set(address, blob);
  return address;
};
const click = HTMLAnchorElement.prototype.click;
HTMLAnchorElement.prototype.click = function () {
  if (!this.download) return click.call(this);
  const name = this.download;
  blobs.get(this.href).text().then((text) => window.downloads.push({ name, text }));
};
"""

def export(driver, testid):
    """Clicks an item of the Export menu; returns the file it downloads."""
    before = len(driver.execute_script("return window.downloads"))
    driver.find_element(By.CSS_SELECTOR, "[data-testid=export-menu] summary").click()
    item = WebDriverWait(driver, WAIT_SECONDS).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, f"[data-testid={testid}]"))
    )
    item.click()
    WebDriverWait(driver, WAIT_SECONDS).until(lambda d: len(d.execute_script("return window.downloads")) > before)
    return driver.execute_script("return window.downloads")[-1]


def span_names(otlp):
    return sorted(s["name"] for r in otlp["resourceSpans"] for ss in r["scopeSpans"] for s in ss["spans"])


def test_the_export_menu_downloads_json_markdown_and_svg(driver, app_url):
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "invoke_agent trip_planner")
    )
    driver.execute_script(CATCH_DOWNLOADS)
    trace_id = driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-id]").text

    whole = export(driver, "export-trace")
    assert whole["name"] == f"trace-{trace_id}.json"
    assert len(span_names(json.loads(whole["text"]))) == 9

    # Without a search or a selection, those items are disabled.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=export-menu] summary").click()
    assert not driver.find_element(By.CSS_SELECTOR, "[data-testid=export-matches]").is_enabled()
    assert not driver.find_element(By.CSS_SELECTOR, "[data-testid=export-subtree]").is_enabled()
    # A click elsewhere closes the menu.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-name]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: not d.execute_script("return document.querySelector('[data-testid=export-menu]').open")
    )

    search = driver.find_element(By.CSS_SELECTOR, "[data-testid=search]")
    search.send_keys("get_weather")
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=match-count]").text.endswith(("match", "matches"))
    )
    matches = json.loads(export(driver, "export-matches")["text"])
    names = span_names(matches)
    # The matches with their ancestors, up to the root.
    assert "invoke_agent trip_planner" in names and "execute_tool get_weather" in names
    assert len(names) < 9

    conversation = export(driver, "export-conversation")
    assert conversation["name"] == f"conversation-{trace_id}.md"
    assert conversation["text"].startswith("# Conversation: invoke_agent trip_planner")
    assert "## 2. Tool run: get_weather" in conversation["text"]

    picture = export(driver, "export-svg")
    assert picture["name"] == f"waterfall-{trace_id}.svg"
    assert picture["text"].startswith("<svg ") and "invoke_agent trip_planner" in picture["text"]

    # Select the second model call: its subtree and its Markdown.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=search]").clear()
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "[data-testid=waterfall] [role=row]") if "chat gpt-4o-mini" in r.text]
    rows[-1].click()
    call = export(driver, "export-call")
    assert call["name"].startswith("call-") and call["name"].endswith(".md")
    assert call["text"].startswith("# chat gpt-4o-mini")
    subtree = json.loads(export(driver, "export-subtree")["text"])
    # The call and the HTTP request under it.
    assert span_names(subtree) == ["POST", "chat gpt-4o-mini"]
    assert console_errors(driver) == []
