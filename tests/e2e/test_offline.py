"""After a first visit the hosted viewer works offline (its service worker
keeps the build), and a new build takes over at the visit after the one
that saw it."""

import re
import shutil
import subprocess
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CORPUS, DIST, ROOT
from harness import serve

WAIT_SECONDS = 30


def trace_name(driver):
    return WebDriverWait(driver, WAIT_SECONDS).until(
        EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid=trace-name]"))
    )


def cache_names(driver):
    return driver.execute_async_script("const done = arguments[0]; caches.keys().then(done, () => done([]));")


def version(site):
    return re.search(r'const VERSION = "(\w+)"', (site / "sw.js").read_text()).group(1)


def test_the_viewer_works_offline_after_a_visit_and_updates_on_the_next_one(driver, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(DIST, site)
    url, server = serve(site)
    port = server.server_address[1]
    try:
        driver.get(url)
        assert trace_name(driver).text == "invoke_agent trip_planner"
        # The worker took the page over once it kept the build.
        WebDriverWait(driver, WAIT_SECONDS).until(lambda d: d.execute_script("return !!navigator.serviceWorker.controller"))
        first = version(site)
        assert any(name.endswith(first) for name in cache_names(driver))
    finally:
        server.shutdown()
        server.server_close()

    # The site is gone: the viewer still opens, and still reads files in its worker.
    driver.get(url + "?again")
    assert trace_name(driver).text == "invoke_agent trip_planner"
    driver.find_element(By.CSS_SELECTOR, "[data-testid=file-input]").send_keys(str(CORPUS / "jaeger-example_trace.json"))
    WebDriverWait(driver, WAIT_SECONDS).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "[data-testid=trace-name]"), "example-operation-1")
    )
    assert [e for e in driver.get_log("browser") if "reading on the page" in e["message"]] == []

    # A new build is published at the same place.
    index = site / "index.html"
    index.write_text(index.read_text().replace("<head>", "<head><!-- build 2 -->", 1))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "offline.py"), str(site)], check=True)
    second = version(site)
    assert second != first
    url_again, server = serve(site, port=port)
    assert url_again == url
    try:
        # This visit is served what was kept, and sees the new build...
        driver.get(url)
        trace_name(driver)
        assert "build 2" not in driver.execute_script("return document.head.innerHTML")
        # ...which replaces the old one once it is kept...
        def only_the_new_build_kept(d):
            names = cache_names(d)
            return any(n.endswith(second) for n in names) and not any(n.endswith(first) for n in names)

        WebDriverWait(driver, WAIT_SECONDS).until(only_the_new_build_kept)
        # ...and the next visit is the new build.
        driver.get(url)
        trace_name(driver)
        assert "build 2" in driver.execute_script("return document.head.innerHTML")
    finally:
        server.shutdown()
        server.server_close()
