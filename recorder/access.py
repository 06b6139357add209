"""StoreAccess: a store as the interfaces use it, read lightly and opened fully to write."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from recorder.domain.clock import Clock, SystemClock
from recorder.store.locations import Locations, resolve
from recorder.store.readers import Reader, SqliteReader, open_sqlite_reader

if TYPE_CHECKING:
    from recorder.store.server_reader import PostgresReader
    from recorder.store.session import Store


class StoreAccess:
    """The way to one store for the CLI and the TUI.

    Reading a SQLite store that is at head needs neither SQLAlchemy nor Alembic, whose
    imports alone take longer than a list command or the TUI's first screen may. The
    full `Store` (SQLAlchemy, migrations, the write path) is opened on first need,
    once, from any thread.
    """

    def __init__(self, location: str | Locations | None = None, *, clock: Clock | None = None):
        self.where = location if isinstance(location, Locations) else resolve(location)
        self.clock: Clock = clock or SystemClock()
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        """Whether the full store has been opened."""
        return self._store is not None

    def store(self) -> Store:
        """The full store, opened (created, upgraded, given its presets) on first call."""
        with self._lock:
            if self._store is None:
                from recorder.write.opening import open_store

                self._store = open_store(self.where, clock=self.clock)
            return self._store

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """A reader on one snapshot of the store: the light one while it can be used."""
        with self.light_reader() as light:
            if light is not None:
                yield light
                return
        with self.store().reader() as reader:
            yield reader

    @contextmanager
    def light_reader(self) -> Iterator[Reader | None]:
        """The light reader of a SQLite store at head, or None where there is none
        (another database, a store to create or upgrade): never opens the full store."""
        light = None if self._store is not None else _light_reader(self.where)
        try:
            yield light
        finally:
            if light is not None:
                light.close()

    def close(self) -> None:
        """Release the full store's connections, if it was opened."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def _light_reader(where: Locations) -> SqliteReader | PostgresReader | None:
    """The reader of the standard library for a SQLite store, of psycopg alone for one on
    a PostgreSQL server; None where neither can be used."""
    if where.database is not None:
        return open_sqlite_reader(where)
    if where.url.startswith("postgresql"):
        from recorder.store.server_reader import open_postgres_reader

        return open_postgres_reader(where.url)
    return None
