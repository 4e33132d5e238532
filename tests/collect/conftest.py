"""Fixtures of the collector's tests: a collector per test, in memory unless
the test needs a file."""

import sys
import pathlib

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from collector import Collector  # noqa: E402


@pytest.fixture
def collector():
    started = Collector("--memory")
    yield started
    started.stop()


@pytest.fixture
def start_collector():
    """Starts collectors with the given flags; each is stopped after the test."""
    started = []

    def start(*args):
        one = Collector(*args)
        started.append(one)
        return one

    yield start
    for one in started:
        one.stop()
