"""The duplicate guard on a real store: each kind of flag, exactly; decisions; merges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from recorder.domain.clock import FixedClock
from recorder.domain.errors import InputError, NotFoundError
from recorder.store.lookups import count_rows
from recorder.store.models import (
    Case,
    CaseStatus,
    Contact,
    DuplicateFlag,
    DuplicateKind,
    FlagStatus,
)
from recorder.store.session import Store
from recorder.write import checks
from recorder.write.audit import verify_store_chain
from recorder.write.cases import edit_case, open_case, set_status
from recorder.write.contacts import delete_contact, log_contact
from recorder.write.decisions import decide, merge_cases, unmerge_case

pytestmark = pytest.mark.backends

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday, 10:00 in New York


def _case(store: Store, title: str, platform: str = "Gemini", **ids: str) -> tuple[int, list[Any]]:
    with store.write() as tx:
        case = open_case(tx, platform=platform, title=title, **ids)
        flags = [(f.kind, f.earlier_case_id) for f in tx.flags]
    assert case.id is not None
    return case.id, flags


def _log(store: Store, case_id: int, **fields: Any) -> tuple[int, list[DuplicateFlag], bool]:
    values: dict[str, Any] = {"channel": "email", "direction": "outbound", "occurred_at": AT}
    values.update(fields)
    with store.write() as tx:
        contact = log_contact(tx, case_id=case_id, **values)
        flags = list(tx.flags)
        repeated = bool(tx.repeats)
    assert contact.id is not None
    return contact.id, flags, repeated


def _flags(store: Store) -> list[DuplicateFlag]:
    with store.read() as session:
        return list(session.exec(select(DuplicateFlag).order_by(DuplicateFlag.id)))  # type: ignore[arg-type]


def test_same_reference_in_another_case(store: Store) -> None:
    first, _ = _case(store, "BTC withdrawal pending")
    second, _ = _case(store, "Card declined")
    _log(store, first, reference="4815162", text="Where is my BTC?")
    # The same reference again in its own case is how a ticket goes on: no flag.
    _, again, _ = _log(store, first, reference="4815162", text="Any news?", channel="chat")
    assert again == []
    _, flags, _ = _log(store, second, reference="4815162", text="My card is declined")
    assert [(f.kind, f.earlier_case_id, f.matched) for f in flags] == [
        (DuplicateKind.same_reference, first, "4815162")
    ]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("0xABC123", "abc123"), ("abc123", "0XAbC123"), ("Abc123", "ABC123")],
)
def test_same_txid_in_another_open_case_compared_normalised(
    store: Store, stored: str, typed: str
) -> None:
    first, _ = _case(store, "BTC withdrawal pending", txid=stored)
    second, flags = _case(store, "Where are my coins", txid=typed)
    assert flags == [(DuplicateKind.same_identifier, first)]
    with store.read() as session:
        flag = session.exec(select(DuplicateFlag)).one()
    assert flag.case_id == second and flag.matched == f"TxID {typed}"


def test_same_order_number_but_only_in_an_open_case(store: Store) -> None:
    first, _ = _case(store, "Order filled at the wrong price", order_number="771203")
    _, flags = _case(store, "Fee charged twice", order_number=" 771203")
    assert flags == [(DuplicateKind.same_identifier, first)]
    with store.write() as tx:
        edit_case(tx, first, {"status": "resolved"})
    _, later = _case(store, "Fee still charged twice", order_number="771203")
    assert (DuplicateKind.same_identifier, first) not in later


def test_editing_in_a_known_txid_flags_too(store: Store) -> None:
    first, _ = _case(store, "BTC withdrawal pending", txid="abc123")
    second, _ = _case(store, "Unrelated card problem")
    with store.write() as tx:
        edit_case(tx, second, {"txid": "0xabc123"})
        found = [(f.kind, f.earlier_case_id) for f in tx.flags]
    assert found == [(DuplicateKind.same_identifier, first)]


def test_same_message_in_any_case_without_the_quoted_reply(store: Store) -> None:
    first, _ = _case(store, "BTC withdrawal pending")
    second, _ = _case(store, "Card declined")
    earlier, _, _ = _log(store, first, text="Hello,\nmy withdrawal is stuck.\nThanks")
    _, flags, _ = _log(
        store,
        second,
        occurred_at=AT + timedelta(days=3),
        channel="chat",
        text="hello, my withdrawal is STUCK. thanks\n\nOn Fri, Support wrote:\n> We got it",
    )
    assert [(f.kind, f.earlier_case_id, f.earlier_contact_id) for f in flags] == [
        (DuplicateKind.same_message, first, earlier)
    ]


def test_an_inbound_contact_is_never_flagged(store: Store) -> None:
    first, _ = _case(store, "BTC withdrawal pending")
    second, _ = _case(store, "Card declined")
    _log(store, first, text="We are looking into it", reference="77")
    _, flags, _ = _log(
        store, second, direction="inbound", text="We are looking into it", reference="77"
    )
    assert flags == []


def test_still_waiting_names_the_ticket_and_when_it_is_due(store: Store) -> None:
    case, _ = _case(store, "BTC withdrawal pending")
    ticket, _, _ = _log(store, case, channel="ticket", reference="4815162", text="Please help")
    _, flags, _ = _log(
        store, case, channel="email", occurred_at=AT + timedelta(days=2), text="Any news?"
    )
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.kind, flag.earlier_case_id, flag.earlier_contact_id) == (
        DuplicateKind.still_waiting,
        case,
        ticket,
    )
    assert flag.matched == "ticket 4815162 (5 business days)"
    # Friday 10:00 plus 5 business days (Thanksgiving on Thursday 26th) in New York.
    assert flag.due_at == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def test_not_waiting_once_due_once_answered_or_on_chat(store: Store, clock: FixedClock) -> None:
    clock.at = AT + timedelta(days=13)  # every contact below has happened by then
    case, _ = _case(store, "BTC withdrawal pending")
    _log(store, case, channel="ticket", reference="1", text="Please help")
    _, on_chat, _ = _log(
        store, case, channel="chat", occurred_at=AT + timedelta(hours=1), text="hi"
    )
    assert on_chat == []
    _, after_due, _ = _log(
        store, case, channel="ticket", occurred_at=AT + timedelta(days=12), text="Overdue!"
    )
    assert after_due == []
    other, _ = _case(store, "Card declined")
    _log(store, other, channel="ticket", text="Card declined")
    _log(store, other, direction="inbound", occurred_at=AT + timedelta(hours=2), text="Fixed")
    _, answered, _ = _log(
        store, other, channel="email", occurred_at=AT + timedelta(hours=3), text="Thanks"
    )
    assert answered == []


def test_similar_case_of_the_same_platform_only(store: Store) -> None:
    first, _ = _case(store, "ETH withdrawal pending for 48 hours")
    _case(store, "ETH withdrawal pending for 48 hours", platform="Generic")
    _, flags = _case(store, "My ether withdrawal is still pending after two days")
    assert flags == [(DuplicateKind.similar_case, first)]
    _, different = _case(store, "ETH deposit pending for 48 hours")
    assert different == []


def test_similar_cases_are_looked_for_among_the_newest_open_ones(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check reads SIMILAR_POOL open cases of the platform, the newest: its cost does
    not grow with the cases a store holds. Here the pool is 3."""
    monkeypatch.setattr(checks, "SIMILAR_POOL", 3)
    oldest, _ = _case(store, "ETH withdrawal pending for 48 hours")
    newer = [_case(store, title)[0] for title in ("Card declined", "Login fails", "KYC stuck")]
    _, flags = _case(store, "My ether withdrawal is still pending after two days")
    assert flags == []  # the oldest is past the newest three
    with store.write() as tx:  # closed cases take no place in the pool
        for case_id in newer:
            set_status(tx, case_id, CaseStatus.resolved)
    _, flags = _case(store, "ETH withdrawal still pending after 2 days")
    assert (DuplicateKind.similar_case, oldest) in flags


