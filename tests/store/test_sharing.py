"""One store kept by several people at once: a household, a small team."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest

from recorder.domain.clock import FixedClock
from recorder.store.lookups import count_rows
from recorder.store.session import Store
from recorder.write.audit import verify_store_chain
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.opening import open_store
from tests.helpers.cli import ok

pytestmark = pytest.mark.backends

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
MEMBERS = 4
EACH = 200


def _member(url: str, member: int, case_id: int, start: multiprocessing.synchronize.Event) -> None:
    """One member's recorder: waits for the others, then logs EACH contacts, one
    transaction each, as fast as it can."""
    store = open_store(
        url, clock=FixedClock(AT + timedelta(days=30), step=timedelta(milliseconds=1))
    )
    start.wait(60)
    try:
        for n in range(EACH):
            with store.write() as tx:
                log_contact(
                    tx,
                    case_id=case_id,
                    channel="chat",
                    direction="outbound",
                    occurred_at=AT + timedelta(minutes=member * EACH + n),
                    text=f"member {member}, message {n}: is the withdrawal released yet?",
                )
    finally:
        store.close()


def test_four_members_writing_at_once_keep_one_chain(store: Store, store_url: str) -> None:
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="Frozen account, shared by the family")
    assert case.id is not None
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    members = [
        context.Process(target=_member, args=(store_url, m, case.id, start)) for m in range(MEMBERS)
    ]
    for member in members:
        member.start()
    start.set()
    for member in members:
        member.join(300)
    assert [m.exitcode for m in members] == [0] * MEMBERS
    with store.read() as session:
        assert count_rows(session)["contacts"] == MEMBERS * EACH
        report = verify_store_chain(session)
    assert report.ok, report
    assert "OK: audit chain of" in ok(store_url, "db", "verify")
