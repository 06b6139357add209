"""Readers: run the read side's SQL on a store, with or without SQLAlchemy.

The queries in `recorder.read` are SQL text with `:name` parameters, which both
the standard library's sqlite3 and SQLAlchemy understand. The CLI reads a SQLite
store that is already at head through `SqliteReader`, which never imports
SQLAlchemy (importing it alone takes longer than a whole `recorder list` should);
everything else reads through `Store.reader()`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from recorder.store.locations import Locations, escape_path
from recorder.store.revision import SCHEMA_HEAD


class Reader(Protocol):
    """Runs a read-only query and returns its rows as tuples."""

    @property
    def dialect(self) -> str:
        """The database's kind, as SQLAlchemy names it ('sqlite', 'postgresql')."""
        ...

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Sequence[Any]]:
        """The rows of `sql` with `params` bound to its `:name` placeholders."""
        ...


class SqliteReader:
    """A read-only view of a SQLite store through the standard library.

    All its queries see one snapshot: it holds a read transaction until closed.
    """

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """The rows of `sql`."""
        return self.connection.execute(sql, params or {}).fetchall()

    def close(self) -> None:
        """End the read transaction and close the connection."""
        self.connection.rollback()
        self.connection.close()


def open_sqlite_reader(where: Locations) -> SqliteReader | None:
    """A reader for an existing SQLite store at head; None when it takes the full path.

    None means: the store is not SQLite, does not exist yet, or needs migrating, so
    it must be opened with `Store.open`, which creates or upgrades it.
    """
    if where.database is None or not where.database.is_file():
        return None
    # A URI, so that `mode=rw` refuses to create a missing file.
    uri = f"file:{escape_path(where.database)}?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("BEGIN")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        revision = None
    if revision is None or revision[0] != SCHEMA_HEAD:
        connection.close()
        return None
    return SqliteReader(connection)


def like(reader: Reader) -> str:
    """The operator that matches a `contains` pattern without regard to case, as SQLite's
    LIKE does (for ASCII): PostgreSQL's LIKE heeds case, its ILIKE does not."""
    return "ILIKE" if reader.dialect == "postgresql" else "LIKE"


def contains(text: str) -> str:
    """A LIKE pattern for values holding `text`, its wildcards escaped (with
    `ESCAPE '\\'` after the LIKE)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`:p0, :p1, ...` for an IN list, with the parameters to bind."""
    params = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params
