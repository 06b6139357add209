"""The light reader of a store on a PostgreSQL server: the read side's SQL through the
psycopg driver alone, without SQLAlchemy, as `readers.SqliteReader` is through the
standard library. `recorder list`, `show`, `due` and `search` on a shared store then
cost a third of a second less: importing SQLAlchemy and SQLModel is most of their time.

Its rows are those SQLAlchemy's text queries give on the same driver (times naive in
UTC, JSON decoded, booleans as bool), so the read side needs nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from recorder.store.revision import SCHEMA_HEAD

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
"""A `:name` placeholder (not the second colon of a `::type` cast)."""


class PostgresReader:
    """A read-only view of a store on a server; its queries see one snapshot (a
    REPEATABLE READ transaction) until it is closed."""

    dialect = "postgresql"

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """The rows of `sql`, its `:name` placeholders bound to `params`."""
        query = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        rows: list[Any] = self.connection.execute(query, dict(params or {})).fetchall()
        return rows

    def close(self) -> None:
        """End the transaction and close the connection."""
        self.connection.close()


def act_as_owner(connection: Any) -> None:
    """On a new psycopg connection: act as the database's owner role where the member
    who logs in belongs to it. A store several people keep belongs to one role they are
    all members of, so whoever creates or migrates the tables, every member may use
    them; the member stays the session's user (recorder.store.session.Store.member)."""
    autocommit = connection.autocommit
    connection.autocommit = True
    try:
        owner = connection.execute(
            "SELECT pg_get_userbyid(datdba), pg_has_role(session_user, datdba, 'MEMBER')"
            " FROM pg_database WHERE datname = current_database()"
        ).fetchone()
        if owner is not None and owner[1] and owner[0] != connection.info.user:
            connection.execute('SET ROLE "' + str(owner[0]).replace('"', '""') + '"')
    finally:
        connection.autocommit = autocommit


def open_postgres_reader(url: str) -> PostgresReader | None:
    """A reader for a store on a PostgreSQL server at head; None when it takes the full
    path (no driver, no server, no store yet, a store to upgrade): `Store.open` then
    says what is wrong, or does what is needed."""
    try:
        import psycopg
    except ImportError:
        return None
    scheme, _sep, rest = url.partition("://")
    if scheme not in ("postgresql", "postgresql+psycopg"):
        return None
    try:
        connection = psycopg.connect(f"postgresql://{rest}", connect_timeout=10)
    except psycopg.Error:
        return None
    try:
        act_as_owner(connection)
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.Error:
        revision = None
    if revision is None or revision[0] != SCHEMA_HEAD:
        connection.close()
        return None
    return PostgresReader(connection)
