"""Fixtures shared by every tier: an isolated environment, a fixed clock, a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recorder.domain.clock import FixedClock
from recorder.domain.i18n import ENGLISH, use
from recorder.store.session import Store
from recorder.write.opening import open_store
from tests.helpers.postgres import Server, postgres_server, programs

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's real store, whatever the environment says."""
    monkeypatch.delenv("RECORDER_DB", raising=False)
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RECORDER_TZ", "America/New_York")
    monkeypatch.setenv("RECORDER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RECORDER_LANG", "en")
    use(ENGLISH)


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at NOW that moves one second per reading."""
    from datetime import timedelta

    return FixedClock(NOW, step=timedelta(seconds=1))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's store file lives."""
    return tmp_path / "store" / "recorder.sqlite3"


BACKENDS = ("sqlite", "postgresql")
"""What a store can be kept in. A test module marked `pytest.mark.backends` runs each of
its tests that uses a store once on each; other tests use SQLite."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "backends: run the test on every back end (SQLite, PostgreSQL)"
    )
    config.addinivalue_line(
        "markers", "sqlite_only: a test of a module marked backends that is about SQLite's files"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marked = metafunc.definition.get_closest_marker
    if "backend" in metafunc.fixturenames and marked("backends") and not marked("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS)


@pytest.fixture
def backend() -> str:
    """The back end of the test's store: SQLite unless the test is marked `backends`."""
    return "sqlite"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """A throw-away PostgreSQL server, one per test process (each xdist worker its own)."""
    if programs() is None:
        pytest.skip("no PostgreSQL programs here: install the test extra (pgserver)")
    with postgres_server() as server:
        yield server


@pytest.fixture
def store_url(request: pytest.FixtureRequest, backend: str, db_path: Path) -> Iterator[str]:
    """Where the test's store is: a SQLite file, or a new database on the test server."""
    if backend == "sqlite":
        yield str(db_path)
        return
    server: Server = request.getfixturevalue("postgres")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def store(store_url: str, clock: FixedClock) -> Iterator[Store]:
    """A new, migrated store (a real SQLite file, or a PostgreSQL database where the test
    runs on every back end), with the built-in platforms."""
    opened = open_store(store_url, clock=clock)
    yield opened
    opened.close()
