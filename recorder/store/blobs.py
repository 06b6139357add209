"""Attachments kept in the database itself, for a store on a server that every member
of a household or a team reaches: content-addressed, in chunks of 1 MiB, so that no
file is ever held whole in memory, going in or coming out.

A SQLite store keeps its attachments as files beside it (`attachments.py`); the table
exists there too, empty, so that both back ends have one schema.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
from collections.abc import Iterator
from typing import BinaryIO

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.store.attachments import MAX_ATTACHMENT_BYTES, CopyProgress, StoredFile

CHUNK = 1 << 20
"""Bytes in a chunk: what one row holds, and what is in memory at a time."""

blob_chunks = sa.Table(
    "blob_chunks",
    SQLModel.metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
"""The content of each attachment: its chunks in order, under its SHA-256. A file
being copied in sits under a temporary key that starts with '~' until its digest is
known, inside the transaction that copies it (so no other member ever sees it)."""


class Blobs:
    """The attachments of a store on a server."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        conn: Connection,
        source: BinaryIO,
        name: str,
        *,
        shown: str | None = None,
        total: int = 0,
        progress: CopyProgress | None = None,
    ) -> StoredFile:
        """Copy `source` into the store in the transaction of `conn`, hashing as it goes.
        Content already stored is kept once: the copy is dropped, and `created` is False.
        Rolling the transaction back takes the copy out with everything else."""
        tell = progress or (lambda name, done, total: None)
        temporary = "~" + os.urandom(20).hex()
        digest = hashlib.sha256()
        size = n = 0
        while True:
            chunk = source.read(CHUNK)
            if not chunk and n:
                break
            digest.update(chunk)
            size += len(chunk)
            if size > MAX_ATTACHMENT_BYTES:
                raise InputError(
                    _(
                        "attachment {value!r} is larger than {value2} GB; recorder attaches "
                        "files of up to that"
                    ).format(value=shown or name, value2=MAX_ATTACHMENT_BYTES // 10**9)
                )
            conn.execute(blob_chunks.insert().values(sha256=temporary, n=n, data=chunk))
            n += 1
            tell(name, size, max(total, size))
            if not chunk:  # an empty file is one empty chunk
                break
        sha = digest.hexdigest()
        key = blob_chunks.c.sha256
        there = conn.execute(sa.select(key).where(key == sha).limit(1)).first() is not None
        if there:
            conn.execute(blob_chunks.delete().where(key == temporary))
        else:
            conn.execute(blob_chunks.update().where(key == temporary).values(sha256=sha))
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StoredFile(sha, size, name, media_type, created=not there)

    def add_bytes(self, conn: Connection, data: bytes, name: str) -> StoredFile:
        """Store `data` (an email, a file it carried) as `add` stores a file."""
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise InputError(
                _(
                    "{name!r} is {value:.1f} GB; recorder attaches files of up to {value2} GB"
                ).format(name=name, value=len(data) / 1e9, value2=MAX_ATTACHMENT_BYTES // 10**9)
            )
        return self.add(conn, io.BytesIO(data), name, total=len(data))

    def open(self, sha256: str) -> io.BufferedReader:
        """The content stored under `sha256`, read a chunk at a time;
        FileNotFoundError when there is none."""
        return io.BufferedReader(_Reader(self.engine, sha256), CHUNK)


class _Reader(io.RawIOBase):
    """A stored content as a file: each read fetches the next chunk, on a connection of
    its own that it holds until it is closed."""

    def __init__(self, engine: Engine, sha256: str) -> None:
        self._conn = engine.connect()
        self._chunks = self._fetch(sha256)
        self._left = memoryview(b"")
        try:
            self._left = memoryview(next(self._chunks))
        except StopIteration:
            self.close()
            raise FileNotFoundError(f"no stored content {sha256}") from None

    def _fetch(self, sha256: str) -> Iterator[bytes]:
        n = 0
        while True:
            row = self._conn.execute(
                sa.select(blob_chunks.c.data).where(
                    blob_chunks.c.sha256 == sha256, blob_chunks.c.n == n
                )
            ).first()
            if row is None:
                return
            yield bytes(row[0])
            n += 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._left:
            try:
                self._left = memoryview(next(self._chunks))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size

    def close(self) -> None:
        if not self.closed:
            self._conn.close()
        super().close()
