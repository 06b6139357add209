"""Store(engine, clock): the only code that opens database sessions."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import func, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, select

from recorder.domain.clock import Clock, SystemClock
from recorder.domain.errors import InputError, StoreError
from recorder.domain.i18n import _
from recorder.store import db, sqlite_files
from recorder.store.attachments import AttachmentStore, StoredFile, check_source
from recorder.store.blobs import Blobs
from recorder.store.locations import MEMBER_ENV, Locations, resolve
from recorder.store.models import Attachment, Contact, DuplicateFlag
from recorder.store.search_index import index_names
from recorder.store.sqlite_files import file_bytes, vacuum

if TYPE_CHECKING:
    from recorder.domain.secrets import SecretFinding


@dataclass
class Tx:
    """One write transaction: a session, the moment it started, and the file store.

    Attributes:
        session: the database session, inside a transaction that commits when the
            `Store.write()` block ends without an error and rolls back otherwise.
        now: the time of this change; every audit event of the transaction carries it.
        files: the attachment store.
        last_hash: the head of the audit chain as this transaction sees it, once read.
        new_files: attachment files this transaction put into the store, to take out
            again if it rolls back.
        journal: the file that lists them on disk until the transaction ends, for the
            sweep after a crash (recorder.write.sweep).
        flags: the duplicate flags this transaction raised, for the interface to show.
        repeats: stored contacts that a `log_contact` of this transaction matched
            exactly (same text, same time) and therefore did not store again.
        secrets: the secrets the texts logged in this transaction hold, each with the
            field it is in, for the interface to warn of (recorder.domain.secrets).
    """

    session: Session
    now: datetime
    files: AttachmentStore
    last_hash: str | None = None
    new_files: list[StoredFile] = field(default_factory=list)
    flags: list[DuplicateFlag] = field(default_factory=list)
    repeats: list[Contact] = field(default_factory=list)
    secrets: list[tuple[str, SecretFinding]] = field(default_factory=list)
    journal: Path | None = None
    blobs: Blobs | None = None
    """Where a store on a server keeps attachments: in the database, inside this very
    transaction (then `files`, `journal` and `new_files` are not used)."""
    member: str | None = None
    """Who makes this change (`Store.member`): every audit event of it carries the name."""

    def add_file(self, source: Path) -> StoredFile:
        """Copy a file into the attachment store for this transaction."""
        if self.blobs is not None:
            check_source(source)
            with source.open("rb") as src:
                return self.blobs.add(
                    self.session.connection(), src, source.name, shown=str(source),
                    total=source.stat().st_size, progress=self.files.progress,
                )  # fmt: skip
        if self.journal is None:
            self.journal = self.files.new_journal()
        stored = self.files.add(source, journal=self.journal)
        if stored.created:
            self.new_files.append(stored)
        return stored

    def add_bytes(self, data: bytes, name: str) -> StoredFile:
        """Store bytes (an imported email, a file it carried) for this transaction."""
        if self.blobs is not None:
            return self.blobs.add_bytes(self.session.connection(), data, name)
        if self.journal is None:
            self.journal = self.files.new_journal()
        stored = self.files.add_bytes(data, name, journal=self.journal)
        if stored.created:
            self.new_files.append(stored)
        return stored

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction that is undone alone if its block raises: its rows,
        its audit events, the flags and repeats it noted and the files it copied in
        (those no row refers to). An importer writes each message in one, so that a
        message is in or out while many share a commit."""
        last_hash = self.last_hash
        flags, repeats, files = len(self.flags), len(self.repeats), len(self.new_files)
        secrets = len(self.secrets)
        try:
            with self.session.begin_nested():
                yield
        except BaseException:
            self.last_hash = last_hash
            del self.flags[flags:], self.repeats[repeats:], self.secrets[secrets:]
            added, self.new_files[files:] = self.new_files[files:], []
            for item in added:
                used = self.session.exec(
                    select(func.count()).where(Attachment.sha256 == item.sha256)
                ).one()
                if not used:
                    self.files.remove(item.sha256)
            raise


MEMBER_LENGTH = 100
"""The longest member name an audit event keeps (recorder.store.models.AuditEvent)."""


class AlchemyReader:
    """Runs the read side's SQL text through a SQLAlchemy connection (any backend)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @property
    def dialect(self) -> str:
        """The database's kind."""
        return self.connection.dialect.name

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """The rows of `sql`."""
        return list(self.connection.execute(text(sql), dict(params or {})))


Prepare = Callable[[Tx, "str | None"], None]
"""Told, inside the transaction that migrates a store, the revision it was at (None for
a new store): writes what must be there at the new revision (presets, back-fills)."""


