"""Engines, SQLite settings, backups, and bringing a store's schema up to head."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from recorder.domain.errors import StoreError
from recorder.store.locations import sqlite_path
from recorder.store.revision import SCHEMA_HEAD

__all__ = ["SCHEMA_HEAD", "backup", "current_revision", "make_engine", "upgrade"]


BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another to finish before giving up."""

_BEGIN_OPTION = "recorder_begin"


def migrations_dir() -> Path:
    """Where the Alembic environment is: inside an installed wheel, or the checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_schema"
    if packaged.is_dir():
        return packaged
    return package.parent / "schema"


def create_private_file(path: Path) -> bool:
    """Create an empty file readable by the owner only; False if it was already there."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def make_engine(url: str) -> Engine:
    """Create an engine for a store URL; for SQLite, set the pragmas the store relies on.

    SQLite files get WAL with `synchronous=FULL` (a committed contact survives a power
    cut), foreign keys, a busy timeout, and transactions that pysqlite does not start on
    its own, so that writers can begin with `BEGIN IMMEDIATE` (see `write_engine`).
    The file is created with mode 0600 before SQLite opens it: SQLite gives its -wal
    and -shm files the same mode.
    """
    path = sqlite_path(url)
    if path is not None:
        create_private_file(path)
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(f"cannot open store {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def write_engine(engine: Engine) -> Engine:
    """The same engine, whose transactions take SQLite's write lock when they begin.

    A deferred transaction that reads and then writes fails at once with "database is
    locked" when another writer got in between; an immediate one waits its turn.
    """
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision, or None for an empty store. One query."""
    with engine.connect() as conn:
        try:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        except sa.exc.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise StoreError(f"cannot read the store: {exc.orig}") from None
        except sa.exc.ProgrammingError:
            return None


def alembic_config(connection: Connection | None = None, *, location: Path | None = None) -> Any:
    """An Alembic Config for the migrations (the packaged ones unless `location` is given),
    bound to `connection` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(location or migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head", *, location: Path | None = None) -> None:
    """Run the migrations from the store's revision up to `revision`."""
    from alembic import command

    with _migration_connection(engine) as conn:
        command.upgrade(alembic_config(conn, location=location), revision)


@contextlib.contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    # SQLite's batch migrations copy a table and drop the old one; with foreign keys on,
    # that drop would cascade and delete child rows. Turn them off for the migration
    # (only possible outside a transaction, so on the driver connection before SQLAlchemy
    # begins one) and check the result before committing.
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            _driver_pragma(conn, "PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(f"migration broke foreign keys: {broken[:3]}")
        finally:
            if sqlite:
                _driver_pragma(conn, "PRAGMA foreign_keys = ON")


def _driver_pragma(conn: Connection, pragma: str) -> None:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    driver.execute(pragma)


def backup(engine: Engine, destination: Path) -> None:
    """Copy a SQLite store consistently (SQLite's backup API) to a new file, mode 0600.

    Refuses to overwrite: the copy is written beside the destination and linked into
    place only when complete, so a failure leaves nothing at `destination`.
    """
    if engine.dialect.name != "sqlite":
        raise StoreError("backup copies SQLite stores; back up a server database with its tools")
    destination = destination.expanduser().absolute()
    if destination.exists() or destination.is_symlink():
        raise StoreError(f"{destination} already exists; choose a new file name")
    if not destination.parent.is_dir():
        raise StoreError(f"{destination.parent} is not a directory")
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError as exc:
        raise StoreError(f"cannot write to {destination.parent}: {exc.strerror}") from None
    try:
        raw = engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
        try:
            os.link(partial, destination)
        except FileExistsError:
            raise StoreError(f"{destination} already exists; choose a new file name") from None
    finally:
        partial.unlink(missing_ok=True)
