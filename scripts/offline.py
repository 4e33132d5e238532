#!/usr/bin/env python3
"""Run by csp.py, Trunk's post-build hook, once the page is final: writes sw.js, the
service worker that keeps the build for offline use, from
assets/sw.template.js with the list of the build's files and a version
hashed from their names and contents (so any change makes a new worker,
which browsers fetch and install on the next visit).

    scripts/offline.py [DIR]    DIR: the build (default: Trunk's staging dir, else dist)
"""

import hashlib
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "assets" / "sw.template.js"
WORKER = "sw.js"


def write(build: pathlib.Path) -> int:
    files = sorted(
        path.relative_to(build).as_posix() for path in build.rglob("*") if path.is_file() and path.name != WORKER and not path.name.startswith(".")
    )
    if "index.html" not in files:
        print(f"offline.py: no index.html in {build}", file=sys.stderr)
        return 1
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (build / name).read_bytes() + b"\0")
    worker = (
        TEMPLATE.read_text()
        .replace("__VERSION__", digest.hexdigest()[:16])
        .replace("__FILES__", json.dumps(files))
    )
    (build / WORKER).write_text(worker)
    return 0


def main() -> int:
    return write(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR", "dist")))


if __name__ == "__main__":
    sys.exit(main())
