"""Copying a whole store to another back end (`recorder db copy --to`): a SQLite file to
a PostgreSQL database that a household or a team will share, or back.

Every row is copied as it is, ids, hashes and all, from one snapshot of the source, so
the copy holds the same audit chain to the same head; each attachment's content goes
from wherever the source keeps it to wherever the target does (files beside a SQLite
store, the database of a server's). The target must be new or empty. All of it is
written in one transaction: a copy that fails leaves the target as empty as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from recorder.domain.chain import GENESIS_HASH
from recorder.domain.errors import StoreError
from recorder.domain.i18n import _
from recorder.store import db
from recorder.store.attachments import AttachmentStore
from recorder.store.blobs import Blobs
from recorder.store.locations import Locations, resolve
from recorder.store.models import Attachment, AuditEvent, table_of
from recorder.store.session import Store

BATCH = 500
"""Rows inserted at a time."""


@dataclass(frozen=True)
class Copied:
    """What a copy holds: its rows by table, its attachment contents, and the audit
    chain's head and length (the source's, at the moment it was read)."""

    rows: dict[str, int]
    files: int
    head: str
    events: int


def copy_store(source: Store, to: str) -> Copied:
    """Copy `source` whole into the new store `to` (a SQLite file or a server URL)."""
    where = resolve(to)
    created = _refuse_used(where)
    engine = db.make_engine(where.url)
    try:
        with db.migration_connection(engine) as target:
            if sa.inspect(target).get_table_names():
                raise StoreError(
                    _("{shown} already holds tables; expected a new, empty database").format(
                        shown=where.shown
                    )
                )
            SQLModel.metadata.create_all(target)
            db.make_trigram_indexes(target)
            from alembic import command

            command.stamp(db.alembic_config(target), "head")
            db.mark_as_store(target)
            with _snapshot(source) as snapshot:
                rows = {table.name: _copy_rows(snapshot, target, table) for table in _tables()}
                files = _copy_files(source, snapshot, target, where)
                head, events = _head(snapshot)
            if target.dialect.name == "postgresql":
                _advance_sequences(target)
    except BaseException:
        engine.dispose()
        if created:
            _remove_new(where)
        raise
    engine.dispose()
    return Copied(rows, files, head, events)


def _refuse_used(where: Locations) -> bool:
    """Refuse a SQLite target that holds anything; whether the copy makes it new."""
    if where.database is None:
        return False
    if where.database.exists() and where.database.stat().st_size > 0:
        raise StoreError(
            _("{database} already exists; choose a new file name").format(database=where.database)
        )
    if where.attachments.exists() and any(where.attachments.iterdir()):
        raise StoreError(
            _("{attachments} already holds attachments; choose a file in another folder").format(
                attachments=where.attachments
            )
        )
    return True


def _remove_new(where: Locations) -> None:
    """Take away what a failed copy to a new SQLite file made."""
    assert where.database is not None
    for suffix in ("", "-wal", "-shm", "-journal"):
        where.database.with_name(where.database.name + suffix).unlink(missing_ok=True)
    import shutil

    shutil.rmtree(where.attachments, ignore_errors=True)


def _tables() -> list[sa.Table]:
    """The tables whose rows are copied, parents first. The search indexes are made
    again from the rows by their triggers; attachment contents go their own way."""
    return [
        table
        for table in SQLModel.metadata.sorted_tables
        if table.name not in ("alembic_version", "blob_chunks")
        and not table.name.startswith("search_")
    ]


@contextlib.contextmanager
def _snapshot(source: Store) -> Iterator[Connection]:
    """A connection that reads the source as it was at one moment, whoever writes."""
    options = (
        {} if source.engine.dialect.name == "sqlite" else {"isolation_level": "REPEATABLE READ"}
    )
    with source.engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


def _copy_rows(source: Connection, target: Connection, table: sa.Table) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    result = source.execute(sa.select(table).order_by(*order).execution_options(yield_per=BATCH))
    # A row may refer to a later row of its own table (a case merged into a newer
    # one): such references are set once every row is in, as PostgreSQL checks each
    # foreign key at once.
    later = [key.parent.name for key in table.foreign_keys if key.column.table is table]
    pending: list[dict[str, object]] = []
    copied = 0
    for batch in result.mappings().partitions(BATCH):
        rows = [dict(row) for row in batch]
        for row in rows:
            refers = {name: row[name] for name in later if row[name] is not None}
            if refers:
                pending.append({"id": row["id"], **refers})
                row.update(dict.fromkeys(refers))
        target.execute(table.insert(), rows)
        copied += len(rows)
    for refers in pending:
        row_id = refers.pop("id")
        target.execute(table.update().where(table.c.id == row_id).values(**refers))
    return copied


def _copy_files(source: Store, snapshot: Connection, target: Connection, where: Locations) -> int:
    """Copy each attachment's content once; the number copied."""
    column = table_of(Attachment).c.sha256
    digests = [str(row[0]) for row in snapshot.execute(sa.select(column).distinct())]
    blobs = Blobs(target.engine) if target.dialect.name != "sqlite" else None
    files = AttachmentStore(where.attachments)
    for sha in digests:
        try:
            content = source.open_file(sha)
        except FileNotFoundError:
            raise StoreError(
                _(
                    "the attachment content {value}… is missing from the source "
                    "({value2}); 'recorder db verify' says more; nothing was copied"
                ).format(value=sha[:16], value2=source.file_place(sha))
            ) from None
        with content:
            stored = (
                blobs.add(target, content, sha)
                if blobs is not None
                else files.add_stream(content, sha)
            )
        if stored.sha256 != sha:
            raise StoreError(
                _(
                    "the attachment content {value}… in the source does not match its "
                    "SHA-256; 'recorder db verify' says more; nothing was copied"
                ).format(value=sha[:16])
            )
    return len(digests)


def _head(snapshot: Connection) -> tuple[str, int]:
    events = table_of(AuditEvent)
    last = snapshot.execute(sa.select(events.c.hash).order_by(events.c.id.desc()).limit(1))
    count = snapshot.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
    head = last.scalar()
    return (GENESIS_HASH if head is None else str(head)), int(count)


def _advance_sequences(target: Connection) -> None:
    """Rows came with their ids: move each id sequence past the largest, so that the
    next row a member adds gets a new one."""
    for table in _tables():
        column = table.columns.get("id")
        if column is None or not column.autoincrement or len(table.primary_key.columns) != 1:
            continue
        target.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                f" COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
        )
