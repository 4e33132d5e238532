"""Starts `spanloupe-collect` for a test on free ports of 127.0.0.1 and ends
it by its PID: the tests never touch a process they did not start."""

import os
import pathlib
import selectors
import signal
import subprocess
import time
import urllib.request
import json

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary():
    """The collector as scripts/test.sh builds it (SPANLOUPE_COLLECT names
    another build, e.g. the release one of the benchmark)."""
    path = pathlib.Path(os.environ.get("SPANLOUPE_COLLECT", ROOT / "target" / "debug" / "spanloupe-collect"))
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: run `cargo build -p spanloupe-collect` first (scripts/test.sh does)")
    return path


class Collector:
    def __init__(self, *args, startup_timeout=30):
        self.args = list(args)
        defaults = [flag for flag in ("--listen", "--grpc-listen") if flag not in self.args]
        ports = [arg for flag in defaults for arg in (flag, "127.0.0.1:0")]
        self.process = subprocess.Popen(
            [str(binary()), *ports, *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        line = self._first_line(startup_timeout)
        # "listening http=127.0.0.1:PORT grpc=127.0.0.1:PORT"
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        self.http = fields["http"]
        self.grpc = fields["grpc"]
        self.url = f"http://{self.http}"

    def _first_line(self, timeout):
        chosen = selectors.DefaultSelector()
        chosen.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if chosen.select(timeout=0.2):
                line = self.process.stdout.readline().decode()
                if line.startswith("listening "):
                    return line.strip()
                if not line:
                    break
            if self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"the collector did not start: {self.process.stderr.read().decode()}")

    def get_json(self, path, headers=None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def status(self):
        return self.get_json("/api/spanloupe/status")

    def stop(self):
        """Ends the collector gracefully (SIGTERM), then for good."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()

    def kill(self):
        """Ends it as a crash would (SIGKILL): nothing gets to clean up."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stop()
