"""Fixtures shared by every tier: an isolated environment, a fixed clock, a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recorder.domain.clock import FixedClock
from recorder.store.session import Store
from recorder.write.opening import open_store

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's real store, whatever the environment says."""
    monkeypatch.delenv("RECORDER_DB", raising=False)
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RECORDER_TZ", "America/New_York")


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at NOW that moves one second per reading."""
    from datetime import timedelta

    return FixedClock(NOW, step=timedelta(seconds=1))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's store file lives."""
    return tmp_path / "store" / "recorder.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: FixedClock) -> Iterator[Store]:
    """A new, migrated store on a real SQLite file, with the built-in platforms."""
    opened = open_store(str(db_path), clock=clock)
    yield opened
    opened.close()