def test_similar_case_uses_the_first_message_and_flags_a_pair_once(store: Store) -> None:
    first, _ = _case(store, "Order filled at the wrong price")
    _log(store, first, text="Order 771203 was filled at twice my limit.")
    second, flags = _case(store, "Order filled at the wrong price")
    assert flags == [(DuplicateKind.similar_case, first)]
    # Its first message names another order: a different problem, flagged no further.
    _, more, _ = _log(store, second, text="Order 771988 was filled at twice my limit.")
    assert more == []
    assert len(_flags(store)) == 1


def test_an_exact_repeat_is_not_stored_twice(store: Store) -> None:
    case, _ = _case(store, "BTC withdrawal pending")
    first, _, repeated = _log(store, case, text="Where is my BTC?")
    assert not repeated
    with store.read() as session:
        before = count_rows(session)
    again, flags, repeated = _log(store, case, text="Where is my BTC?")
    assert repeated and again == first and flags == []
    with store.read() as session:
        assert count_rows(session) == before
    # Another time is another contact (and the same message, flagged).
    _, flags, repeated = _log(
        store, case, channel="chat", text="Where is my BTC?", occurred_at=AT + timedelta(1)
    )
    assert not repeated and [f.kind for f in flags] == [DuplicateKind.same_message]


def test_decisions_are_kept_and_audited(store: Store) -> None:
    _case(store, "ETH withdrawal pending for 48 hours")
    _case(store, "My ether withdrawal is still pending after two days")
    flag = _flags(store)[0]
    assert flag.id is not None and flag.status is FlagStatus.open
    with store.write() as tx:
        decide(tx, flag.id, "dismissed")
    assert _flags(store)[0].status is FlagStatus.dismissed
    assert _flags(store)[0].decided_at is not None
    with store.write() as tx:
        decide(tx, flag.id, FlagStatus.open)
    assert _flags(store)[0].decided_at is None
    with pytest.raises(InputError, match="unknown decision 'maybe'"), store.write() as tx:
        decide(tx, flag.id, "maybe")
    with pytest.raises(NotFoundError, match="no duplicate flag #99"), store.write() as tx:
        decide(tx, 99, "confirmed")
    with store.read() as session:
        assert verify_store_chain(session).ok


