"""Due times and follow-ups kept by the write path, on a real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import select

from recorder.domain.clock import FixedClock
from recorder.domain.errors import InputError
from recorder.store import db
from recorder.store.models import Case, CaseStatus, Contact
from recorder.store.session import Store
from recorder.write.audit import verify_store_chain
from recorder.write.cases import open_case, set_status
from recorder.write.contacts import delete_contact, edit_contact, log_contact
from recorder.write.opening import open_store
from recorder.write.platforms import add_platform, edit_platform

pytestmark = pytest.mark.backends

NY = ZoneInfo("America/New_York")
FRIDAY = datetime(2026, 3, 6, 10, 0, tzinfo=NY)


def _case(store: Store) -> int:
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="BTC withdrawal pending")
    assert case.id is not None
    return case.id


def _log(store: Store, case_id: int, **fields: object) -> Contact:
    values: dict[str, object] = {
        "channel": "ticket",
        "direction": "outbound",
        "occurred_at": FRIDAY,
    }
    values.update(fields)
    with store.write() as tx:
        return log_contact(tx, case_id=case_id, **values)  # type: ignore[arg-type]


def _case_row(store: Store, case_id: int) -> Case:
    with store.read() as session:
        case = session.get(Case, case_id)
    assert case is not None
    return case


def test_a_gemini_ticket_is_due_in_five_business_days(store: Store) -> None:
    case_id = _case(store)
    contact = _log(store, case_id)
    # Friday 6 March 10:00 + 5 business days: Friday 13 March 10:00 EDT.
    assert contact.expected_by == datetime(2026, 3, 13, 14, 0, tzinfo=UTC)
    case = _case_row(store, case_id)
    assert case.next_follow_up_at == contact.expected_by
    assert case.follow_up_contact_id == contact.id
    assert case.unanswered == 1


def test_an_email_is_due_in_72_hours_and_chat_in_ten_minutes(store: Store) -> None:
    case_id = _case(store)
    email = _log(store, case_id, channel="email")
    chat = _log(store, case_id, channel="chat", occurred_at=FRIDAY + timedelta(hours=1))
    assert email.expected_by == FRIDAY.astimezone(UTC) + timedelta(hours=72)
    assert chat.expected_by == FRIDAY.astimezone(UTC) + timedelta(hours=1, minutes=10)
    assert _case_row(store, case_id).next_follow_up_at == chat.expected_by


def test_a_channel_without_a_window_gets_the_labelled_default(store: Store) -> None:
    case_id = _case(store)
    call = _log(store, case_id, channel="phone")
    assert (call.due_basis, call.due_window) == ("default", "2 business days")
    # Friday 2026-03-06 10:00 New York: two business days later is Tuesday, in summer time.
    assert call.expected_by == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    answer = _log(store, case_id, direction="inbound")
    assert (answer.expected_by, answer.due_basis) == (None, None)


def test_a_promise_in_an_answer_keeps_the_case_waiting_on_support(store: Store) -> None:
    case_id = _case(store)
    _log(store, case_id)
    promise = _log(
        store,
        case_id,
        direction="inbound",
        occurred_at=FRIDAY + timedelta(hours=2),
        text="We are looking into it and will update you within 3 business days.",
    )
    assert (promise.due_basis, promise.due_window) == ("promise", "3 business days")
    case = _case_row(store, case_id)
    assert case.status is CaseStatus.waiting_on_support
    assert (case.follow_up_contact_id, case.unanswered) == (promise.id, 0)
    # Friday 12:00 New York plus three business days: Wednesday 12:00 (16:00 UTC).
    assert case.next_follow_up_at == datetime(2026, 3, 11, 16, 0, tzinfo=UTC)
    _log(store, case_id, direction="inbound", occurred_at=FRIDAY + timedelta(days=3))
    case = _case_row(store, case_id)
    assert (case.status, case.next_follow_up_at) == (CaseStatus.waiting_on_me, None)


def test_an_answer_clears_the_follow_up_but_an_acknowledgement_does_not(store: Store) -> None:
    case_id = _case(store)
    asked = _log(store, case_id)
    _log(
        store,
        case_id,
        direction="inbound",
        channel="email",
        auto_ack=True,
        occurred_at=FRIDAY + timedelta(minutes=1),
    )
    assert _case_row(store, case_id).follow_up_contact_id == asked.id
    _log(
        store, case_id, direction="inbound", channel="email", occurred_at=FRIDAY + timedelta(days=2)
    )
    case = _case_row(store, case_id)
    assert (case.next_follow_up_at, case.follow_up_contact_id, case.unanswered) == (None, None, 0)


def test_a_hand_set_follow_up_wins(store: Store) -> None:
    case_id = _case(store)
    mine = FRIDAY.astimezone(UTC) + timedelta(days=1)
    contact = _log(store, case_id, follow_up_at=mine)
    assert contact.expected_by is not None and contact.expected_by != mine
    assert _case_row(store, case_id).next_follow_up_at == mine


def test_waiting_on_me_resolved_and_closed_have_no_follow_up(store: Store) -> None:
    case_id = _case(store)
    _log(store, case_id)
    for status in ("waiting_on_me", "resolved", "closed"):
        with store.write() as tx:
            set_status(tx, case_id, status)
        assert _case_row(store, case_id).next_follow_up_at is None
    with store.write() as tx:
        set_status(tx, case_id, "open")
    assert _case_row(store, case_id).next_follow_up_at is not None


def test_edits_and_deletes_move_the_follow_up(store: Store) -> None:
    case_id = _case(store)
    first = _log(store, case_id)
    assert first.id is not None
    with store.write() as tx:
        edit_contact(tx, first.id, {"channel": "email"})
    assert _case_row(store, case_id).next_follow_up_at == FRIDAY.astimezone(UTC) + timedelta(
        hours=72
    )
    with store.write() as tx:
        delete_contact(tx, first.id)
    case = _case_row(store, case_id)
    assert (case.next_follow_up_at, case.unanswered, case.contact_count) == (None, 0, 0)


def test_changing_a_platforms_window_or_calendar_moves_its_due_times(store: Store) -> None:
    case_id = _case(store)
    contact = _log(store, case_id)
    with store.write() as tx:
        edit_platform(tx, "gemini", {"windows": {"ticket": "1bd"}})
    with store.read() as session:
        moved = session.get(Contact, contact.id)
    assert moved is not None and moved.expected_by == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    with store.write() as tx:
        edit_platform(tx, "gemini", {"closed": ["2026-03-09"]})
    with store.read() as session:
        moved = session.get(Contact, contact.id)
    assert moved is not None and moved.expected_by == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    with store.write() as tx:
        edit_platform(tx, "gemini", {"windows": {"ticket": "none"}})
    with store.read() as session:
        moved = session.get(Contact, contact.id)
    # Without the platform's window, the default's ten business days (labelled so).
    assert moved is not None and (moved.due_basis, moved.due_window) == (
        "default",
        "10 business days",
    )
    assert _case_row(store, case_id).next_follow_up_at == moved.expected_by
    with store.read() as session:
        assert verify_store_chain(session).ok


def test_platform_calendars_are_checked(store: Store) -> None:
    with pytest.raises(InputError, match="unknown holiday country 'XX'"), store.write() as tx:
        add_platform(tx, name="Nowhere", holidays="XX")
    with (
        pytest.raises(
            InputError, match="unknown jurisdiction 'mars'; expected one of: AU, EU, UK, US"
        ),
        store.write() as tx,
    ):
        add_platform(tx, name="Nowhere", jurisdiction="mars")
    with pytest.raises(InputError, match="expected YYYY-MM-DD"), store.write() as tx:
        edit_platform(tx, "gemini", {"closed": ["someday"]})
    with store.write() as tx:
        kraken = add_platform(tx, name="Kraken", holidays="US-CA", jurisdiction="us")
    assert kraken.jurisdiction == "US"
    assert "2026-03-31" in kraken.holiday_dates  # César Chávez Day, a California holiday


def test_a_store_from_0002_gets_its_due_times_derived(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO platforms (id, name, name_key, domains, addresses, timezone,"
                " holiday_country, windows, notes, created_at) VALUES (1, 'Gemini', 'gemini',"
                " '[]', '[]', 'America/New_York', 'US', '{\"ticket\": \"5 business days\"}', '',"
                " '2026-01-01 00:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cases (id, platform_id, title, status, priority, created_at,"
                " updated_at, contact_count, refs) VALUES (1, 1, 't', 'open', 'normal',"
                " '2026-03-01 00:00:00.000000', '2026-03-01 00:00:00.000000', 1, '[]')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contacts (id, case_id, channel, direction, occurred_at, text,"
                " auto_ack,"
                " source, created_at) VALUES (1, 1, 'ticket', 'outbound',"
                " '2026-03-06 15:00:00.000000', '', 0, 'typed', '2026-03-06 15:00:00.000000')"
            )
        )
    engine.dispose()
    store = open_store(str(path), clock=FixedClock(datetime(2026, 3, 7, tzinfo=UTC)))
    with store.read() as session:
        contact = session.get(Contact, 1)
        case = session.get(Case, 1)
        assert contact is not None and case is not None
        assert contact.expected_by == datetime(2026, 3, 13, 14, 0, tzinfo=UTC)
        assert case.next_follow_up_at == contact.expected_by
        from recorder.store.lookups import find_platform

        gemini = find_platform(session, "Gemini")
        assert gemini.jurisdiction == "US-NY"
        assert "2026-12-25" in gemini.holiday_dates
    store.close()


def test_recomputing_due_times_is_not_activity_in_the_cases(store: Store) -> None:
    case_id = _case(store)
    _log(store, case_id)
    before = _case_row(store, case_id).updated_at
    store.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    with store.write() as tx:
        edit_platform(tx, "gemini", {"windows": {"ticket": "2bd"}})
    case = _case_row(store, case_id)
    assert case.updated_at == before  # its place in the list stays
    assert case.next_follow_up_at == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def test_a_store_from_0005_gets_bases_identifiers_and_gemini_its_charter(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine, "0005")
    txid = "0x" + "7d" * 32
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO platforms (id, name, name_key, domains, addresses, timezone,"
                " holiday_country, jurisdiction, windows, holiday_dates, closed_dates, notes,"
                " created_at) VALUES (1, 'Gemini', 'gemini', '[]', '[]', 'America/New_York',"
                " 'US', 'US', '{\"ticket\": \"5 business days\"}', '[]', '[]', '',"
                " '2026-01-01 00:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cases (id, platform_id, title, status, priority, created_at,"
                " updated_at, contact_count, refs, unanswered) VALUES (1, 1, 't', 'open',"
                " 'normal', '2026-03-01 00:00:00.000000', '2026-03-01 00:00:00.000000', 1,"
                " '[]', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO contacts (id, case_id, channel, direction, occurred_at, text,"
                " auto_ack, source, created_at, sender_findings, sender_trusted) VALUES"
                f" (1, 1, 'phone', 'outbound', '2026-03-06 15:00:00.000000', 'Called: {txid}',"
                " 0, 'typed', '2026-03-06 15:00:00.000000', '[]', 0)"
            )
        )
    engine.dispose()
    store = open_store(str(path), clock=FixedClock(datetime(2026, 3, 7, tzinfo=UTC)))
    with store.read() as session:
        contact = session.get(Contact, 1)
        assert contact is not None
        # A call had no due time before 0006; now the labelled default.
        assert (contact.due_basis, contact.due_window) == ("default", "2 business days")
        from recorder.store.lookups import find_platform
        from recorder.store.models import MessageIdentifier

        assert find_platform(session, "Gemini").jurisdiction == "US-NY"
        indexed = session.exec(select(MessageIdentifier.key)).all()
        assert indexed == [txid[2:]]
        assert verify_store_chain(session).ok
    store.close()
