"""The audit chain's rules: canonical JSON, each event's hash over the one before, and
the check of a whole chain. Pure: the write path appends, the export and `db verify`
check.

Three schemes of hashing an event, told apart by its `scheme`:
- 1 (events written before recorder 0.2): the hash covers the event's change as is;
- 2: the hash covers each field's *digest* (the SHA-256 of its canonical JSON; numbers,
  booleans and nulls as they are). A field may then stand in an event as its digest
  alone, `{"$sha256": "..."}`, and the event still verifies: a large text kept once, in
  its row, or a value masked in a redacted export, whose digest stays in the chain, so
  masking can hide a value but never change what the event commits to;
- 3: as 2, and the hash covers the member who made the change (a name, or null), so
  that in a store several people keep, who did what cannot be changed afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from hashlib import sha256 as _sha256
from json.encoder import encode_basestring as _encode_string
from typing import Any, Protocol

from recorder.domain.i18n import _


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
    @property
    def scheme(self) -> int: ...
    @property
    def member(self) -> str | None: ...


SCHEME = 3
"""The scheme new events are hashed with."""

REF = "$sha256"
"""The key of a field that stands as its digest: `{"$sha256": "<hex>"}`."""

GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first audit event."""


def canonical_json(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """sha256(prev_hash + canonical JSON of the event), hex."""
    return hashlib.sha256((prev_hash + canonical_json(event)).encode("utf-8")).hexdigest()


def value_digest(value: Any) -> str:
    """The SHA-256 of a value's canonical JSON, hex."""
    # Most values are strings: json's own C encoder gives them the same text, faster.
    text = _encode_string(value) if isinstance(value, str) else canonical_json(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_ref(value: Any) -> bool:
    """Whether a field stands as its digest."""
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(REF), str)


def is_large(value: Any, limit: int) -> bool:
    """Whether a field's value is at least `limit` characters: a text, or a structure
    (a chat's turns) by its canonical JSON."""
    if isinstance(value, str):
        return len(value) >= limit
    if isinstance(value, list | dict) and value:
        return len(canonical_json(value)) >= limit
    return False


def ref(value: Any) -> dict[str, str]:
    """A field as its digest alone."""
    return {REF: value_digest(value)}


def committed(value: Any) -> Any:
    """What scheme 2 commits to for one field's value."""
    kind = type(value)
    if kind is str:  # the common case first: verifying a chain calls this millions of times
        return _sha256(_encode_string(value).encode("utf-8")).hexdigest()
    if value is None or kind is bool or kind is int or kind is float:
        return value
    if is_ref(value):
        return value[REF]
    return value_digest(value)


def committed_change(change: Mapping[str, Any]) -> dict[str, Any]:
    """A change (`{"before": ..., "after": ...}`) with each field as scheme 2 commits to it."""
    return {
        side: None
        if change.get(side) is None
        else {key: committed(value) for key, value in change[side].items()}
        for side in ("before", "after")
    }


def body_of(
    *,
    action: str,
    at: str,
    change: Mapping[str, Any],
    entity: str,
    entity_id: int,
    scheme: int,
    member: str | None = None,
) -> dict[str, Any]:
    """The part of an audit event its hash covers, under its scheme."""
    if scheme == 1:
        return {
            "action": action,
            "at": at,
            "change": change,
            "entity": entity,
            "entity_id": entity_id,
        }
    body = {
        "action": action,
        "at": at,
        "change": committed_change(change),
        "entity": entity,
        "entity_id": entity_id,
        "v": scheme,
    }
    if scheme >= 3:
        body["member"] = member
    return body


def event_body(row: ChainedEvent) -> dict[str, Any]:
    """The part of a stored audit event its hash covers."""
    return body_of(
        action=row.action.value,
        at=row.at.astimezone(UTC).isoformat(),
        change=json.loads(row.change),
        entity=row.entity,
        entity_id=row.entity_id,
        scheme=row.scheme,
        member=row.member,
    )


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
            report.problems.append(
                _("audit event {id}: does not follow the event before it").format(id=row.id)
            )
        if canonical_json(json.loads(row.change)) != row.change:
            report.problems.append(
                _("audit event {id}: its change is not canonical JSON").format(id=row.id)
            )
        if event_hash(row.prev_hash, event_body(row)) != row.hash:
            report.problems.append(
                _("audit event {id}: its hash does not match its content").format(id=row.id)
            )
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


def same_value(kept: Any, past: Any) -> bool:
    """Whether a record's value is the one its history gives (which may be a digest)."""
    if is_ref(past):
        return value_digest(kept) == str(past[REF])
    return bool(kept == past)


def compare_records(
    records: Iterable[Mapping[str, Any]],
    replayed: Mapping[int, Mapping[str, Any]],
    name: Callable[[int], str],
    *,
    masked: Callable[[int, str], bool] = lambda record_id, key: False,
) -> list[str]:
    """What differs between records as kept and as their history replays them: one
    line per record and field, named by `name(id)`. A field that `masked(id, key)`
    says was masked by redaction is not compared (its digest stays in the chain)."""
    problems: list[str] = []
    seen: set[int] = set()
    for record in records:
        if not isinstance(record, Mapping) or "id" not in record:
            continue
        seen.add(record["id"])
        past = replayed.get(record["id"])
        if past is None:
            problems.append(
                _("{record}: has no history in the audit chain").format(record=name(record["id"]))
            )
            continue
        for key, value in record.items():
            if key in past:
                kept = past[key]
                if kept == value:  # nearly always: compared without a call
                    continue
                if not same_value(value, kept) and not masked(record["id"], key):
                    problems.append(
                        _("{record}: {key} differs from its audit history").format(
                            record=name(record["id"]), key=key
                        )
                    )
            elif value not in EMPTY:
                problems.append(
                    _("{record}: {key} was never set in its audit history").format(
                        record=name(record["id"]), key=key
                    )
                )
    for record_id in sorted(set(replayed) - seen):
        problems.append(
            _("{record}: is in the audit history but missing").format(record=name(record_id))
        )
    return problems


def short_fingerprint(head: str) -> str:
    """The first 64 bits of a chain head, in four groups: short enough to copy into a
    message, long enough that no rewritten chain can be made to end on it."""
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def fingerprint_digits(text: str) -> str:
    """A fingerprint as typed (any case, dashes or spaces), as lowercase hex digits."""
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")
