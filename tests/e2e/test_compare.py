"""Compare: two traces of one input side by side, paired span by span, with
what only one has, duration changes, attribute differences and a model
call's messages diffed; and a link that reopens the comparison."""

import copy
import json
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import console_errors
from harness import serve

WAIT_SECONDS = 30
DEMO = pathlib.Path(__file__).resolve().parents[2] / "assets" / "demo" / "trip-planner-agent.json"
TRACE_A = "7d1e6a6f0c2b4e3a9b8c7d6e5f4a3b2c"
TRACE_B = "0af7651916cd43dd8448eb211c80319c"


def spans_of(document):
    return [span for rs in document["resourceSpans"] for ss in rs["scopeSpans"] for span in ss["spans"]]


def attribute(span, key):
    return next(a for a in span["attributes"] if a["key"] == key)


def write_pair(tmp_path):
    """A: the demo. B: the same run an hour later, where the weather call
    did not fail (no retried GET), a time check was added, the final answer
    is longer and slower, and the forecast service answered 500."""
    a = json.loads(DEMO.read_text())
    for span in spans_of(a):
        span["traceId"] = TRACE_A
    b = copy.deepcopy(a)
    hour = 3600 * 10**9
    for rs in b["resourceSpans"]:
        for ss in rs["scopeSpans"]:
            ss["spans"] = [s for s in ss["spans"] if not s["spanId"].endswith("05")]
            for span in ss["spans"]:
                span["traceId"] = TRACE_B
                for key in ("startTimeUnixNano", "endTimeUnixNano"):
                    span[key] = str(int(span[key]) + hour)
    spans = {s["spanId"][-2:]: s for s in spans_of(b)}
    root = spans["01"]
    root["endTimeUnixNano"] = str(int(root["endTimeUnixNano"]) + 500 * 10**6)
    final = spans["08"]
    final["endTimeUnixNano"] = str(int(final["endTimeUnixNano"]) + 400 * 10**6)
    attribute(final, "gen_ai.usage.output_tokens")["value"] = {"intValue": "71"}
    output = attribute(final, "gen_ai.output.messages")["value"]
    output["stringValue"] = output["stringValue"].replace(
        "a light jacket for the evening will do.", "a light jacket for the evening will do. Enjoy the trip!")
    attribute(spans["07"], "http.response.status_code")["value"] = {"intValue": "500"}
    extra = copy.deepcopy(spans["04"])
    extra.update({"spanId": "a1b2c3d4e5f600aa", "name": "execute_tool get_time", "attributes": []})
    b["resourceSpans"][0]["scopeSpans"][0]["spans"].append(extra)
    path_a, path_b = tmp_path / "run-a.json", tmp_path / "run-b.json"
    path_a.write_text(json.dumps(a))
    path_b.write_text(json.dumps(b))
    return path_a, path_b


def wait_for(driver, selector):
    return WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))


def rows(driver):
    return driver.find_elements(By.CSS_SELECTOR, "[data-testid=compare-row]")


