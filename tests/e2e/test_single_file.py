"""The single-file build (scripts/single_file.py): one HTML file that opens
from file:// with no server, reads files in its ingest worker, and, with
--trace, opens on the traces it carries."""

import gzip
import pathlib
import subprocess
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CORPUS, DIST, ROOT, console_errors

WAIT_SECONDS = 30
# What the README promises, for the app without a trace.
MAX_GZIPPED_BYTES = 2 * 1024 * 1024


def single_file(out: pathlib.Path, *traces: pathlib.Path) -> pathlib.Path:
    command = [sys.executable, str(ROOT / "scripts" / "single_file.py"), "--dist", str(DIST), "--out", str(out)]
    if traces:
        command += ["--trace", *map(str, traces)]
    subprocess.run(command, check=True, capture_output=True)
    return out


def trace_name(driver):
    return WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=trace-name]"))
    )


def read_on_the_page(driver):
    """Whether the page fell back to reading without a worker (it says so)."""
    return [e["message"] for e in driver.get_log("browser") if "reading on the page" in e["message"]]


def test_the_single_file_opens_from_file_and_reads_files_in_its_worker(driver, tmp_path):
    page = single_file(tmp_path / "spanloupe.html")
    assert len(gzip.compress(page.read_bytes())) < MAX_GZIPPED_BYTES
    driver.get(page.as_uri())
    assert trace_name(driver).text == "invoke_agent trip_planner"
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(
        str(CORPUS / "jaeger-example_trace.json")
    )
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=source-name]"), "jaeger-example_trace.json")
    )
    assert trace_name(driver).text == "example-operation-1"
    assert read_on_the_page(driver) == []
    assert console_errors(driver) == []


def test_a_one_file_report_opens_on_its_traces(driver, tmp_path):
    report = single_file(
        tmp_path / "report.html",
        CORPUS / "jaeger-example_trace.json",
        CORPUS / "otelproto-trace.json",
    )
    driver.get(report.as_uri())
    # Two inputs of different formats, opened together: the trace list.
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, "[data-testid=source-name]"), "jaeger-example_trace.json, otelproto-trace.json"
        )
    )
    listed = WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: [row.text for row in d.find_elements(By.CSS_SELECTOR, ".sl-trace-row")]
    )
    assert any("example-operation-1" in row for row in listed)
    assert any("I'm a server span" in row for row in listed)
    assert driver.title == "jaeger-example_trace.json, otelproto-trace.json · Spanloupe"
    assert read_on_the_page(driver) == []
    assert console_errors(driver) == []