def test_deleting_a_contact_deletes_the_flags_that_name_it(store: Store) -> None:
    first, _ = _case(store, "BTC withdrawal pending")
    second, _ = _case(store, "Card declined")
    earlier, _, _ = _log(store, first, text="same words")
    later, _, _ = _log(store, second, text="same words", occurred_at=AT + timedelta(hours=1))
    assert len(_flags(store)) == 1
    with store.write() as tx:
        delete_contact(tx, earlier)
    assert _flags(store) == []
    assert later


def test_merge_moves_contacts_and_unmerge_puts_everything_back(store: Store) -> None:
    into, _ = _case(store, "ETH withdrawal pending for 48 hours")
    source, _ = _case(store, "My ether withdrawal is still pending after two days")
    _log(store, into, channel="ticket", reference="1", text="first")
    moved, _, _ = _log(store, source, channel="chat", text="second", occurred_at=AT + timedelta(1))
    with store.write() as tx:
        edit_case(tx, source, {"status": "waiting_on_me"})
        merge_cases(tx, source, into)
    with store.read() as session:
        merged = session.get(Case, source)
        target = session.get(Case, into)
        contact = session.get(Contact, moved)
        assert merged is not None and target is not None and contact is not None
        assert merged.merged_into_id == into and merged.status is CaseStatus.closed
        assert merged.contact_count == 0 and target.contact_count == 2
        assert contact.case_id == into and contact.merged_from_id == source
        flag = session.exec(select(DuplicateFlag)).one()
        assert flag.status is FlagStatus.confirmed
    with store.write() as tx:
        unmerge_case(tx, source)
    with store.read() as session:
        merged = session.get(Case, source)
        contact = session.get(Contact, moved)
        assert merged is not None and contact is not None
        assert merged.merged_into_id is None and merged.status is CaseStatus.waiting_on_me
        assert merged.contact_count == 1
        assert contact.case_id == source and contact.merged_from_id is None
        assert verify_store_chain(session).ok


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ((1, 1), "cannot be merged into itself"),
        ((1, 3), "different platforms"),
        ((1, 9), "no case #9"),
    ],
)
def test_merge_refuses_what_cannot_be_one_problem(
    store: Store, pair: tuple[int, int], message: str
) -> None:
    _case(store, "one")
    _case(store, "two")
    _case(store, "three", platform="Generic")
    with pytest.raises((InputError, NotFoundError), match=message), store.write() as tx:
        merge_cases(tx, *pair)


def test_a_merged_case_cannot_be_merged_again_nor_an_unmerged_one_unmerged(store: Store) -> None:
    a, _ = _case(store, "one")
    b, _ = _case(store, "two")
    c, _ = _case(store, "three")
    with store.write() as tx:
        merge_cases(tx, a, b)
    with pytest.raises(InputError, match="merged into #2 already"), store.write() as tx:
        merge_cases(tx, a, c)
    with pytest.raises(InputError, match="merged into #2 already"), store.write() as tx:
        merge_cases(tx, c, a)
    with pytest.raises(InputError, match="is not merged"), store.write() as tx:
        unmerge_case(tx, c)
