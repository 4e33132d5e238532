#!/usr/bin/env python3
"""Writes Spanloupe as one self-contained HTML file from a release build
(dist/): the page's and the ingest worker's scripts and WebAssembly, the
stylesheet and the icon inlined, so that it opens from file:// with no
server. With --trace, the trace files are inlined too and the page opens on
them: a one-file report for a bug or a CI artifact.

    scripts/single_file.py [--dist dist] [--out dist-single/spanloupe.html] [--trace FILE ...]

The files go in as base64 in data blocks (<script type="application/octet-
stream">, never run); a small loader turns them into Blob URLs, starts the
page's module from one, and lists the worker's in window.spanloupeAssets,
where the app looks for them (src/load/worker/assets.rs). The page's
Content-Security-Policy stays strict: scripts are the two inline ones by
hash and Blob URLs the loader made, styles the inlined stylesheet by hash.
"""

import argparse
import base64
import gzip
import hashlib
import html
import pathlib
import re
import sys

# Each part of the build that goes in, by the id of its data block.
PAGE_SCRIPT = "sl-page-js"
PAGE_WASM = "sl-page-wasm"
WORKER_SCRIPT = "sl-worker-js"
WORKER_WASM = "sl-worker-wasm"

LOADER = """
const block = (element) => {
  const text = atob(element.textContent.trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
};
const bytesOf = (id) => block(document.getElementById(id));
const urlOf = (id, type) => URL.createObjectURL(new Blob([bytesOf(id)], { type }));
const workerScript = urlOf("sl-worker-js", "text/javascript");
const workerWasm = urlOf("sl-worker-wasm", "application/wasm");
// A worker of a file:// page may not load other Blob URLs: its script is
// the worker's own with its module inlined.
const workerLoader = URL.createObjectURL(new Blob(
  [bytesOf("sl-worker-js"),
   ";\\nwasm_bindgen({ module_or_path: Uint8Array.from(atob(" +
     JSON.stringify(document.getElementById("sl-worker-wasm").textContent.trim()) +
     "), (c) => c.charCodeAt(0)) });"],
  { type: "text/javascript" }));
window.spanloupeAssets = {
  "ingest_worker_loader.js": workerLoader,
  "ingest_worker.js": workerScript,
  "ingest_worker_bg.wasm": workerWasm,
};
window.spanloupeBakedFiles = Array.from(
  document.querySelectorAll("script[data-spanloupe-trace]"),
  (element) => new File([block(element)], element.dataset.spanloupeTrace));
const bindings = await import(urlOf("sl-page-js", "text/javascript"));
const wasm = await bindings.default({ module_or_path: bytesOf("sl-page-wasm") });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
""".strip()


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def one(dist: pathlib.Path, pattern: str) -> pathlib.Path:
    found = sorted(dist.glob(pattern))
    if len(found) != 1:
        raise SystemExit(f"single_file.py: expected one {pattern} in {dist}, found {len(found)}: run `trunk build --release`")
    return found[0]


def data_block(element_id: str, data: bytes, **attributes) -> str:
    extra = "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items())
    return (
        f'<script type="application/octet-stream" id="{element_id}"{extra}>'
        + base64.b64encode(data).decode()
        + "</script>"
    )


def build(dist: pathlib.Path, traces: list[pathlib.Path]) -> str:
    index = (dist / "index.html").read_text()
    # The script that loads the worker's module into the page where no
    # worker can start, as index.html has it.
    reader = re.search(r"<script>\s*(window\.spanloupeLoadReader.*?)</script>", index, flags=re.S)
    if not reader:
        raise SystemExit("single_file.py: no spanloupeLoadReader script in dist/index.html")
    reader_script = reader.group(1)
    css = one(dist, "main-*.css").read_text()
    icon = base64.b64encode(one(dist, "favicon-*.svg").read_bytes()).decode()
    page_script = one(dist, "spanloupe-*.js")
    page_wasm = one(dist, "spanloupe-*_bg.wasm")

    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src 'wasm-unsafe-eval' blob: {csp_hash(LOADER)} {csp_hash(reader_script)}",
            f"style-src {csp_hash(css)}",
            "img-src data: blob: https:",
            # blob: for the worker's module, fetched from its Blob URL.
            "connect-src * blob:",
            "worker-src blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    blocks = [
        data_block(PAGE_SCRIPT, page_script.read_bytes()),
        data_block(PAGE_WASM, page_wasm.read_bytes()),
        data_block(WORKER_SCRIPT, (dist / "ingest_worker.js").read_bytes()),
        data_block(WORKER_WASM, (dist / "ingest_worker_bg.wasm").read_bytes()),
    ]
    for number, trace in enumerate(traces, start=1):
        blocks.append(data_block(f"sl-trace-{number}", trace.read_bytes(), **{"data-spanloupe-trace": trace.name}))
    title = "Spanloupe" if not traces else f"{', '.join(t.name for t in traces)} · Spanloupe"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8" />',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}" />',
            '<meta name="referrer" content="no-referrer" />',
            '<meta name="viewport" content="width=device-width, initial-scale=1" />',
            f"<title>{html.escape(title)}</title>",
            f'<link rel="icon" href="data:image/svg+xml;base64,{icon}" />',
            f"<style>{css}</style>",
            f"<script>{reader_script}</script>",
            *blocks,
            f'<script type="module">{LOADER}</script>',
            "</head>",
            "<body></body>",
            "</html>",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = pathlib.Path(__file__).resolve().parents[1]
    parser.add_argument("--dist", type=pathlib.Path, default=root / "dist")
    parser.add_argument("--out", type=pathlib.Path, default=root / "dist-single" / "spanloupe.html")
    parser.add_argument("--trace", type=pathlib.Path, nargs="+", default=[], metavar="FILE")
    args = parser.parse_args()
    for trace in args.trace:
        if not trace.is_file():
            print(f"single_file.py: {trace}: no such file", file=sys.stderr)
            return 1
    page = build(args.dist, args.trace).encode()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(page)
    zipped = len(gzip.compress(page, compresslevel=9))
    print(f"{args.out}: {len(page) / 1024:.0f} KB, {zipped / 1024:.0f} KB gzipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
