"""The Sessions tab of a trace list: traces that share a session id, each
session with its traces in time order, a trace opening with a click."""

import json
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import console_errors

WAIT_SECONDS = 30


def turn(trace, span, name, start_ms, session):
    attributes = [{"key": "session.id", "value": {"stringValue": session}}] if session else []
    return {
        "traceId": trace,
        "spanId": span,
        "name": name,
        "startTimeUnixNano": str(1_764_000_000_000_000_000 + start_ms * 1_000_000),
        "endTimeUnixNano": str(1_764_000_000_000_000_000 + (start_ms + 50) * 1_000_000),
        "attributes": attributes,
    }


def test_traces_of_a_session_are_listed_together(driver, app_url, tmp_path: pathlib.Path):
    spans = [
        turn("10000000000000000000000000000001", "0000000000000001", "turn 2", 2_000, "chat-7"),
        turn("10000000000000000000000000000002", "0000000000000002", "turn 1", 1_000, "chat-7"),
        turn("10000000000000000000000000000003", "0000000000000003", "other chat", 1_500, "chat-8"),
        turn("10000000000000000000000000000004", "0000000000000004", "health check", 500, None),
    ]
    path = tmp_path / "chats.json"
    path.write_text(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}))
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=trace-name]")))
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
    tab = WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=list-sessions]"))
    )
    assert tab.text == "Sessions (2)"
    tab.click()
    sessions = WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=session]")
    )
    # Latest first.
    assert [s.find_element(By.CSS_SELECTOR, ".sl-session__id").text for s in sessions] == ["chat-8", "chat-7"]
    chat7 = sessions[1]
    assert "2 traces" in chat7.find_element(By.TAG_NAME, "summary").text
    chat7.find_element(By.TAG_NAME, "summary").click()
    traces = chat7.find_elements(By.CSS_SELECTOR, "[data-testid=session-trace]")
    assert [t.text for t in traces] == ["turn 1", "turn 2"]
    traces[1].click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "turn 2")
    )
    assert console_errors(driver) == []


def chat_turn(trace, span, start_ms, question, answer):
    """A trace of one model call of a chat, in the GenAI conventions."""
    messages = [{"role": "user", "parts": [{"type": "text", "content": question}]}]
    output = [{"role": "assistant", "parts": [{"type": "text", "content": answer}], "finish_reason": "stop"}]
    attributes = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.conversation.id": "conv-42",
        "gen_ai.input.messages": json.dumps(messages),
        "gen_ai.output.messages": json.dumps(output),
    }
    return {
        "traceId": trace,
        "spanId": span,
        "name": "chat gpt-4o",
        "kind": 3,
        "startTimeUnixNano": str(1_764_000_000_000_000_000 + start_ms * 1_000_000),
        "endTimeUnixNano": str(1_764_000_000_000_000_000 + (start_ms + 900) * 1_000_000),
        "attributes": [{"key": k, "value": {"stringValue": v}} for k, v in attributes.items()] + [
            {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "1000"}},
            {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "500"}},
        ],
    }


def test_a_session_reads_as_one_conversation(driver, app_url, tmp_path: pathlib.Path):
    spans = [
        chat_turn("20000000000000000000000000000002", "0000000000000002", 5_000, "And on Sunday?", "Rain after noon."),
        chat_turn("20000000000000000000000000000001", "0000000000000001", 1_000, "Weather in Lisbon on Saturday?", "Sunny, 19 °C."),
    ]
    path = tmp_path / "conversation.json"
    path.write_text(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}))
    driver.get(app_url)
    WebDriverWait(driver, WAIT_SECONDS).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=trace-name]")))
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(path))
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=list-sessions]"))).click()
    session = WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=session]")))
    summary = session.find_element(By.TAG_NAME, "summary")
    # Two gpt-4o calls of 1,000 in and 500 out at $2.50 / $10 per million.
    assert "$0.015" in summary.text, summary.text
    summary.click()
    session.find_element(By.CSS_SELECTOR, "[data-testid=session-conversation]").click()
    turns = WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=session-turn]"))
    assert len(turns) == 2
    # In time order, each turn's question and answer.
    assert "Weather in Lisbon on Saturday?" in turns[0].text and "Sunny, 19 °C." in turns[0].text
    assert "And on Sunday?" in turns[1].text and "Rain after noon." in turns[1].text
    # The trace is a click away.
    turns[1].find_element(By.CSS_SELECTOR, "[data-testid=session-turn-open]").click()
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=trace-id]")))
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=trace-id]").text == "20000000000000000000000000000002"
    assert console_errors(driver) == []
