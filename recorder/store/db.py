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
from recorder.domain.i18n import N_, _
from recorder.store.locations import sqlite_path, without_password
from recorder.store.revision import SCHEMA_HEAD
from recorder.store.server_errors import missing_driver, server_problem

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_HEAD",
    "check_sqlite_file",
    "current_revision",
    "make_engine",
    "upgrade",
]


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


APPLICATION_ID = 0x52454344
"""What a recorder store writes into SQLite's header (`PRAGMA application_id`, "RECD"),
so that recorder knows its own files and other programs' databases are refused."""

_SQLITE_MAGIC = b"SQLite format 3\x00"

DAMAGED_WAY_OUT = N_(
    "nothing was written; 'recorder db backup NEW_FILE' saves what can still be read, "
    "or restore the store from a backup (the .bak files beside it)"
)
"""What to do about a damaged store, said wherever one is found."""


def check_sqlite_file(path: Path) -> int | None:
    """Read a store file's header: its application id, or None for a new, empty file.

    Refuses, with one line, a file that is not a SQLite database (or whose header is
    damaged) and a SQLite database of another program.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(
            _("cannot read the store {path}: {value}").format(path=path, value=exc.strerror or exc)
        ) from None
    if not header:
        return None
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise StoreError(
            _(
                "{path} is not a SQLite database (its header is not SQLite's); "
                "expected a recorder store. If it is one that was damaged: "
                "{way_out}"
            ).format(path=path, way_out=_(DAMAGED_WAY_OUT))
        )
    application_id = int.from_bytes(header[68:72], "big")
    if application_id not in (0, APPLICATION_ID):
        raise StoreError(
            _(
                "{path} is a database of another program (SQLite application id "
                "{application_id:#x}); expected a recorder store or a new file"
            ).format(path=path, application_id=application_id)
        )
    if application_id == 0 and _foreign_tables(path):
        raise StoreError(
            _(
                "{path} holds tables of another program and no recorder schema; "
                "expected a recorder store or a new file"
            ).format(path=path)
        )
    return application_id


def _foreign_tables(path: Path) -> bool:
    """Whether an unmarked SQLite file has tables but not recorder's. Read only where
    it can be (a file that is not ours is not touched, not even switched to WAL); a
    file in WAL mode whose last writer was killed needs its log recovered, which only
    a writable connection does (SQLite's own recovery, nothing of ours)."""
    from recorder.store.locations import escape_path

    for mode in ("ro", "rw"):
        try:
            conn = sqlite3.connect(f"file:{escape_path(path)}?mode={mode}", uri=True)
        except sqlite3.Error:
            return False
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.OperationalError as exc:
            if mode == "ro" and "readonly" in str(exc):
                continue
            raise StoreError(
                _("cannot read the store {path}: {exc}").format(path=path, exc=exc)
            ) from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: {damaged(exc)}") from None
        finally:
            conn.close()
        return bool(names) and "alembic_version" not in names
    return False


def damaged(reason: object) -> str:
    """The one line for a store SQLite finds damaged, with the way out."""
    return _("the store is damaged (SQLite: {reason}); {way_out}").format(
        reason=reason, way_out=_(DAMAGED_WAY_OUT)
    )


def is_damage(exc: BaseException) -> bool:
    """Whether a database error says the file is damaged (or not a database at all)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "malformed" in text or "not a database" in text or "disk image" in text


def opening_error(exc: sa.exc.DBAPIError) -> StoreError:
    """The one line for a store that cannot be read."""
    if is_damage(exc):
        return StoreError(damaged(exc.orig))
    problem = server_problem(exc)
    if problem is not None:
        return StoreError(problem)
    return StoreError(_("cannot read the store: {orig}").format(orig=exc.orig))


def create_private_file(path: Path) -> bool:
    """Create an empty file readable by the owner only; False if it was already there."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def keep_private(path: Path) -> None:
    """Tighten an existing store's file, and its -wal and -shm, to the owner alone
    (a store made by hand, or by an older recorder, may be readable by others)."""
    for item in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = item.stat().st_mode
        except OSError:
            continue
        if mode & 0o077:
            # A file that is not ours to change: SQLite will say what it can and cannot do.
            with contextlib.suppress(OSError):
                item.chmod(0o600)


def make_engine(url: str) -> Engine:
    """Create an engine for a store URL; for SQLite, set the pragmas the store relies on.

    SQLite files get WAL with `synchronous=FULL` (a committed contact survives a power
    cut), foreign keys, `secure_delete`, a busy timeout, and transactions that pysqlite
    does not start on its own, so that writers can begin with `BEGIN IMMEDIATE` (see
    `write_engine`).
    The file is created with mode 0600 before SQLite opens it: SQLite gives its -wal
    and -shm files the same mode.
    """
    path = sqlite_path(url)
    if path is not None and not create_private_file(path):
        keep_private(path)
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(
            _("cannot open store {value!r}: {exc}").format(value=without_password(url), exc=exc)
        ) from None
    except ImportError as exc:
        raise StoreError(missing_driver(url, exc.name)) from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


PAGE_SIZE = 16384
"""Bytes in a page of a SQLite store. A contact's row (its text about 2 KB) fits one
page; with SQLite's default of 4 KB only one such row fits a page, and half of each
page of contacts stood empty (the bench store: contacts 2.0x the bytes of their text
with 4 KB pages, 1.18x with 16 KB)."""


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Takes effect in a new file only (an existing one keeps its pages until it is
        # compacted: recorder.store.session.Store.compact).
        cursor.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # What is deleted or overwritten is zeroed, not left in free pages: a secret
        # redacted from a text (recorder.write.redaction) must leave no copy behind.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


WRITE_LOCK = APPLICATION_ID
"""The key of the PostgreSQL advisory lock that a write transaction holds from its start
to its end. Every write appends to the one audit chain, whose next event must follow the
last one committed: writers take turns, as SQLite's `BEGIN IMMEDIATE` makes them do.
Advisory locks belong to one database, so stores on one server do not wait for each
other."""


def _configure_postgresql(engine: Engine) -> None:
    from recorder.store.server_reader import act_as_owner

    event.listen(engine, "connect", lambda dbapi_connection, record: act_as_owner(dbapi_connection))

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_BEGIN_OPTION) == "IMMEDIATE":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL (it stays so). Switching needs the file to itself, and
    SQLite reports another process in its way as "locked" at once, without waiting for
    the busy timeout: a new store opened by two processes at once met exactly that.
    So wait here, as the busy timeout would."""
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def write_engine(engine: Engine) -> Engine:
    """The same engine, whose transactions take the store's write lock when they begin:
    SQLite's (`BEGIN IMMEDIATE`), or PostgreSQL's advisory lock `WRITE_LOCK`.

    A deferred transaction that reads and then writes fails at once with "database is
    locked" when another writer got in between; an immediate one waits its turn. On
    PostgreSQL, two writers would both read the chain's head and fork it.
    """
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})


def make_trigram_indexes(conn: Connection) -> bool:
    """On PostgreSQL, the search's trigram indexes (store.search_index), where the server
    has pg_trgm and the store's owner may add it (it is a trusted extension); whether
    they are there. Without them, search reads every text, as it does without FTS5."""
    from recorder.store.search_index import trigram_statements

    if conn.dialect.name != "postgresql":
        return False
    available = conn.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if available is None:
        return False
    try:
        with conn.begin_nested():
            for statement in trigram_statements():
                conn.exec_driver_sql(statement)
    except sa.exc.DBAPIError:  # not allowed to add the extension: search still works
        return False
    return True


UNDEFINED_TABLE = "42P01"
"""PostgreSQL's SQLSTATE for a table that does not exist."""


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision, or None for an empty store. One query."""
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.ProgrammingError as exc:
        if getattr(exc.orig, "sqlstate", None) == UNDEFINED_TABLE:
            return None  # PostgreSQL: relation "alembic_version" does not exist
        raise StoreError(_("cannot read the store: {orig}").format(orig=exc.orig)) from None
    except sa.exc.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise opening_error(exc) from None
    except sa.exc.DatabaseError as exc:
        raise opening_error(exc) from None


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

    with migration_connection(engine) as conn:
        command.upgrade(alembic_config(conn, location=location), revision)


def revision_in(conn: Connection) -> str | None:
    """The schema revision as a connection sees it (inside its transaction)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def mark_as_store(conn: Connection) -> None:
    """Write recorder's application id into a SQLite store's header (in the transaction)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


@contextlib.contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that holds the write lock from its start: what
    a migration, and all that opening a store writes, runs in, all or nothing.

    Another process opening the same store waits for it (SQLite's busy timeout) instead
    of failing with "database is locked", and then finds the work done.
    """
    # SQLite's batch migrations copy a table and drop the old one; with foreign keys on,
    # that drop would cascade and delete child rows. Turn them off for the migration
    # (only possible outside a transaction, so on the driver connection before SQLAlchemy
    # begins one) and check the result before committing.
    with write_engine(engine).connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            _driver_pragma(conn, "PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(
                            _("migration broke foreign keys: {rows}").format(rows=broken[:3])
                        )
        finally:
            if sqlite:
                _driver_pragma(conn, "PRAGMA foreign_keys = ON")


def _driver_pragma(conn: Connection, pragma: str) -> None:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    driver.execute(pragma)
