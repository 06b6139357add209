"""Fixtures for the evidence tests: a filled store."""

from __future__ import annotations

from pathlib import Path

import pytest

from recorder.write.opening import open_store
from tests.helpers.evidence import fill


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """The path of a filled store, and the ids in it."""
    path = tmp_path / "store" / "recorder.sqlite3"
    store = open_store(str(path))
    ids = fill(store, tmp_path / "files")
    store.close()
    return path, ids
