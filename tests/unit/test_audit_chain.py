"""The audit chain: canonical JSON, hashes, and what verification catches."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from recorder.domain.chain import (
    GENESIS_HASH,
    canonical_json,
    event_body,
    event_hash,
    ref,
    verify_chain,
)
from recorder.store.models import AuditAction, AuditEvent

AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _chain(n: int) -> list[AuditEvent]:
    events = []
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        change = canonical_json({"before": None, "after": {"id": i, "title": f"case {i} 中文"}})
        row = AuditEvent(
            id=i,
            at=AT,
            action=AuditAction.create,
            entity="cases",
            entity_id=i,
            change=change,
            prev_hash=prev,
            hash="",
        )
        row.hash = event_hash(prev, event_body(row))
        prev = row.hash
        events.append(row)
    return events


def test_canonical_json_is_sorted_compact_and_keeps_unicode() -> None:
    assert canonical_json({"b": 1, "a": ["中", None]}) == '{"a":["中",null],"b":1}'


def test_hash_is_sha256_of_previous_hash_and_canonical_event() -> None:
    row = _chain(1)[0]
    expected = hashlib.sha256(
        (GENESIS_HASH + canonical_json(event_body(row))).encode("utf-8")
    ).hexdigest()
    assert row.hash == expected


def test_an_intact_chain_verifies_to_its_head() -> None:
    events = _chain(5)
    report = verify_chain(events)
    assert report.ok
    assert report.events == 5
    assert report.head == events[-1].hash


def test_an_edited_change_is_caught_by_event() -> None:
    events = _chain(4)
    change = json.loads(events[2].change)
    change["after"]["title"] = "edited"
    events[2].change = canonical_json(change)
    report = verify_chain(events)
    assert report.problems == ["audit event 3: its hash does not match its content"]


def test_a_removed_event_breaks_the_link_after_it() -> None:
    events = _chain(4)
    del events[1]
    report = verify_chain(events)
    assert report.problems == ["audit event 3: does not follow the event before it"]


def test_a_rehashed_edit_still_breaks_the_next_link() -> None:
    events = _chain(3)
    events[0].entity_id = 99
    events[0].hash = event_hash(events[0].prev_hash, event_body(events[0]))
    report = verify_chain(events)
    assert report.problems == ["audit event 2: does not follow the event before it"]


def test_a_non_canonical_change_text_is_caught() -> None:
    events = _chain(1)
    events[0].change = json.dumps(json.loads(events[0].change), indent=1)
    assert "audit event 1: its change is not canonical JSON" in verify_chain(events).problems


def test_scheme_2_covers_each_fields_digest_so_a_field_may_stand_as_it() -> None:
    events = _chain(2)
    change = json.loads(events[1].change)
    change["after"]["title"] = ref(change["after"]["title"])
    events[1].change = canonical_json(change)
    assert verify_chain(events).ok, "a field as its digest commits to the same event"
    change["after"]["title"] = ref("another title")
    events[1].change = canonical_json(change)
    assert verify_chain(events).problems == ["audit event 2: its hash does not match its content"]


def test_scheme_1_events_keep_the_hash_they_were_written_with() -> None:
    events = _chain(2)
    for event in events:
        event.scheme = 1
    prev = GENESIS_HASH
    for event in events:
        event.prev_hash = prev
        event.hash = hashlib.sha256(
            (prev + canonical_json(event_body(event))).encode("utf-8")
        ).hexdigest()
        prev = event.hash
    assert "v" not in event_body(events[0])
    assert json.loads(events[0].change) == event_body(events[0])["change"]
    assert verify_chain(events).ok
