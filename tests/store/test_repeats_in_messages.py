"""Repeats the first guard missed (issue #11): identifiers named only in a message, a
second ticket number while the first ticket is unanswered, the warnings of a merged
case, and one warning shown once however often it is raised."""

from __future__ import annotations

from datetime import timedelta

import pytest

from recorder.domain.clock import FixedClock
from recorder.read.cases import case_detail
from recorder.store.models import DuplicateKind, FlagStatus
from recorder.store.session import Store
from recorder.write.decisions import merge_cases, unmerge_case
from tests.store.test_duplicate_flags import AT, _case, _flags, _log

pytestmark = pytest.mark.backends

TXID = "0x" + "5e" * 32


def test_a_txid_named_only_in_a_message_is_matched(store: Store) -> None:
    first, _ = _case(store, "Withdrawal never arrived")
    _log(store, first, text=f"My withdrawal {TXID} never arrived in my wallet.")
    # A new case whose field holds it, written without the 0x and in capitals.
    second, found = _case(store, "Funds missing from my wallet", txid=TXID[2:].upper())
    assert (DuplicateKind.same_identifier, first) in found
    (flag,) = [f for f in _flags(store) if f.case_id == second]
    assert flag.matched == f"TxID {TXID[2:].upper()}"
    # And a message in a third case naming it in its text.
    third, _ = _case(store, "Card declined")
    _, flags, _ = _log(store, third, text=f"Unrelated, but see tx {TXID}", channel="chat")
    assert {f.earlier_case_id for f in flags if f.kind is DuplicateKind.same_identifier} == {
        first,
        second,
    }


def test_an_order_number_in_chinese_text_is_matched(store: Store) -> None:
    first, _ = _case(store, "USDT 提现失败")
    _log(store, first, text="订单号：A771203，提现一直显示处理中")
    _, found = _case(store, "Order stuck", order_number="a771203")
    assert (DuplicateKind.same_identifier, first) in found


def test_a_second_ticket_while_the_first_is_unanswered_is_flagged(
    store: Store, clock: FixedClock
) -> None:
    clock.at = AT + timedelta(days=16)  # every contact below has happened by then
    case, _ = _case(store, "ETH withdrawal pending")
    first, _, _ = _log(store, case, channel="ticket", reference="4815162", text="Pending")
    later = AT + timedelta(days=14)  # past the first ticket's window
    _, flags, _ = _log(
        store, case, channel="ticket", reference="5000001", text="Still pending", occurred_at=later
    )
    (flag,) = flags
    assert (flag.kind, flag.earlier_contact_id, flag.matched) == (
        DuplicateKind.second_ticket,
        first,
        "ticket 4815162",
    )
    # Once support answered the first ticket, a new number is how it goes on.
    _log(store, case, direction="inbound", occurred_at=later + timedelta(hours=1), text="Done")
    _, flags, _ = _log(
        store,
        case,
        channel="ticket",
        reference="5000002",
        text="A new question",
        occurred_at=later + timedelta(days=1),
    )
    assert [f.kind for f in flags] == []


def test_merging_closes_the_merged_cases_warnings_and_unmerging_opens_them(
    store: Store,
) -> None:
    into, _ = _case(store, "BTC withdrawal pending")
    other, _ = _case(store, "Card declined", order_number="771203")
    source, found = _case(store, "BTC withdrawal still pending", order_number="771203")
    assert {k for k, _ in found} == {DuplicateKind.same_identifier, DuplicateKind.similar_case}
    with store.write() as tx:
        merge_cases(tx, source, into)
    statuses = {(f.kind, f.earlier_case_id): f.status for f in _flags(store)}
    assert statuses[(DuplicateKind.similar_case, into)] is FlagStatus.confirmed
    assert statuses[(DuplicateKind.same_identifier, other)] is FlagStatus.closed
    with store.write() as tx:
        unmerge_case(tx, source)
    statuses = {(f.kind, f.earlier_case_id): f.status for f in _flags(store)}
    assert statuses[(DuplicateKind.same_identifier, other)] is FlagStatus.open


def test_one_warning_is_kept_and_shown_once(store: Store) -> None:
    case, _ = _case(store, "BTC withdrawal pending")
    _log(store, case, channel="ticket", reference="4815162", text="Pending")
    for hours in (1, 2):
        _log(
            store,
            case,
            channel="ticket",
            reference="4815162",
            text=f"Any news? ({hours})",
            occurred_at=AT + timedelta(hours=hours),
        )
    waiting = [f for f in _flags(store) if f.kind is DuplicateKind.still_waiting]
    assert len(waiting) == 1
    with store.reader() as reader:
        detail = case_detail(reader, case)
    assert [f.kind for f in detail.warnings()] == [DuplicateKind.still_waiting]
