"""The records and audit events of one export, kept on disk while the export is
written (or a bag is verified), so that its memory stays flat whatever the size of the
record: each is read when a file needs it, a case's contacts together.

A private SQLite file, in a folder beside the export (removed at the end, or by the
sweep after a crash), holds each record as the JSON line records.json gives it, with
the columns the readable files sort and group by. Only the standard library is used,
so that verify needs no store.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

BATCH = 50
"""Rows read from the store, or written or rewritten here, at a time: what is in memory
at once is about this many records (with their texts)."""

_SCHEMA = """
CREATE TABLE records (
    kind TEXT NOT NULL, id INTEGER NOT NULL, case_id INTEGER, contact_id INTEGER,
    at TEXT, body TEXT NOT NULL, n INTEGER NOT NULL
);
CREATE INDEX by_id ON records (kind, id);
CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS by_case ON records (kind, case_id, at, id);
CREATE INDEX IF NOT EXISTS by_contact ON records (kind, contact_id, id);
CREATE INDEX IF NOT EXISTS by_time ON records (kind, at, id);
"""

_SORTED_BY = {"cases": "created_at", "contacts": "occurred_at"}
"""The time each kind is told in order of (as text: records hold times in UTC ISO form)."""


def _connect(path: Path) -> sqlite3.Connection:
    """A connection for a scratch file: nothing to roll back after a crash, no syncing."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("PRAGMA temp_store = FILE")
    connection.execute("PRAGMA cache_size = -16000")  # 16 MB
    return connection


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Staged:
    """Records by kind and audit events, on disk; read back in the orders the export's
    files need. Made by `new`; `close` removes it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "staged.sqlite3"
        self._maker = os.getpid()
        """The process that made it, and alone removes it."""
        self._pid = os.getpid()
        self._connection: sqlite3.Connection | None = None
        self._indexed = False
        self._counts: dict[str, int] = {}
        self.event_count = 0

    @classmethod
    def new(cls, folder: Path | None = None, *, prefix: str = ".recorder-") -> Staged:
        """An empty staging area in a new private folder inside `folder` (the system's
        temporary folder by default) named `<prefix>*.partial`."""
        made = Path(tempfile.mkdtemp(prefix=prefix, suffix=".partial", dir=folder))
        staged = cls(made)
        staged.db.executescript(_SCHEMA)
        return staged

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection (a process forked to write the timeline opens its
        own: a SQLite connection must not cross a fork)."""
        if self._connection is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._connection = _connect(self.path)
        return self._connection

    def close(self) -> None:
        """Close it and remove its folder (only the process that made it does)."""
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None
        if self._maker == os.getpid():
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Writing

    def add(self, kind: str, records: Iterable[dict[str, Any]]) -> int:
        """Keep `records` of `kind` (in id order; a tampered bag may repeat an id, and
        each is kept); returns how many. All or, if `records` raises, none."""
        return self.add_numbered(kind, ((n, r, None) for n, r in enumerate(records)))

    def add_numbered(
        self, kind: str, records: Iterable[tuple[int, dict[str, Any], str | None]]
    ) -> int:
        """`add` records, each with its place in the list it came from and, if at hand,
        its JSON text."""
        at = _SORTED_BY.get(kind)
        count = 0
        db = self.db
        db.execute("BEGIN")
        try:
            count = self._insert(kind, at, records)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        self._counts[kind] = self._counts.get(kind, 0) + count
        self._indexed = False
        return count

    def _insert(
        self, kind: str, at: str | None, records: Iterable[tuple[int, dict[str, Any], str | None]]
    ) -> int:
        db = self.db
        count = 0
        pending: list[tuple[Any, ...]] = []
        for n, record, text in records:
            pending.append(
                (
                    kind,
                    record["id"],
                    record.get("case_id"),
                    record.get("contact_id"),
                    None if at is None else record.get(at),
                    _dumps(record) if text is None else text,
                    n,
                )
            )
            if len(pending) >= BATCH:
                db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", pending)
                count += len(pending)
                pending.clear()
        db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", pending)
        return count + len(pending)

    def clear(self) -> None:
        """Forget every record and event kept."""
        self.db.executescript("DELETE FROM records; DELETE FROM events;")
        self._counts.clear()
        self.event_count = 0

    def add_events(self, events: Iterable[dict[str, Any]]) -> None:
        """Keep audit events, in chain order."""
        db = self.db
        db.execute("BEGIN")
        pending: list[tuple[int, str]] = []
        for event in events:
            self.event_count += 1
            pending.append((self.event_count, _dumps(event)))
            if len(pending) >= BATCH:
                db.executemany("INSERT INTO events VALUES (?, ?)", pending)
                pending.clear()
        db.executemany("INSERT INTO events VALUES (?, ?)", pending)
        db.execute("COMMIT")

    def rewrite(self, kind: str, fix: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        """Replace each record of `kind` by `fix(record)` (its id unchanged)."""
        self._rewrite("records", "rowid", "kind = ? AND", (kind,), fix)

    def rewrite_events(self, fix: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        """Replace each audit event by `fix(event)`."""
        self._rewrite("events", "id", "", (), fix)

    def _rewrite(
        self,
        table: str,
        key: str,
        where: str,
        params: tuple[Any, ...],
        fix: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> None:
        db = self.db
        last = -(2**62)
        db.execute("BEGIN")
        while rows := db.execute(
            f"SELECT {key}, body FROM {table} WHERE {where} {key} > ? ORDER BY {key} LIMIT {BATCH}",
            (*params, last),
        ).fetchall():
            changed = []
            for row_id, body in rows:
                old = json.loads(body)
                new = fix(old)
                if new != old:
                    changed.append((_dumps(new), *params, row_id))
            db.executemany(f"UPDATE {table} SET body = ? WHERE {where} {key} = ?", changed)
            last = rows[-1][0]
        db.execute("COMMIT")

    # Reading

    def count(self, kind: str) -> int:
        """How many records of a kind."""
        return self._counts.get(kind, 0)

    def lines(self, kind: str) -> Iterator[str]:
        """Each record of a kind as its JSON text, in id order (a row at a time: SQLite
        reads on as the cursor is iterated)."""
        for (body,) in self.db.execute(
            "SELECT body FROM records WHERE kind = ? ORDER BY id, rowid", (kind,)
        ):
            yield body

    def each(self, kind: str) -> Iterator[dict[str, Any]]:
        """Each record of a kind, in id order."""
        for body in self.lines(kind):
            yield json.loads(body)

    def as_given(self, kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each record of a kind with its place in the list it came from, in that order."""
        for n, body in self.db.execute(
            "SELECT n, body FROM records WHERE kind = ? ORDER BY rowid", (kind,)
        ):
            yield n, json.loads(body)

    def events(self) -> Iterator[dict[str, Any]]:
        """The audit events, in chain order."""
        for (body,) in self.db.execute("SELECT body FROM events ORDER BY id"):
            yield json.loads(body)

    def ids(self, kind: str) -> set[int]:
        """The ids of a kind's records."""
        return {row[0] for row in self.db.execute("SELECT id FROM records WHERE kind = ?", (kind,))}

    def in_time_order(self, kind: str) -> Iterator[dict[str, Any]]:
        """Each record of a kind by its time, then id (cases in the order opened)."""
        self._index()
        for (body,) in self.db.execute(
            "SELECT body FROM records WHERE kind = ? ORDER BY at, id", (kind,)
        ):
            yield json.loads(body)

    def of_case(self, kind: str, case_id: int) -> list[dict[str, Any]]:
        """A case's records of a kind (contacts by time, flags by id)."""
        self._index()
        return [
            json.loads(body)
            for (body,) in self.db.execute(
                "SELECT body FROM records WHERE kind = ? AND case_id = ? ORDER BY at, id",
                (kind, case_id),
            )
        ]

    def of_contacts(self, kind: str, contact_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """The records of a kind that belong to these contacts, by contact, in id order."""
        self._index()
        found: dict[int, list[dict[str, Any]]] = {}
        ids = sorted(set(contact_ids))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ",".join("?" * len(chunk))
            for contact_id, body in self.db.execute(
                f"SELECT contact_id, body FROM records WHERE kind = ? AND contact_id IN ({marks})"
                " ORDER BY id",
                (kind, *chunk),
            ):
                found.setdefault(contact_id, []).append(json.loads(body))
        return found

    def finish(self) -> None:
        """Index what was kept, for the readers (before a process is forked to read)."""
        self._index()

    def _index(self) -> None:
        if not self._indexed:
            self.db.executescript(_INDEXES)
            self._indexed = True


RECENT = 512
"""Replayed records kept in memory at most, the last changed: a contact's events come
together, so most are changed there and written out once."""

RECENT_CHARS = 1 << 18
"""And at most about this many characters of their texts."""


class Replay:
    """The records a chain's full events leave behind (as recorder.domain.chain's
    Replayer makes them), kept in the staging folder instead of memory, in a file of
    their own (a process forked to read the staged records never waits for it). Apply
    the events in order, then `done`; `records(kind)` reads them back."""

    def __init__(self, staged: Staged) -> None:
        self.db = _connect(staged.folder / "replayed.sqlite3")
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS replayed (kind TEXT NOT NULL, id INTEGER NOT NULL,"
            " body TEXT NOT NULL, PRIMARY KEY (kind, id)); DELETE FROM replayed;"
        )
        self.db.execute("BEGIN")
        self._recent: OrderedDict[tuple[Any, Any], dict[str, Any] | None] = OrderedDict()
        """The records last changed, written out when they fall out (None: deleted)."""
        self._sizes: dict[tuple[Any, Any], int] = {}
        self._held = 0
        self._leaving: dict[tuple[Any, Any], dict[str, Any] | None] = {}
        """Records out of memory, not yet written."""

    def apply(self, event: Mapping[str, Any]) -> None:
        """Apply one event (with its decoded `change`); an elided one changes nothing."""
        if event.get("elided"):
            return
        key = (event["entity"], event["entity_id"])
        hash(key)  # a key that cannot be kept is refused before anything changes
        after = event["change"]["after"] or {}
        if event["action"] == "create":
            self._keep(key, dict(after))
        elif event["action"] == "update":
            record = self._get(key) or {}
            record.update(after)
            self._keep(key, record)
        elif event["action"] == "delete":
            self._keep(key, None)

    def _get(self, key: tuple[Any, Any]) -> dict[str, Any] | None:
        if key in self._recent:
            return self._recent[key]
        if key in self._leaving:
            return self._leaving.pop(key)
        row = self.db.execute("SELECT body FROM replayed WHERE kind = ? AND id = ?", key).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def _keep(self, key: tuple[Any, Any], record: dict[str, Any] | None) -> None:
        size = 0 if record is None else sum(len(v) for v in record.values() if type(v) is str)
        self._held += size - self._sizes.get(key, 0)
        self._sizes[key] = size
        self._recent[key] = record
        self._recent.move_to_end(key)
        while len(self._recent) > RECENT or (self._held > RECENT_CHARS and len(self._recent) > 1):
            self._evict()

    def _evict(self) -> None:
        key, record = self._recent.popitem(last=False)
        self._held -= self._sizes.pop(key)
        self._leaving[key] = record
        if len(self._leaving) >= BATCH:
            self._write()

    def _write(self) -> None:
        """Write out the records that fell out of memory, in two statements."""
        leaving, self._leaving = self._leaving, {}
        self.db.executemany(
            "DELETE FROM replayed WHERE kind = ? AND id = ?",
            [key for key, record in leaving.items() if record is None],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO replayed VALUES (?, ?, ?)",
            [(*key, _dumps(record)) for key, record in leaving.items() if record is not None],
        )

    def done(self) -> None:
        """Keep what was replayed."""
        while self._recent:
            self._evict()
        self._write()
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def close(self) -> None:
        """Close its file (removed with the staging folder)."""
        self.db.close()

    def records(self, kind: str) -> Mapping[int, Mapping[str, Any]]:
        """The replayed records of an entity, by id."""
        return _Replayed(self.db, kind)


class _Replayed(Mapping[int, Mapping[str, Any]]):
    """Replayed records of a kind, read forward with one cursor while they are asked
    for in id order (as records.json lists them), else one by one."""

    def __init__(self, db: sqlite3.Connection, kind: str) -> None:
        self.db, self.kind = db, kind
        self._rows = iter(
            db.execute(
                "SELECT id, body FROM replayed WHERE kind = ? AND typeof(id) = 'integer'"
                " ORDER BY id",
                (kind,),
            )
        )
        self._ahead: tuple[int, str] | None = next(self._rows, None)

    def __getitem__(self, record_id: int) -> Mapping[str, Any]:
        while self._ahead is not None and self._ahead[0] < record_id:
            self._ahead = next(self._rows, None)
        if self._ahead is not None and self._ahead[0] == record_id:
            body = self._ahead[1]
        else:
            row = self.db.execute(
                "SELECT body FROM replayed WHERE kind = ? AND id = ?", (self.kind, record_id)
            ).fetchone()
            if row is None:
                raise KeyError(record_id)
            body = row[0]
        loaded: dict[str, Any] = json.loads(body)
        return loaded

    def __iter__(self) -> Iterator[int]:
        for (record_id,) in self.db.execute(
            "SELECT id FROM replayed WHERE kind = ? ORDER BY id", (self.kind,)
        ):
            yield record_id

    def __len__(self) -> int:
        count: int = self.db.execute(
            "SELECT count(*) FROM replayed WHERE kind = ?", (self.kind,)
        ).fetchone()[0]
        return count
