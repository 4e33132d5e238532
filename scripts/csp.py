#!/usr/bin/env python3
"""Trunk's post-build hook (Trunk.toml): completes the Content-Security-Policy
of the built index.html with the hash of each inline script Trunk wrote (its
loader of the app's module), so the policy allows exactly those and no
'unsafe-inline'. index.html holds the policy, with INLINE_SCRIPT_HASHES where
the hashes go; they change with every build, as the loader names the
module's file by its hash. Then writes the build's service worker
(offline.py), which hashes the finished files.
"""

import base64
import hashlib
import os
import pathlib
import re
import sys

import offline

PLACEHOLDER = "INLINE_SCRIPT_HASHES"


def main() -> int:
    staging = pathlib.Path(os.environ.get("TRUNK_STAGING_DIR", "dist"))
    page = staging / "index.html"
    html = page.read_text()
    if PLACEHOLDER not in html:
        print(f"csp.py: no {PLACEHOLDER} in {page}", file=sys.stderr)
        return 1
    # Inline scripts only: <script> elements without a src attribute.
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in scripts
    )
    page.write_text(html.replace(PLACEHOLDER, hashes))
    return offline.write(staging)


if __name__ == "__main__":
    sys.exit(main())
