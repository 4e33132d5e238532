"""The browser benchmark: opens generated traces in the release build, in
headless Chromium, and prints one table row per input. Run it through
scripts/bench.sh, which generates the inputs and builds the app.

Every number is measured in the page with performance.now():
- first paint: from handing the file to the app (a drop event) to the first
  paint of the waterfall, or of the list of traces for an input of several
  (a User Timing mark the app sets after the frame);
- indexed: to the model being built and handed to the views;
- JSON.parse: a bare JSON.parse of the same text in the same page, once the
  app's spare workers are ready (so nothing compiles beside it), the median
  of five each after a garbage collection: the yardstick of the targets
  (first paint within 1.5x, indexed within 2x);
- memory: the JS heap after a forced GC and the WASM memory (which only
  grows, so it is the load's peak);
- process peak / after: what the OS counts for the page's renderer process,
  whose threads run the page and its Web Workers (the ingest workers' memory,
  which the column before leaves out, is in it). Peak is its VmHWM, reset
  when the file is handed over (so the JSON.parse yardstick before does not
  count; where the reset is refused, it is since the process started, which
  the table says), or the highest RSS sampled every 10 ms meanwhile if that
  is higher: the kernel raises VmHWM only at some points (when memory is
  unmapped), and missed the workers' peak in some runs. After is its VmRSS once the load's workers have ended and
  the app's spare workers for the next load are ready: polled until it
  changes by under 1% in a second (at most 10 s; the line under the table
  says when it did not settle). Both are resident memory, so they include
  the pages of Chromium's code and data the process shares with the others
  (about 100 MB for an empty page). The scroll and the other interactions
  are measured after this wait, on the settled page;
- longest task: the longest main-thread task during the load (Long Tasks API);
- scroll p95: the work of a frame (from its start to its rendering done)
  while scrolling 5 rows a frame, and while jumping a screen a frame from top
  to bottom, with the p95 interval between frames (16.7 ms when none is
  dropped);
- expand/collapse all, a search over all spans, selecting a span until the
  inspector is painted: each from the event to the next paint; for a list of
  traces, its scroll as above and opening a trace from it.
- huge values (inputs named *-huge.*, from gen-traces --huge): selecting the
  root, whose prompt is 10 MB with a 3 MB base64 image and which has a 10 MB
  attribute, then its Attributes, Raw and Messages tabs and a search that only the
  prompt matches: each step's time to paint and the longest task in it;
- the Conversation view: from the click to its first paint, and the longest
  task from the click until it has counted the trace's steps.
"""

import argparse
import gzip
import json
import pathlib
import os
import platform
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from harness import serve, start_chromium, stop_chromium  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]

# After the action, wait for a frame, then a task: the paint is done.
AFTER_PAINT = "await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));"

PREPARE = """
const [url, name, done] = arguments;
(async () => {
  window.__longTasks = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({type: 'longtask', buffered: true});
  // When the list of traces is shown, then painted: builds before the
  // spanloupe:trace-list-painted mark are timed by this.
  window.__listPainted = null;
  new MutationObserver((_, observer) => {
    if (window.__t0 === undefined || !document.querySelector('[data-testid=trace-list-summary]')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__listPainted = performance.now(); }, 0));
  }).observe(document.body, {childList: true, subtree: true});
  const blob = await (await fetch(url)).blob();
  window.__file = new File([blob], name);
  done({bytes: blob.size});
})().catch(e => done({error: String(e)}));
"""

# The baseline: the browser's own JSON.parse of the same text, on a quiet
# page (the app's spare workers ready, not compiling beside it).
PARSE = """
const done = arguments[0];
(async () => {
  const text = await window.__file.text();
  const t = performance.now();
  let parsed = JSON.parse(text);
  const ms = performance.now() - t;
  parsed = null;
  done(ms);
})().catch(e => done(null));
"""
PARSE_RUNS = 5

HAND_OVER = """
const done = arguments[0];
performance.clearMarks();
const data = new DataTransfer();
data.items.add(window.__file);
window.__file = null;
const app = document.querySelector('.sl-app');
window.__t0 = performance.now();
app.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));
app.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
done(true);
"""

