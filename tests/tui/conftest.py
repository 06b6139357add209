"""Fixtures for the terminal UI's tests: stores to run it on."""

from __future__ import annotations

from pathlib import Path

import pytest

from recorder.access import StoreAccess
from recorder.demo import fill
from recorder.domain.clock import FixedClock
from tests.helpers.tui import NOW


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    """Where a store will be; it does not exist yet."""
    return tmp_path / "empty" / "recorder.sqlite3"


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    """A store filled with the demo's cases, as of NOW."""
    path = tmp_path / "demo" / "recorder.sqlite3"
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    fill(access.store())
    access.close()
    return path