def check_comparison(driver):
    summary = wait_for(driver, "[data-testid=compare-summary]")
    figures = {}
    for cell in summary.find_elements(By.CSS_SELECTOR, "[data-testid=compare-figure]"):
        figures.setdefault(cell.get_attribute("data-figure"), []).append(cell)
    values = {name: [c.text for c in cells] for name, cells in figures.items()}
    assert values["Spans"] == ["9", "9", "="], values
    assert values["Errors"][2] == "−1", values
    assert values["Output tokens"][2] == "+13", values
    assert values["Duration"][2].startswith("+500"), values
    assert "worse" in figures["Duration"][2].get_attribute("class")
    # 13 more output tokens of gpt-4o-mini at $0.60 a million.
    assert values["Cost"][2] == "+$0.0000078", values
    pairing = driver.find_element(By.CSS_SELECTOR, "[data-testid=compare-pairing]").text
    assert pairing == "8 paired · 1 only in A · 1 only in B", pairing
    # The failed GET, retried in A, is what only A has; the retry is paired
    # with B's one GET (with its child), and B's time check is B's alone.
    presence = [(r.find_element(By.CSS_SELECTOR, "[data-testid=compare-row-name]").text, r.get_attribute("data-presence"))
                for r in rows(driver)]
    assert ("GET", "only in A") in presence and ("execute_tool get_time", "only in B") in presence, presence
    assert [name for name, p in presence if p == ""].count("GET") == 1, presence
    assert ("GET /v1/forecast", "") in presence, presence

    # The forecast's status code differs.
    next(r for r in rows(driver) if r.text.startswith("GET /v1/forecast")).click()
    changes = wait_for(driver, "[data-testid=compare-attributes]").text
    assert "http.response.status_code 200 500" in " ".join(changes.split()), changes
    # The final answer: slower, and its messages diffed line by line.
    final = [r for r in rows(driver) if r.text.startswith("chat gpt-4o-mini")][1]
    assert "worse" in final.find_element(By.CSS_SELECTOR, "[data-testid=compare-row-change]").get_attribute("class")
    final.click()
    call = {row.get_attribute("data-figure"): [td.text for td in row.find_elements(By.TAG_NAME, "td")]
            for row in wait_for(driver, "[data-testid=compare-details]").find_elements(
                By.CSS_SELECTOR, "[data-testid=compare-call-figure]")}
    # 261 in and 58 → 71 out at $0.15 / $0.60 a million.
    assert call["Output tokens"] == ["58", "71", "+13"], call
    assert call["Cost"] == ["$0.000074", "$0.000082", "+$0.0000078"], call
    diff = wait_for(driver, "[data-testid=compare-call-diff]")
    removed = [e.text for e in diff.find_elements(By.CSS_SELECTOR, ".sl-compare--removed")]
    added = [e.text for e in diff.find_elements(By.CSS_SELECTOR, ".sl-compare--added")]
    assert any("Enjoy the trip!" in line for line in added), added
    assert removed and not any("Enjoy the trip!" in line for line in removed), removed


def test_compare_two_traces_of_two_files(driver, app_url, tmp_path):
    path_a, path_b = write_pair(tmp_path)
    driver.get(app_url)
    wait_for(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(f"{path_a}\n{path_b}")
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-list-summary]"), "2 traces"))
    # A is the earlier run: the list's first row, by start.
    driver.find_elements(By.CSS_SELECTOR, "[data-testid=trace-row]")[0].click()
    assert wait_for(driver, "[data-testid=trace-id]").text == TRACE_A
    Select(driver.find_element(By.CSS_SELECTOR, "[data-testid=compare-with]")).select_by_index(1)
    check_comparison(driver)
    assert f"compare={TRACE_B}" in driver.current_url
    # A row opens its span in its trace, leaving Compare.
    next(r for r in rows(driver)
         if r.find_element(By.CSS_SELECTOR, "[data-testid=compare-row-name]").text == "execute_tool get_time").click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=compare-open-b]").click()
    assert wait_for(driver, "[data-testid=trace-id]").text == TRACE_B
    selected = wait_for(driver, "[data-testid=waterfall] [role=row][aria-selected=true]")
    assert "execute_tool get_time" in selected.text
    assert "compare=" not in driver.current_url
    assert console_errors(driver) == []


def test_a_link_reopens_the_comparison(driver, app_url, tmp_path):
    path_a, path_b = write_pair(tmp_path)
    # A new page (the same address with another hash would not load again).
    driver.get("about:blank")
    driver.get(f"{app_url}#trace={TRACE_A}&compare={TRACE_B}")
    wait_for(driver, "[data-testid=trace-name]")
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(f"{path_b}\n{path_a}")
    check_comparison(driver)
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-id]").text == TRACE_A
    # Another view of the trace ends the comparison.
    driver.find_element(By.CSS_SELECTOR, "[data-testid=view-waterfall]").click()
    wait_for(driver, "[data-testid=waterfall]")
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=compare]")


def test_two_links_open_side_by_side(driver, app_url, tmp_path):
    # `?url=` twice: two runs published as files, compared by one link.
    write_pair(tmp_path)
    base, server = serve(tmp_path, cors=True)
    try:
        driver.get("about:blank")
        driver.get(f"{app_url}?url={base}run-a.json&url={base}run-b.json#trace={TRACE_A}&compare={TRACE_B}")
        check_comparison(driver)
        assert driver.find_element(By.CSS_SELECTOR, "[data-testid=source-name]").text.count("run-") == 2
    finally:
        server.shutdown()