LOAD_RESULT = """
const mark = name => performance.getEntriesByName(name, 'mark')[0];
// A single trace opens on its waterfall, several on the list of traces.
const painted = mark('spanloupe:waterfall-painted') || mark('spanloupe:trace-list-painted')
  || (window.__listPainted !== null ? {startTime: window.__listPainted} : null);
const error = document.querySelector('[data-testid=load-error]');
if (!painted) return error ? {error: error.textContent} : null;
const t0 = window.__t0;
const tasks = window.__longTasks.filter(([start]) => start >= t0 - 1);
return {
  firstPaintMs: painted.startTime - t0,
  indexedMs: mark('spanloupe:indexed').startTime - t0,
  longestTaskMs: Math.max(0, ...tasks.map(([, d]) => d)),
  // The longest tasks, as [start after the hand-over, duration].
  longTasks: tasks.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([start, d]) => [Math.round(start - t0), Math.round(d)]),
  // Where the time went, when the worker parsed: its own steps, then the
  // page's share (the reply's arrival, its decoding).
  worker: mark('spanloupe:reply-decoded')?.detail ?? null,
  plannedMs: mark('spanloupe:planned') ? mark('spanloupe:planned').startTime - t0 : null,
  workersReadyMs: mark('spanloupe:workers-ready') ? mark('spanloupe:workers-ready').startTime - t0 : null,
  receivedMs: mark('spanloupe:reply-received') ? mark('spanloupe:reply-received').startTime - t0 : null,
  decodedMs: mark('spanloupe:reply-decoded') ? mark('spanloupe:reply-decoded').startTime - t0 : null,
};
"""

MEMORY = """
return {
  jsHeap: performance.memory.usedJSHeapSize,
  wasm: window.wasmBindings.spanloupeMemoryBytes(),
};
"""

# The app's spare workers for the next load are ready (marked again since
# the hand-over cleared the marks). The app starts them a second after the
# load and ends the load's own within a second of its paint: the RSS polled
# from then on is the idle app's.
SPARES_READY = "return performance.getEntriesByName('spanloupe:workers-prepared').length > 0"

SCROLL = """
const [rowsPerFrame, screens, selector, done] = arguments;
(async () => {
  const el = document.querySelector(selector);
  el.scrollTop = 0;
  await new Promise(r => requestAnimationFrame(r));
  const step = rowsPerFrame ? rowsPerFrame * 24 : el.clientHeight;
  const frames = Math.min(rowsPerFrame ? 600 : Math.ceil(el.scrollHeight / step), 2000);
  // A frame's work: from its start (the animation frame's timestamp) to a
  // message posted from its animation frame callback, which runs once the
  // frame is rendered. The scroll set in one frame is rendered in the next
  // (its scroll event comes first there), so each frame's work includes the
  // rows it brought in. Intervals between frames are at least the display's
  // 16.7 ms and say whether frames were dropped.
  const intervals = [], work = [];
  const channel = new MessageChannel();
  let frameStart = 0;
  const allWork = new Promise(r => {
    channel.port1.onmessage = () => { work.push(performance.now() - frameStart); if (work.length === frames) r(); };
  });
  let last = null;
  for (let i = 0; i < frames; i++) {
    const ts = await new Promise(r => requestAnimationFrame(r));
    frameStart = ts;
    channel.port2.postMessage(null);
    if (last !== null) intervals.push(ts - last);
    last = ts;
    el.scrollTop += step;
  }
  await allWork;
  const p95 = list => { list.sort((a, b) => a - b); return list[Math.floor(list.length * 0.95)]; };
  done({p95: p95(intervals), workP95: p95(work), frames});
})();
"""

TIMED = """
const [script, done] = arguments;
(async () => {
  const t = performance.now();
  await (new Function(script))();
  """ + AFTER_PAINT + """
  done(performance.now() - t);
})();
"""

CLICK = "document.querySelector('[data-testid={}]').click();"
# Compare with the first other trace the picker offers.
COMPARE_WITH_NEXT = """
const picker = document.querySelector('[data-testid=compare-with]');
picker.value = picker.options[1].value;
picker.dispatchEvent(new Event('change', {bubbles: true}));
"""
SEARCH = """
const input = document.querySelector('[data-testid=search]');
input.value = {};
input.dispatchEvent(new Event('input', {{bubbles: true}}));
"""
# The top row by its index: the rows' elements are a pool in no order.
SELECT_FIRST = "document.querySelector('[data-testid=waterfall] [role=row][aria-rowindex=\"1\"]').click();"
# The longest task that started at or after each step's start (a task is
# reported once it ended, so read after the last step's paint).
LONGEST_SINCE = """
const starts = arguments[0];
return starts.map((t, i) => Math.max(0, ...window.__longTasks
  .filter(([start]) => start >= t - 1 && (i + 1 === starts.length || start < starts[i + 1]))
  .map(([, d]) => d)));
"""
SELECT = """
const rows = document.querySelectorAll('[data-testid=waterfall] [role=row]');
rows[Math.floor(rows.length / 2)].click();
"""


