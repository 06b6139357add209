"""Conversations on a real store: a chat's turns follow its text when it is corrected,
and the case's follow-up and status follow the turns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from recorder.store.models import Case, CaseStatus, Contact
from recorder.store.session import Store
from recorder.write.audit import verify_store_chain
from recorder.write.cases import open_case
from recorder.write.contacts import edit_contact, log_contact

pytestmark = pytest.mark.backends

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _chat(store: Store, title: str, text: str, me: list[str]) -> tuple[int, Contact]:
    """A new Gemini case with one chat the user logged; the case's id and the chat."""
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title=title)
        assert case.id is not None
        chat = log_contact(
            tx,
            case_id=case.id,
            channel="chat",
            direction="outbound",
            occurred_at=AT,
            text=text,
            me=me,
        )
    return case.id, chat


def test_naming_the_user_afterwards_makes_a_chat_a_conversation(store: Store) -> None:
    case_id, chat = _chat(
        store, "BTC withdrawal pending", "Li Wei: where is my BTC?\nAnna: released.\n", []
    )
    # Two speakers, neither known as the user: kept whole, and waiting as sent.
    assert chat.turns == []
    with store.read() as session:
        row = session.get(Case, case_id)
        assert row is not None and row.status is CaseStatus.waiting_on_support
        assert row.next_follow_up_at is not None
    with store.write() as tx:
        edit_contact(tx, chat.id or 0, {}, me=["Li Wei"])
    with store.read() as session:
        again = session.get(Contact, chat.id)
        row = session.get(Case, case_id)
        assert again is not None and row is not None
        assert [t["speaker"] for t in again.turns] == ["me", "agent"]
        assert (row.status, row.next_follow_up_at) == (CaseStatus.waiting_on_me, None)
        assert verify_store_chain(session).ok


def test_a_corrected_transcript_keeps_the_users_name_from_its_old_turns(store: Store) -> None:
    case_id, chat = _chat(
        store,
        "Deposit missing",
        "Anna: how can I help?\nLi Wei: my deposit is missing\n",
        ["Li Wei"],
    )
    assert [t["speaker"] for t in chat.turns] == ["agent", "me"]
    with store.read() as session:
        row = session.get(Case, case_id)
        assert row is not None and row.status is CaseStatus.waiting_on_support
    with store.write() as tx:
        edit_contact(
            tx,
            chat.id or 0,
            {"text": chat.text + "Anna: found it, credited now.\n"},
        )
    with store.read() as session:
        again = session.get(Contact, chat.id)
        row = session.get(Case, case_id)
        assert again is not None and row is not None
        assert [t["speaker"] for t in again.turns] == ["agent", "me", "agent"]
        assert (row.status, row.next_follow_up_at) == (CaseStatus.waiting_on_me, None)
        assert verify_store_chain(session).ok
