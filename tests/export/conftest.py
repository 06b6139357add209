"""Fixtures for the evidence tests: a filled store."""

from __future__ import annotations

from pathlib import Path

import pytest

from recorder.write.opening import open_store
from tests.helpers.evidence import fill


@pytest.fixture
def filled(store_url: str, tmp_path: Path) -> tuple[str, dict[str, int]]:
    """Where a filled store is (a SQLite file, or a PostgreSQL database where the test
    runs on every back end), and the ids in it."""
    store = open_store(store_url)
    ids = fill(store, tmp_path / "files")
    store.close()
    return store_url, ids