# The page's renderer process, as the OS counts it (Linux /proc; elsewhere
# the process columns say n/a).

SETTLE_BOUND_S = 10.0
SETTLE_INTERVAL_S = 0.25
# Samples within 1% of each other over a second: the RSS has settled.
SETTLE_SAMPLES = 5


def _children(pid):
    kids = []
    for task in pathlib.Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(kid) for kid in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids


def renderers(root):
    """The renderer processes under `root` (chromedriver, whose child is the
    browser; renderers are forked by its zygote, further down)."""
    found, stack = [], [root]
    while stack:
        for kid in _children(stack.pop()):
            stack.append(kid)
            try:
                # Renderers rewrite their command line as one string.
                if b"--type=renderer" in pathlib.Path(f"/proc/{kid}/cmdline").read_bytes():
                    found.append(kid)
            except OSError:
                pass
    return found


def proc_status(pid):
    """VmHWM and VmRSS of `pid`, in bytes (an empty dict once it is gone)."""
    try:
        lines = pathlib.Path(f"/proc/{pid}/status").read_text().splitlines()
    except (OSError, TypeError):
        return {}
    numbers = {}
    for line in lines:
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            numbers[key] = int(value.split()[0]) * 1024
    return numbers


def _runs_workers(pid):
    try:
        return any((task / "comm").read_text().startswith("DedicatedWorker")
                   for task in pathlib.Path(f"/proc/{pid}/task").glob("*"))
    except OSError:
        return False


def page_renderer(root):
    """The renderer of the app's page: the one whose threads include Web
    Workers (the spare workers are ready before each hand-over), or else the
    largest. Headless Chromium keeps a few other renderers, nearly empty."""
    pids = renderers(root)
    candidates = [p for p in pids if _runs_workers(p)] or pids
    return max(candidates, key=lambda p: proc_status(p).get("VmRSS", 0), default=None)


class RssSampler(threading.Thread):
    """The highest RSS of `pid`, sampled every 10 ms until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.highest, self.done = pid, 0, threading.Event()

    def run(self):
        while not self.done.wait(0.01):
            self.highest = max(self.highest, proc_status(self.pid).get("VmRSS", 0))

    def stop(self):
        self.done.set()
        self.join()
        return self.highest


def process_start(pid):
    """Before the hand-over: resets the renderer's peak (VmHWM) to its
    current RSS (writing 5 to clear_refs, Linux 4.0 on), so the peak read
    after the load is the load's, and starts sampling its RSS."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        reset = True
    except (OSError, TypeError):
        reset = False
    sampler = RssSampler(pid) if pid is not None else None
    if sampler:
        sampler.start()
    return {"pid": pid, "reset": reset, "before": proc_status(pid).get("VmRSS"), "t": time.monotonic(),
            "sampler": sampler}


def process_after_load(process, spares_ready):
    """Once the load is shown: waits for the app's spare workers (started
    after the load, whose own workers the app ends within a second of its
    paint), then polls the RSS until it settles, at most SETTLE_BOUND_S."""
    pid, start = process["pid"], time.monotonic()
    if pid is None:
        return {}
    while time.monotonic() - start < SETTLE_BOUND_S and not spares_ready():
        time.sleep(SETTLE_INTERVAL_S)
    samples, settled = [], None
    while time.monotonic() - start < SETTLE_BOUND_S:
        samples.append(proc_status(pid).get("VmRSS", 0))
        recent = samples[-SETTLE_SAMPLES:]
        if len(recent) == SETTLE_SAMPLES and max(recent) - min(recent) <= 0.01 * max(recent):
            settled = time.monotonic() - start
            break
        time.sleep(SETTLE_INTERVAL_S)
    status = proc_status(pid)
    sampled = process["sampler"].stop() if process.get("sampler") else 0
    return {
        "processPeak": max(status.get("VmHWM") or 0, sampled) or None,
        "processAfter": samples[-1] if samples else status.get("VmRSS"),
        "processBefore": process["before"],
        "peakReset": process["reset"],
        "settledS": settled,
    }


