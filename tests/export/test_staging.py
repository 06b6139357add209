"""The staging area that export and verify keep the record in (recorder.export.staging):
its replay of the chain must leave exactly what the in-memory replay leaves, however
its records move between memory and disk."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recorder.domain.chain import Replayer
from recorder.export import staging
from recorder.export.staging import Replay, Staged

ACTIONS = st.sampled_from(["create", "update", "delete"])
FIELDS = st.dictionaries(
    st.sampled_from(["text", "status", "count"]),
    st.one_of(st.none(), st.integers(0, 5), st.text(max_size=30)),
    max_size=3,
)
EVENTS = st.lists(
    st.builds(
        lambda action, entity, entity_id, after: {
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "change": {"before": None, "after": after or None},
        },
        ACTIONS,
        st.sampled_from(["cases", "contacts"]),
        st.integers(1, 4),
        FIELDS,
    ),
    min_size=10,
    max_size=60,
)


@pytest.mark.parametrize(("recent", "batch"), [(1, 4), (2, 3), (512, 50)])
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(events=EVENTS, elided=st.lists(st.booleans(), max_size=60))
def test_the_replay_on_disk_leaves_what_the_replay_in_memory_leaves(
    monkeypatch: pytest.MonkeyPatch,
    recent: int,
    batch: int,
    events: list[dict[str, Any]],
    elided: list[bool],
) -> None:
    monkeypatch.setattr(staging, "RECENT", recent)
    monkeypatch.setattr(staging, "BATCH", batch)
    for event, skip in zip(events, elided, strict=False):
        if skip:
            event["elided"] = True
    in_memory = Replayer()
    with Staged.new() as staged:
        on_disk = Replay(staged)
        try:
            for event in events:
                in_memory.apply(event)
                on_disk.apply(event)
            on_disk.done()
            for kind in ("cases", "contacts"):
                expected = in_memory.state.get(kind, {})
                replayed = on_disk.records(kind)
                assert sorted(replayed) == sorted(expected)
                assert {i: dict(replayed[i]) for i in replayed} == expected
                # Asked for in id order (one cursor) and out of it (one query each).
                assert [dict(replayed[i]) for i in sorted(expected, reverse=True)] == [
                    expected[i] for i in sorted(expected, reverse=True)
                ]
        finally:
            on_disk.close()


def test_a_staged_record_keeps_its_place_and_its_text() -> None:
    with Staged.new() as staged:
        staged.add_numbered(
            "contacts",
            [
                (
                    3,
                    {"id": 9, "case_id": 1, "occurred_at": "b"},
                    '{"id": 9, "case_id": 1, "occurred_at": "b"}',
                ),
                (5, {"id": 2, "case_id": 1, "occurred_at": "a"}, None),
            ],
        )
        assert next(staged.lines("contacts")) == '{"id": 2, "case_id": 1, "occurred_at": "a"}'
        assert [n for n, _ in staged.as_given("contacts")] == [3, 5]
        assert [c["id"] for c in staged.of_case("contacts", 1)] == [2, 9]
        assert staged.count("contacts") == 2
