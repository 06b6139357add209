"""The write path on a real store: validation, all-or-nothing, and the audit trail."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from recorder.domain.errors import InputError, NotFoundError
from recorder.store.lookups import count_rows
from recorder.store.models import AuditEvent, Case, CaseStatus, Contact
from recorder.store.session import Store
from recorder.write.audit import verify_store_chain
from recorder.write.cases import edit_case, open_case, set_status
from recorder.write.contacts import delete_contact, edit_contact, log_contact
from recorder.write.platforms import add_platform
from tests.helpers.stores import stored_contents

pytestmark = pytest.mark.backends

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return count_rows(session)


def _events(store: Store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)))  # type: ignore[arg-type]


@pytest.fixture
def case_id(store: Store) -> int:
    with store.write() as tx:
        case = open_case(
            tx,
            platform="gemini",
            title="  BTC   withdrawal pending ",
            txid="0xABC123",
            asset="btc",
            amount="0.25",
            account_email="me@example.com",
        )
    assert case.id is not None
    return case.id


def test_a_case_is_stored_clean_and_audited(store: Store, case_id: int) -> None:
    with store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.title == "BTC withdrawal pending"
        assert case.asset == "BTC"
        assert case.status is CaseStatus.open
    last = _events(store)[-1]
    assert (last.action.value, last.entity, last.entity_id) == ("create", "cases", case_id)
    assert json.loads(last.change)["after"]["txid"] == "0xABC123"


def test_logging_a_contact_with_attachments(store: Store, case_id: int, tmp_path: Path) -> None:
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"png bytes")
    copy = tmp_path / "same-content.png"
    copy.write_bytes(b"png bytes")
    with store.write() as tx:
        contact = log_contact(
            tx,
            case_id=case_id,
            channel="ticket",
            direction="outbound",
            occurred_at=AT,
            reference="4815162",
            text="Line one\r\nLine two 中文",
            attach=[shot, copy],
        )
    with store.read() as session:
        stored = session.get(Contact, contact.id)
        assert stored is not None
        assert stored.text == "Line one\nLine two 中文"
        assert stored.occurred_at == AT
    # The same content twice is one file and one attachment.
    assert _counts(store)["attachments"] == 1
    assert stored_contents(store) == [b"png bytes"]


def test_one_bad_attachment_writes_nothing(store: Store, case_id: int, tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(b"%PDF")
    before = _counts(store)
    with store.write() as tx, pytest.raises(InputError, match="does not exist"):
        log_contact(
            tx,
            case_id=case_id,
            channel="email",
            direction="outbound",
            occurred_at=AT,
            attach=[good, tmp_path / "missing.png"],
        )
    assert _counts(store) == before
    assert not store.files.root.exists() or not any(store.files.root.rglob("*.*"))


def test_a_failed_transaction_leaves_no_rows_and_no_new_files(
    store: Store, case_id: int, tmp_path: Path
) -> None:
    doc = tmp_path / "statement.pdf"
    doc.write_bytes(b"%PDF unique content")
    before = _counts(store)
    with pytest.raises(RuntimeError), store.write() as tx:
        log_contact(
            tx,
            case_id=case_id,
            channel="email",
            direction="outbound",
            occurred_at=AT,
            attach=[doc],
        )
        raise RuntimeError("power cut, as far as the transaction knows")
    assert _counts(store) == before
    assert [p for p in store.files.root.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"channel": "fax"}, "unknown channel 'fax'; expected one of: help_center, chat"),
        ({"direction": "sideways"}, "unknown direction"),
        ({"occurred_at": datetime(2026, 11, 20, 15, 0)}, "has no time zone"),
        ({"reference": "48 15"}, "has spaces in it"),
        ({"subject": "x" * 501}, "at most 500 fit"),
        ({"text": "bad \udcff surrogate"}, "not valid UTF-8"),
    ],
)
def test_bad_contacts_are_refused_with_nothing_written(
    store: Store, case_id: int, change: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "case_id": case_id,
        "channel": "chat",
        "direction": "outbound",
        "occurred_at": AT,
    }
    values.update(change)
    before = _counts(store)
    with pytest.raises(InputError, match=message), store.write() as tx:
        log_contact(tx, **values)  # type: ignore[arg-type]
    assert _counts(store) == before


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"platform": "nowhere", "title": "x"}, NotFoundError, "no platform called 'nowhere'"),
        ({"platform": "Gemini", "title": "   "}, InputError, "title is empty"),
        ({"platform": "Gemini", "title": "x", "priority": "asap"}, InputError, "priority"),
        ({"platform": "Gemini", "title": "x", "amount": "lots"}, InputError, "not a number"),
        ({"platform": "Gemini", "title": "x", "account_email": "me"}, InputError, "not an email"),
        ({"platform": "Gemini", "title": "x", "txid": "a b"}, InputError, "has spaces"),
    ],
)
def test_bad_cases_are_refused_with_nothing_written(
    store: Store, fields: dict[str, str], error: type[Exception], message: str
) -> None:
    before = _counts(store)
    with pytest.raises(error, match=message), store.write() as tx:
        open_case(tx, **fields)
    assert _counts(store) == before


def test_unknown_case_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no case #404"), store.write() as tx:
        log_contact(tx, case_id=404, channel="chat", direction="inbound", occurred_at=AT)


def test_status_edit_and_delete_are_audited_with_before_and_after(
    store: Store, case_id: int, clock: object
) -> None:
    with store.write() as tx:
        contact = log_contact(
            tx, case_id=case_id, channel="chat", direction="inbound", occurred_at=AT, text="hi"
        )
    with store.write() as tx:
        set_status(tx, case_id, "waiting_on_support")
    with store.write() as tx:
        edit_case(tx, case_id, {"title": "ETH withdrawal pending", "order_number": "771203"})
    assert contact.id is not None
    with store.write() as tx:
        edit_contact(tx, contact.id, {"agent": "Sam", "text": "hello"})
    with store.write() as tx:
        delete_contact(tx, contact.id)

    events = _events(store)
    changes = [(e.action.value, e.entity, json.loads(e.change)) for e in events]
    updates = [c for a, ent, c in changes if a == "update" and ent == "cases"]
    # The answer moved the case to waiting on the user (the facts), then the user set
    # it by hand: both changes are audited with what was before.
    followed, chosen = [c for c in updates if "status" in c["after"]][:2]
    assert (followed["before"]["status"], followed["after"]["status"]) == (
        "open",
        "waiting_on_me",
    )
    assert chosen["before"]["status"] == "waiting_on_me"
    assert chosen["after"]["status"] == "waiting_on_support"
    title = next(c for c in updates if "title" in c["after"])
    assert title["before"]["title"] == "BTC withdrawal pending"
    assert "updated_at" in title["after"]
    edit = next(c for a, ent, c in changes if ent == "contacts" and a == "update")
    assert edit["before"] == {"agent": None, "text": "hi"}
    deleted = next(c for a, ent, c in changes if a == "delete")
    assert deleted["before"]["text"] == "hello"
    with store.read() as session:
        assert session.get(Contact, contact.id) is None
        case = session.get(Case, case_id)
        assert case is not None and case.status is CaseStatus.waiting_on_support
        report = verify_store_chain(session)
    assert report.ok and report.events == len(events)


def test_an_edit_that_changes_nothing_writes_no_event(store: Store, case_id: int) -> None:
    before = _counts(store)["audit_events"]
    with store.write() as tx:
        edit_case(tx, case_id, {"title": "BTC withdrawal pending"})
    assert _counts(store)["audit_events"] == before


def test_platform_names_are_unique_whatever_their_case(store: Store) -> None:
    with pytest.raises(InputError, match="already exists"), store.write() as tx:
        add_platform(tx, name="GEMINI")
    with store.write() as tx:
        added = add_platform(
            tx,
            name="Kraken",
            domains=["Kraken.com"],
            timezone="America/Los_Angeles",
            holidays="us-ca",
            windows={"email": "48 hours", "ticket": "3bd"},
        )
    assert added.domains == ["kraken.com"]
    assert (added.holiday_country, added.holiday_subdivision) == ("US", "CA")
    assert added.windows == {"email": "48h", "ticket": "3 business days"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Mars/Base"}, "unknown time zone"),
        ({"windows": {"email": "soon"}}, "cannot read the window"),
        ({"windows": {"carrier_pigeon": "3d"}}, "unknown channel"),
        ({"holidays": "United States"}, "cannot read holidays"),
        ({"domains": ["not a domain"]}, "is not valid"),
    ],
)
def test_bad_platforms_are_refused(store: Store, fields: dict[str, object], message: str) -> None:
    before = _counts(store)
    with pytest.raises(InputError, match=message), store.write() as tx:
        add_platform(tx, name="Binance", **fields)  # type: ignore[arg-type]
    assert _counts(store) == before


def test_a_large_text_is_stored_once_and_every_version_is_kept(store: Store) -> None:
    from recorder.domain.chain import REF, value_digest
    from recorder.store.models import StoredText
    from recorder.write.audit import LARGE_VALUE

    first = "Agent: we are checking your withdrawal.\n" * (LARGE_VALUE // 40 + 1)
    second = first.replace("checking", "escalating")
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="Long chat")
        assert case.id is not None
        contact = log_contact(
            tx, case_id=case.id, channel="chat", direction="inbound", occurred_at=AT, text=first
        )
    with store.write() as tx:
        assert contact.id is not None
        edit_contact(tx, contact.id, {"text": second})
    with store.read() as session:
        changes = [
            json.loads(e.change)
            for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "contacts"))
        ]
        kept = {t.sha256: json.loads(t.body) for t in session.exec(select(StoredText))}
    assert changes[0]["after"]["text"] == {REF: value_digest(first)}
    assert changes[1]["before"]["text"] == {REF: value_digest(first)}
    assert changes[1]["after"]["text"] == {REF: value_digest(second)}
    assert kept == {value_digest(first): first}, "the superseded version, once"
    assert sum(len(json.dumps(c)) for c in changes) < 2_000