def process_line(name, r):
    """The renderer's memory at the hand-over and whether it settled after."""
    if not r.get("processPeak"):
        return None
    settled = (f"settled {r['settledS']:.1f} s after the load was shown" if r.get("settledS") is not None
               else f"not settled within {SETTLE_BOUND_S:.0f} s (the last sample is shown)")
    return (f"{name}: renderer RSS {r['processBefore'] / 1e6:.0f} MB at the hand-over, peak {r['processPeak'] / 1e6:.0f} MB"
            + ("" if r.get("peakReset", True) else " (since the process started: the peak could not be reset)")
            + f", {r['processAfter'] / 1e6:.0f} MB after ({settled})")


def measure(driver, script):
    return driver.execute_async_script(TIMED, script)


def run_one(driver, app_url, data_url, path, timeout_s):
    driver.get(app_url)
    driver.execute_script("return document.readyState")
    prepared = driver.execute_async_script(PREPARE, data_url + path.name, path.name)
    if "error" in prepared:
        return {"error": prepared["error"]}
    # The app starts its spare workers a second after its first screen: a
    # user drops a file later than that, so the file is handed over once
    # they are ready, as it is then.
    for _ in range(200):
        if driver.execute_script("return performance.getEntriesByName('spanloupe:workers-prepared').length > 0"):
            break
        time.sleep(0.05)
    if path.name.endswith(".json"):
        # The median of five, each after a garbage collection.
        parses = []
        for _ in range(PARSE_RUNS):
            driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
            parses.append(driver.execute_async_script(PARSE))
        parses = sorted(p for p in parses if p is not None)
        prepared["parseMs"] = parses[len(parses) // 2] if parses else None
    # A GC before the load, so the heap measured after it is the load's.
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    # The page's renderer, found by its spare workers, and its peak from now.
    renderer = page_renderer(driver.service.process.pid)
    process = process_start(renderer)
    driver.execute_async_script(HAND_OVER)
    loaded = None
    waited = 0.0
    while loaded is None and waited < timeout_s:
        time.sleep(0.1)
        waited += 0.1
        loaded = driver.execute_script(LOAD_RESULT)
    if loaded is None or "error" in loaded:
        if process.get("sampler"):
            process["sampler"].stop()
        return loaded or {"error": f"not shown after {timeout_s} s"}
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    result = {**prepared, **loaded, **driver.execute_script(MEMORY)}
    result.update(process_after_load(process, lambda: driver.execute_script(SPARES_READY)))
    if driver.execute_script("return !!document.querySelector('[data-testid=trace-list-summary]')"):
        # Many traces: the list is scrolled, then a trace opened from it (the
        # list scrolled as a whole before it had a box of rows of its own).
        box = ("[data-testid=trace-list-rows]"
               if driver.execute_script("return !!document.querySelector('[data-testid=trace-list-rows]')")
               else ".sl-trace-list")
        scroll, jump = driver.execute_async_script(SCROLL, 5, 0, box), driver.execute_async_script(SCROLL, 0, 1, box)
        result["scrollP95Ms"], result["scrollWorkP95Ms"] = scroll["p95"], scroll["workP95"]
        result["jumpP95Ms"], result["jumpWorkP95Ms"] = jump["p95"], jump["workP95"]
        result["traces"] = driver.execute_script("return document.querySelector('[data-testid=trace-list-summary]').textContent")
        result["openTraceMs"] = measure(driver, "document.querySelector('.sl-trace-row__name').click();")
        if driver.execute_script("return !!document.querySelector('[data-testid=compare-with]')") and \
                result["traces"].startswith("2 traces"):
            # Two traces: the open one compared with the other (Compare).
            result["compareMs"] = measure(driver, COMPARE_WITH_NEXT)
        return result
    box = "[data-testid=waterfall]"
    scroll, jump = driver.execute_async_script(SCROLL, 5, 0, box), driver.execute_async_script(SCROLL, 0, 1, box)
    result["scrollP95Ms"], result["scrollWorkP95Ms"] = scroll["p95"], scroll["workP95"]
    result["jumpP95Ms"], result["jumpWorkP95Ms"] = jump["p95"], jump["workP95"]
    result["collapseAllMs"] = measure(driver, CLICK.format("collapse-all"))
    result["expandAllMs"] = measure(driver, CLICK.format("expand-all"))
    result["selectMs"] = measure(driver, SELECT)
    # The critical path computed and drawn; then off again.
    result["criticalMs"] = measure(driver, CLICK.format("critical-path"))
    measure(driver, CLICK.format("critical-path"))
    # A word no span has: every name, key and value is looked at.
    result["searchMs"] = measure(driver, SEARCH.format(json.dumps("zq-no-such-text")))
    result["searchHitsMs"] = measure(driver, SEARCH.format(json.dumps("checkout")))
    if "-huge." in path.name:
        result["huge"] = huge_steps(driver)
    # The Statistics view (the waterfall is built anew after it).
    result["statisticsMs"] = measure(driver, CLICK.format("view-statistics"))
    result["flameMs"] = measure(driver, CLICK.format("view-flame"))
    if driver.execute_script("return !!document.querySelector('[data-testid=view-agents]')"):
        result["agentsMs"] = measure(driver, CLICK.format("view-agents"))
    measure(driver, CLICK.format("view-waterfall"))
    # Last, as the waterfall is built anew when it is shown again.
    if driver.execute_script("return !!document.querySelector('[data-testid=view-conversation]')"):
        start = driver.execute_script("return performance.now()")
        result["conversationMs"] = measure(driver, CLICK.format("view-conversation"))
        counting = "return document.querySelector('[data-testid=conversation-summary]')?.textContent.includes('counting')"
        for _ in range(600):
            if not driver.execute_script(counting):
                break
            time.sleep(0.1)
        driver.execute_async_script(TIMED, "")
        result["conversationTaskMs"] = driver.execute_script(LONGEST_SINCE, [start])[0]
    return result


HUGE_STEPS = [
    ("select the root", SEARCH.format(json.dumps("")) + SELECT_FIRST),
    ("Attributes tab", CLICK.format("tab-attributes")),
    ("Raw tab", CLICK.format("tab-raw")),
    ("Messages tab", CLICK.format("tab-messages")),
    ("search the prompt", SEARCH.format(json.dumps("shipment-"))),
]


def huge_steps(driver):
    """Each step's time to paint and the longest task in it, on the trace
    whose root carries the huge values."""
    driver.execute_async_script(TIMED, "")
    times, starts = [], []
    for _, script in HUGE_STEPS:
        starts.append(driver.execute_script("return performance.now()"))
        times.append(measure(driver, script))
    # Long tasks are reported after they end: one more frame for the last.
    driver.execute_async_script(TIMED, "")
    longest = driver.execute_script(LONGEST_SINCE, starts)
    return [{"step": name, "ms": ms, "longestTaskMs": task}
            for (name, _), ms, task in zip(HUGE_STEPS, times, longest)]


def median_of(results):
    """One result from several runs of the same input: the median of each
    number (the worker's step times included), so one slow run on a noisy
    machine does not decide the table."""
    good = [r for r in results if "error" not in r]
    if not good:
        return results[-1]

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    merged = dict(good[-1])
    for key, value in good[-1].items():
        if isinstance(value, (int, float)) and all(isinstance(r.get(key), (int, float)) for r in good):
            merged[key] = median([r[key] for r in good])
    workers = [r["worker"] for r in good if r.get("worker")]
    if len(workers) == len(good):
        numbers = lambda w: {k: v for k, v in w.items() if isinstance(v, (int, float))}  # noqa: E731
        merged["worker"] = {**workers[-1], **{key: median([numbers(w).get(key, 0) for w in workers])
                                              for key in numbers(workers[-1])}}
    huge = [r["huge"] for r in good if r.get("huge")]
    if len(huge) == len(good):
        merged["huge"] = [{**steps[-1], "ms": median([s["ms"] for s in steps]),
                           "longestTaskMs": median([s["longestTaskMs"] for s in steps])}
                          for steps in zip(*huge)]
    merged["runs"] = len(good)
    merged["firstPaintSpread"] = (min(r["firstPaintMs"] for r in good), max(r["firstPaintMs"] for r in good))
    return merged


def row(name, r):
    if "error" in r:
        return f"| {name} | | {r['error']} |" + " |" * 11
    mb = r["bytes"] / 1e6
    process = lambda key: (f"{r[key] / 1e6:.0f} MB ({r[key] / 1e6 / mb:.1f}x)"  # noqa: E731
                           if r.get(key) else "n/a")
    since_start = "" if r.get("peakReset", True) else " since start"
    parse = r.get("parseMs")
    ratio = lambda ms: f"{ms / parse:.2f}x" if parse else ""  # noqa: E731
    memory = (r["jsHeap"] + r["wasm"]) / 1e6
    ms = lambda key: f"{r[key]:.0f} ms" if key in r else "n/a"  # noqa: E731
    if "openTraceMs" in r:
        # A list of traces: its scroll, and opening a trace from it.
        compare = f"; compare with the other: {r['compareMs']:.0f} ms" if "compareMs" in r else ""
        interactions = (f"| n/a | n/a | open a trace from the list: {r['openTraceMs']:.0f} ms{compare} | n/a | n/a | n/a | n/a | n/a |")
    else:
        interactions = (f"| {ms('collapseAllMs')[:-3]} / {ms('expandAllMs')} | {ms('searchMs')[:-3]} / {ms('searchHitsMs')} "
                        f"| {ms('selectMs')} | {ms('criticalMs')} | {ms('statisticsMs')} | {ms('flameMs')} | {ms('agentsMs')} | {conversation(r)} |")
    return (
        f"| {name} | {mb:.1f} MB | {r['firstPaintMs']:.0f} ms {ratio(r['firstPaintMs'])} "
        f"| {r['indexedMs']:.0f} ms {ratio(r['indexedMs'])} | {f'{parse:.0f} ms' if parse else 'n/a'} "
        f"| {r['jsHeap'] / 1e6:.0f} + {r['wasm'] / 1e6:.0f} MB ({memory / mb:.1f}x) "
        f"| {process('processPeak')}{since_start} | {process('processAfter')} | {r['longestTaskMs']:.0f} ms "
        f"| {tenths(r['scrollWorkP95Ms'])} / {tenths(r['jumpWorkP95Ms'])} ms ({tenths(r['scrollP95Ms'])} / {tenths(r['jumpP95Ms'])}) "
        + interactions
    )


def tenths(value):
    """A time to a tenth of a millisecond; "n/a" when there was nothing to
    time (a list of two rows has no screen to jump)."""
    return "n/a" if value is None else f"{value:.1f}"


def conversation(r):
    if "conversationMs" not in r:
        return "n/a"
    return f"{r['conversationMs']:.0f} ms ({r['conversationTaskMs']:.0f} ms)"


def breakdown(name, r):
    """Where a worker load's time went, for the line under the table."""
    w = r.get("worker")
    if not w or r.get("receivedMs") is None:
        return None
    parts = w.get("fileParts", 1)
    others = [o for o in (w.get("otherWorkers") or []) if o]
    if parts > 1:
        own = (f"planned at {r.get('plannedMs') or 0:.0f} ms, workers ready at {r.get('workersReadyMs') or 0:.0f} ms, "
               f"read in {parts} parts by {parts} workers at once: the first read its part in {w['readMs']:.0f} ms "
               f"and loaded it in {w['loadMs']:.0f} ms"
               + "".join(f", another in {o.get('readMs', 0):.0f} + {o.get('loadMs', 0):.0f} ms "
                         f"(and sent it in {o.get('encodeMs', 0):.0f} ms)" for o in others)
               + f"; the first waited {w.get('waitMs', 0):.0f} ms for the others, joined them in {w.get('joinMs', 0):.0f} ms, "
               f"indexed in {w.get('indexMs', 0):.0f} ms, encoded and posted in {w['encodeMs']:.0f} ms")
    else:
        own = (f"worker read {w['readMs']:.0f} ms, load {w['loadMs']:.0f} ms"
               + (f" (its part; then read whole in {w['wholeMs']:.0f} ms)" if "wholeMs" in w else "")
               + f", encode and post {w['encodeMs']:.0f} ms")
    return (
        f"{name}: {own}; "
        f"first part at {r['receivedMs']:.0f} ms, all decoded at {r['decodedMs']:.0f} ms "
        f"(the page decoding for {w.get('pageDecodeMs', 0):.0f} ms of it), "
        f"indexed at {r['indexedMs']:.0f} ms, painted at {r['firstPaintMs']:.0f} ms"
        + (f"; longest tasks (start, ms): {r['longTasks']}" if r.get('longTasks') else "")
        + (f" (medians of {r['runs']} runs; first paint {r['firstPaintSpread'][0]:.0f}-{r['firstPaintSpread'][1]:.0f} ms)"
           if r.get("runs", 1) > 1 else "")
    )


def startup(driver, app_url):
    """Milliseconds from navigation to the demo's waterfall painted: the
    empty app is interactive by then (handlers are attached on mount)."""
    driver.get(app_url)
    painted = None
    for _ in range(300):
        painted = driver.execute_script(
            "const m = performance.getEntriesByName('spanloupe:waterfall-painted', 'mark')[0];"
            "return m ? m.startTime : null;"
        )
        if painted is not None:
            break
        time.sleep(0.05)
    return painted


def bundle_sizes(dist):
    """(raw, gzipped) bytes of what the page downloads to start (wasm, js,
    css), and of the ingest worker, fetched at the first load."""
    def sizes(files):
        return sum(p.stat().st_size for p in files), sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)

    files = [p for p in dist.iterdir() if p.suffix in (".wasm", ".js", ".css")]
    worker = [p for p in files if p.name.startswith("ingest_worker")]
    page = [p for p in files if p not in worker]
    return sizes(page), sizes(worker)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="+", type=pathlib.Path, help="generated trace files")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for a load")
    parser.add_argument("--runs", type=int, default=1,
                        help="loads of each input (in one browser, the page reloaded between); the table shows medians")
    parser.add_argument("--dist", type=pathlib.Path, default=ROOT / "dist",
                        help="the built app to measure (to compare two builds, copy one aside)")
    args = parser.parse_args()
    app_url, app_server = serve(args.dist)
    data_dirs = {p.resolve().parent for p in args.inputs}
    if len(data_dirs) != 1:
        sys.exit("all inputs must be in one folder")
    data_url, data_server = serve(data_dirs.pop(), cors=True)
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"{os.cpu_count()} cores, {memory_gb:.0f} GiB, {platform.system()} {platform.machine()}, headless Chromium")
    (raw, zipped), (worker_raw, worker_zipped) = bundle_sizes(args.dist)
    driver, profile = start_chromium()
    try:
        # The first navigation compiles the module; the second is what a returning user sees.
        cold, warm = startup(driver, app_url), startup(driver, app_url)
    finally:
        stop_chromium(driver, profile)
    print(f"bundle: {raw / 1e3:.0f} KB, {zipped / 1e3:.1f} KB gzipped (the ingest worker, fetched at the first load: "
          f"{worker_raw / 1e3:.0f} KB, {worker_zipped / 1e3:.0f} KB gzipped); demo painted {cold:.0f} ms after navigation "
          f"({warm:.0f} ms on a second visit)")
    print()
    print("| input | bytes | first paint (÷ JSON.parse) | indexed (÷ JSON.parse) | JSON.parse | JS heap + WASM (÷ bytes) "
          "| process peak (÷ bytes) | process after (÷ bytes) | longest task | scroll: p95 frame work (interval), 5 rows / a screen a frame | collapse / expand all | search (no hit / hits) | select → inspector | critical path | statistics | flame graph | agent graph "
          "| Conversation view (longest task) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    breakdowns = []
    processes = []
    huge_results = []
    for path in args.inputs:
        # A fresh browser per input: memory and caches of one do not weigh on the next.
        driver, profile = start_chromium(["--enable-precise-memory-info"])
        driver.set_script_timeout(args.timeout)
        results = []
        try:
            for _ in range(args.runs):
                results.append(run_one(driver, app_url, data_url, path, args.timeout))
        except Exception as err:  # noqa: BLE001 - a crashed tab is a result too
            results.append({"error": f"{type(err).__name__}: {str(err).splitlines()[0]}"})
        finally:
            stop_chromium(driver, profile)
        result = median_of(results)
        print(row(path.name, result), flush=True)
        breakdowns.append(breakdown(path.name, result))
        processes.append(process_line(path.name, result))
        if result.get("huge"):
            huge_results.append((path, result))
    print()
    for line in filter(None, breakdowns + processes):
        print(line)
    for path, result in huge_results:
        print(f"{path.name}, huge values (10 MB prompt with a 3 MB base64 image, a 10 MB attribute): "
              + "; ".join(f"{s['step']} {s['ms']:.0f} ms (longest task {s['longestTaskMs']:.0f} ms)" for s in result["huge"]))
    app_server.shutdown()
    data_server.shutdown()


if __name__ == "__main__":
    main()
