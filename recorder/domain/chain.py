"""The audit chain's rules: canonical JSON, each event's hash over the one before, and
the check of a whole chain. Pure: the write path appends, the export and `db verify`
check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol


class ChainedEvent(Protocol):
    """What the chain's rules read of an audit event (the stored row has these)."""

    @property
    def id(self) -> int | None: ...
    @property
    def at(self) -> datetime: ...
    @property
    def action(self) -> StrEnum: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> int: ...
    @property
    def change(self) -> str: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first audit event."""


def canonical_json(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """sha256(prev_hash + canonical JSON of the event), hex."""
    return hashlib.sha256((prev_hash + canonical_json(event)).encode("utf-8")).hexdigest()


def event_body(row: ChainedEvent) -> dict[str, Any]:
    """The part of an audit event its hash covers."""
    return {
        "action": row.action.value,
        "at": row.at.astimezone(UTC).isoformat(),
        "change": json.loads(row.change),
        "entity": row.entity,
        "entity_id": row.entity_id,
    }


@dataclass
class ChainReport:
    """What checking the audit chain found.

    Attributes:
        events: how many events were read.
        head: the hash of the last event (the genesis hash for an empty chain).
        problems: one line per broken link, naming the event.
    """

    events: int = 0
    head: str = GENESIS_HASH
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the chain verified from first to last event."""
        return not self.problems


def verify_chain(events: Iterable[ChainedEvent]) -> ChainReport:
    """Check that each event's hash covers its content and links to the one before."""
    report = ChainReport()
    prev = GENESIS_HASH
    for row in events:
        report.events += 1
        if row.prev_hash != prev:
            report.problems.append(f"audit event {row.id}: does not follow the event before it")
        if canonical_json(json.loads(row.change)) != row.change:
            report.problems.append(f"audit event {row.id}: its change is not canonical JSON")
        if event_hash(row.prev_hash, event_body(row)) != row.hash:
            report.problems.append(f"audit event {row.id}: its hash does not match its content")
        prev = row.hash
    report.head = prev
    return report


EMPTY: tuple[Any, ...] = (None, 0, False, "", [], {})
"""Values a record may hold for a field its history never set (a column added later)."""


class Replayer:
    """Replays a chain's events one at a time: the records they leave behind, by
    entity and id. Each event is a mapping with `entity`, `entity_id`, `action` and its
    decoded `change`; events marked `elided` are skipped."""

    def __init__(self) -> None:
        self.state: dict[str, dict[int, dict[str, Any]]] = {}

    def apply(self, event: Mapping[str, Any]) -> None:
        """Apply one event."""
        if event.get("elided"):
            return
        records = self.state.setdefault(event["entity"], {})
        change = event["change"]
        if event["action"] == "create":
            records[event["entity_id"]] = dict(change["after"] or {})
        elif event["action"] == "update":
            records.setdefault(event["entity_id"], {}).update(change["after"] or {})
        elif event["action"] == "delete":
            records.pop(event["entity_id"], None)


def replay(events: Iterable[Mapping[str, Any]]) -> dict[str, dict[int, dict[str, Any]]]:
    """The records that a chain's full events leave behind, by entity and id."""
    replayer = Replayer()
    for event in events:
        replayer.apply(event)
    return replayer.state


def compare_records(
    records: Iterable[Mapping[str, Any]],
    replayed: Mapping[int, Mapping[str, Any]],
    name: Callable[[int], str],
) -> list[str]:
    """What differs between records as kept and as their history replays them: one
    line per record and field, named by `name(id)`."""
    problems: list[str] = []
    seen: set[int] = set()
    for record in records:
        if not isinstance(record, Mapping) or "id" not in record:
            continue
        seen.add(record["id"])
        past = replayed.get(record["id"])
        if past is None:
            problems.append(f"{name(record['id'])}: has no history in the audit chain")
            continue
        for key, value in record.items():
            if key in past:
                if past[key] != value:
                    problems.append(f"{name(record['id'])}: {key} differs from its audit history")
            elif value not in EMPTY:
                problems.append(f"{name(record['id'])}: {key} was never set in its audit history")
    for record_id in sorted(set(replayed) - seen):
        problems.append(f"{name(record_id)}: is in the audit history but missing")
    return problems


def short_fingerprint(head: str) -> str:
    """The first 64 bits of a chain head, in four groups: short enough to copy into a
    message, long enough that no rewritten chain can be made to end on it."""
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def fingerprint_digits(text: str) -> str:
    """A fingerprint as typed (any case, dashes or spaces), as lowercase hex digits."""
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")