class Store:
    """An open store: an engine that is at the schema's head, a clock, attachments."""

    def __init__(self, engine: Engine, *, attachments: Path, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.files = AttachmentStore(attachments)
        self.blobs = Blobs(engine) if engine.dialect.name != "sqlite" else None
        """A store on a server keeps its attachments in the database, where every member
        finds them; a SQLite store keeps them as files beside it (`files`)."""
        self.created = False
        """Whether opening this store created its schema (it was empty)."""
        self.upgraded_from: str | None = None
        """The revision an existing store was migrated from when it was opened."""
        self._writer = db.write_engine(engine)
        # A reading session sees one moment (an export's records and chain agree), as
        # SQLite's read transaction does. Writers stay READ COMMITTED: past the write
        # lock, they read the chain's head as the writer before them left it.
        self._snapshots = (
            engine
            if engine.dialect.name == "sqlite"
            else engine.execution_options(isolation_level="REPEATABLE READ")
        )

    @classmethod
    def open(
        cls,
        location: str | Locations | None = None,
        *,
        clock: Clock | None = None,
        prepare: Prepare | None = None,
    ) -> Store:
        """Open the store at `location` (path, URL, or the default), upgrading it to head.

        A store that already is at head costs one query and never imports Alembic. A
        SQLite store with data in it is backed up beside itself before it is migrated.
        The migration and `prepare` run in one transaction that holds the write lock
        from its start: opening is all or nothing, and a second process opening the
        same store at the same moment waits and then finds it done.
        A file that is not recorder's (another program's database, not a database at
        all) is refused with one line.
        """
        where = location if isinstance(location, Locations) else resolve(location)
        marked = None if where.database is None else db.check_sqlite_file(where.database)
        engine = db.make_engine(where.url)
        revision = db.current_revision(engine)
        store = cls(engine, attachments=where.attachments, clock=clock)
        if revision == db.SCHEMA_HEAD and marked != 0:
            return store
        _check_known(revision)
        if revision is not None and revision != db.SCHEMA_HEAD and where.database is not None:
            stamp = store.clock.now().strftime("%Y%m%dT%H%M%SZ")
            name = f"{where.database.name}.before-{db.SCHEMA_HEAD}-{stamp}"
            free = _unused_name(where.database, name)
            sqlite_files.backup(engine, free)
        try:
            store.created, store.upgraded_from = store._migrate(prepare)
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            raise db.opening_error(exc) from None
        if _rewrote_texts(store) and engine.dialect.name == "sqlite":
            # In use, or no room on the disk for the copy: `recorder db compact` later.
            with contextlib.suppress(StoreError, sa.exc.OperationalError, sqlite3.OperationalError):
                store.compact()
        return store

    def _migrate(self, prepare: Prepare | None) -> tuple[bool, str | None]:
        """Bring the schema to head under the write lock: (whether the store was created,
        the revision an existing one was upgraded from)."""
        from alembic import command

        with db.migration_connection(self.engine) as conn:
            revision = db.revision_in(conn)
            if revision is None and sa.inspect(conn).get_table_names():
                raise StoreError(
                    _(
                        "{database} holds tables of another program and no recorder schema; "
                        "expected a recorder store or a new file"
                    ).format(database=self.engine.url.database)
                )
            if revision is None:
                # A new store is made from the models and stamped, as Alembic's cookbook
                # says ("building an up to date database from scratch"): seven times
                # faster than running every migration. A test checks that the
                # migrations give the same schema.
                SQLModel.metadata.create_all(conn)
                db.make_trigram_indexes(conn)
                command.stamp(db.alembic_config(conn), "head")
            elif revision != db.SCHEMA_HEAD:
                command.upgrade(db.alembic_config(conn), "head")
            if revision != db.SCHEMA_HEAD and prepare is not None:
                with Session(bind=conn, expire_on_commit=False) as session:
                    tx = self._tx(session)
                    prepare(tx, revision)
                    session.flush()
            db.mark_as_store(conn)
        if revision == db.SCHEMA_HEAD:  # another process got there first
            return False, None
        return revision is None, revision

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading, on one snapshot of the store; it writes nothing."""
        with Session(self._snapshots, expire_on_commit=False) as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction: all of it is committed at the end of the block, or none.

        It takes the write lock when it begins (on SQLite, `BEGIN IMMEDIATE`), so it
        waits for another writer instead of failing half-way, and so no other writer is
        ever between copying an attachment file and committing its row. Attachment
        files it copied in are removed again if it rolls back and nothing refers to
        them.
        """
        with Session(self._writer, expire_on_commit=False) as session:
            tx = self._tx(session)
            try:
                with session.begin():
                    session.connection()  # begin now: the lock is held from here
                    yield tx
            except BaseException:
                self._forget_files(tx)
                raise
            if tx.journal is not None:
                tx.journal.unlink(missing_ok=True)

    def _tx(self, session: Session) -> Tx:
        return Tx(
            session=session, now=self.clock.now(), files=self.files, blobs=self.blobs,
            member=self.member,
        )  # fmt: skip

    @functools.cached_property
    def member(self) -> str | None:
        """Who writes: RECORDER_MEMBER; else, on a server, the role the store's URL logs
        in as (the session's user); else (one person's SQLite store) nobody named."""
        named = " ".join(os.environ.get(MEMBER_ENV, "").split())
        if len(named) > MEMBER_LENGTH:
            raise InputError(
                _("{variable} is {count} characters long; expected a name of up to {most}").format(
                    variable=MEMBER_ENV, count=len(named), most=MEMBER_LENGTH
                )
            )
        if not named.isprintable():
            raise InputError(
                _(
                    "{variable} holds a control character; expected a name as you would write it"
                ).format(variable=MEMBER_ENV)
            )
        if named or self.engine.dialect.name == "sqlite":
            return named or None
        with self.engine.connect() as conn:
            return str(conn.execute(text("SELECT session_user")).scalar())

    def open_file(self, sha256: str) -> io.BufferedReader:
        """An attachment's content, to read (from its file, or from the database);
        FileNotFoundError when the store does not have it."""
        if self.blobs is not None:
            return self.blobs.open(sha256)
        return self.files.path_of(sha256).open("rb")

    def file_place(self, sha256: str) -> str:
        """Where an attachment's content is kept, as a message names it."""
        if self.blobs is not None:
            return _("in the store's database")
        return str(self.files.path_of(sha256))

    def _forget_files(self, tx: Tx) -> None:
        """Remove the files a rolled-back transaction copied in, under the write lock:
        a file another transaction has committed a row for since is kept."""
        if tx.journal is None:
            return
        if tx.new_files:
            with Session(self._writer) as session, session.begin():
                for item in tx.new_files:
                    used = session.exec(
                        select(func.count()).where(Attachment.sha256 == item.sha256)
                    ).one()
                    if not used:
                        self.files.remove(item.sha256)
        tx.journal.unlink(missing_ok=True)

    @contextlib.contextmanager
    def reader(self) -> Iterator[AlchemyReader]:
        """A reader for the read side's queries, on one snapshot of the store."""
        with self._snapshots.connect() as conn, conn.begin():
            yield AlchemyReader(conn)

    def scrub(self) -> None:
        """Copy the WAL into the store and empty it, so that pages as they were before
        the last writes (a text before its redaction) are in no file any more. On a
        server, take out the row versions the writes left (the server's WAL and free
        space are its own: server_errors.SCRUB_ON_A_SERVER)."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.begin() as conn:
                # The search indexes keep a deleted text's tokens in their older segments
                # until those are merged: merge them all (SQLite 3.40 has no FTS5
                # secure-delete). It rewrites the indexes, which a redaction is worth.
                for name in index_names():
                    conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('optimize')")
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:  # a server: the row versions a change left go at VACUUM
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM contacts, stored_texts, audit_events")

    def compact(self) -> tuple[int, int]:
        """Give the store's free pages back to the disk (SQLite's VACUUM, after merging
        the search indexes): the file's size in bytes before and after. The store is
        rewritten whole, so no free page keeps what a deletion or a redaction removed.
        VACUUM works in a transaction of its own: interrupted, it leaves the store as
        it was."""
        if self.engine.dialect.name != "sqlite":
            raise InputError(
                _(
                    "compacting is for a SQLite store; a database server reclaims its space "
                    "itself (PostgreSQL's autovacuum)"
                )
            )
        with self.engine.connect() as conn:
            before = file_bytes(conn)
        try:
            self.scrub()
            self.engine.dispose()  # no other connection of ours: the journal mode changes
            # On the driver's own connection: SQLAlchemy's would begin a transaction,
            # inside which SQLite refuses to VACUUM.
            raw = self.engine.raw_connection()
            try:
                driver = raw.driver_connection
                assert driver is not None
                vacuum(driver)
            finally:
                raw.close()
            with self.engine.connect() as conn:
                after = file_bytes(conn)
        except (sa.exc.OperationalError, sqlite3.OperationalError) as exc:
            said = str(getattr(exc, "orig", exc))
            if "locked" not in said and "busy" not in said:
                raise
            raise StoreError(
                _(
                    "the store is in use (the TUI or another command is writing to it): close "
                    "it and try again; nothing was changed"
                )
            ) from exc
        return before, after

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()


def _rewrote_texts(store: Store) -> bool:
    """Whether opening the store ran migration 0012, which left the pages of the texts
    it took out of the audit events free (given back to the disk by compacting)."""
    upgraded = store.upgraded_from
    return upgraded is not None and upgraded.isdigit() and int(upgraded) < 12


def _unused_name(beside: Path, name: str) -> Path:
    """`name.bak` beside a file, or `name-2.bak`, ...: an upgrade interrupted and tried
    again within the same second keeps both copies."""
    n = 1
    while (candidate := beside.with_name(f"{name}.bak" if n == 1 else f"{name}-{n}.bak")).exists():
        n += 1
    return candidate


def _check_known(revision: str | None) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db.alembic_config())
    try:
        known = script.get_revision(revision) is not None
    except Exception:
        known = False
    if not known:
        raise StoreError(
            _(
                "the store is at schema revision {revision!r}, which this recorder "
                "does not know (newest here: {head}); upgrade recorder to open "
                "it"
            ).format(revision=revision, head=db.SCHEMA_HEAD)
        )
