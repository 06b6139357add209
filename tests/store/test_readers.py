"""The read side gives the same answers through the light reader and through SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from recorder.domain.clock import FixedClock
from recorder.domain.errors import NotFoundError
from recorder.domain.vocabulary import CaseStatus
from recorder.read.cases import case_detail, list_cases
from recorder.read.contacts import contact_views
from recorder.read.platforms import list_platforms
from recorder.store.locations import resolve
from recorder.store.readers import SqliteReader, open_sqlite_reader
from recorder.store.session import Store
from recorder.write.cases import open_case, set_status
from recorder.write.contacts import delete_contact, edit_contact, log_contact

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    shot = tmp_path / "s.png"
    shot.write_bytes(b"png")
    with store.write() as tx:
        first = open_case(tx, platform="Gemini", title="BTC withdrawal pending", txid="0x1")
        second = open_case(tx, platform="Generic", title="银行转账被退回")
        assert first.id is not None and second.id is not None
        for n in range(3):
            log_contact(
                tx,
                case_id=first.id,
                channel="ticket",
                direction="outbound" if n % 2 == 0 else "inbound",
                occurred_at=AT + timedelta(hours=n),
                reference=f"48151{n % 2}",
                text=f"message {n}",
                attach=[shot] if n == 0 else [],
            )
        log_contact(
            tx,
            case_id=second.id,
            channel="chat",
            direction="outbound",
            occurred_at=AT - timedelta(days=1),
        )
    with store.write() as tx:
        set_status(tx, second.id, CaseStatus.resolved)
    return store


def _light(store: Store, db_path: Path) -> SqliteReader:
    reader = open_sqlite_reader(resolve(str(db_path)))
    assert reader is not None
    return reader


def test_both_readers_agree(filled: Store, db_path: Path) -> None:
    light = _light(filled, db_path)
    try:
        with filled.reader() as full:
            for query in (
                lambda r: list_cases(r),
                lambda r: list_cases(r, statuses=None),
                lambda r: list_cases(r, statuses=[CaseStatus.resolved], platform="generic"),
                lambda r: list_cases(r, limit=1),
                lambda r: case_detail(r, 1),
                lambda r: contact_views(r, contact_id=1),
                lambda r: list_platforms(r),
            ):
                assert query(light) == query(full)
    finally:
        light.close()


def test_the_case_list_carries_each_case_summary(filled: Store) -> None:
    with filled.reader() as reader:
        (case,) = list_cases(reader)
        assert case.references == ["481510", "481511"]
        assert case.contacts == 3
        assert case.last_contact_at == AT + timedelta(hours=2)
        # The resolved case changed last, so it comes first.
        assert [c.title for c in list_cases(reader, statuses=None)] == [
            "银行转账被退回",
            "BTC withdrawal pending",
        ]


def test_the_summary_follows_edits_and_deletes(filled: Store) -> None:
    with filled.write() as tx:
        edit_contact(tx, 3, {"occurred_at": AT - timedelta(days=3), "reference": "999"})
    with filled.reader() as reader:
        (case,) = list_cases(reader)
        assert case.references == ["999", "481510", "481511"]
        assert case.last_contact_at == AT + timedelta(hours=1)
    with filled.write() as tx:
        delete_contact(tx, 2)
    with filled.reader() as reader:
        (case,) = list_cases(reader)
        assert (case.contacts, case.references) == (2, ["999", "481510"])
        assert case.last_contact_at == AT


def test_detail_has_contacts_in_time_order_with_attachments(filled: Store) -> None:
    with filled.reader() as reader:
        detail = case_detail(reader, 1)
    assert [c.text for c in detail.contacts] == ["message 0", "message 1", "message 2"]
    assert [a.name for a in detail.contacts[0].attachments] == ["s.png"]
    assert detail.identifiers["txid"] == "0x1"


def test_missing_things_are_named(filled: Store) -> None:
    with filled.reader() as reader:
        with pytest.raises(NotFoundError, match="no case #77"):
            case_detail(reader, 77)
        with pytest.raises(NotFoundError, match="known: Gemini, Generic"):
            list_cases(reader, platform="Kraken")


def test_the_light_reader_only_opens_a_store_at_head(store: Store, db_path: Path) -> None:
    assert open_sqlite_reader(resolve(str(db_path.with_name("missing.sqlite3")))) is None
    assert open_sqlite_reader(resolve("postgresql://localhost/recorder")) is None
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert open_sqlite_reader(resolve(str(db_path))) is None
    assert not db_path.with_name("missing.sqlite3").exists()


def test_the_summary_always_equals_a_recount(store: Store, clock: FixedClock) -> None:
    """Random logs (some back-dated), edits and deletes; after each, the case's summary
    is what counting its contacts gives."""
    clock.at = AT + timedelta(days=10)  # every contact below has happened by then
    import random

    from sqlmodel import select

    from recorder.store.models import Case, Contact

    rng = random.Random(7)
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="t")
    assert case.id is not None
    for step in range(120):
        with store.write() as tx:
            ids = [c.id for c in tx.session.exec(select(Contact)).all()]
            action = rng.random()
            when = AT + timedelta(hours=rng.randint(-200, 200))
            reference = rng.choice([None, "A", "B", "C", "D"])
            if action < 0.6 or not ids:
                log_contact(
                    tx,
                    case_id=case.id,
                    channel="email",
                    direction="outbound",
                    occurred_at=when,
                    reference=reference,
                )
            elif action < 0.8:
                edit_contact(tx, rng.choice(ids), {"occurred_at": when, "reference": reference})
            else:
                delete_contact(tx, rng.choice(ids))
        with store.read() as session:
            stored = session.get(Case, case.id)
            assert stored is not None
            contacts = sorted(
                session.exec(select(Contact).where(Contact.case_id == case.id)).all(),
                key=lambda c: (c.occurred_at, c.id),
            )
            refs: list[str] = []
            for c in contacts:
                if c.reference is not None and c.reference not in refs:
                    refs.append(c.reference)
            expected = (
                len(contacts),
                max((c.occurred_at for c in contacts), default=None),
                refs,
            )
            assert (stored.contact_count, stored.last_contact_at, stored.refs) == expected, step


def test_the_light_reader_opens_paths_with_uri_characters(tmp_path: Path) -> None:
    from recorder.write.opening import open_store

    odd = tmp_path / "100% sure?#yes" / "store.sqlite3"
    opened = open_store(str(odd))
    with opened.write() as tx:
        open_case(tx, platform="Gemini", title="odd path")
    opened.close()
    reader = open_sqlite_reader(resolve(str(odd)))
    assert reader is not None
    try:
        assert [c.title for c in list_cases(reader)] == ["odd path"]
    finally:
        reader.close()
    assert sorted(p.name for p in odd.parent.iterdir() if "sqlite3" in p.name)[0] == "store.sqlite3"


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("btc", ["BTC withdrawal pending"]),
        ("gemini pending", ["BTC withdrawal pending"]),
        ("481511", ["BTC withdrawal pending"]),
        ("转账", ["银行转账被退回"]),
        ("100%", []),
        ("pending nothing", []),
    ],
)
def test_text_filter_matches_every_word(filled: Store, text: str, titles: list[str]) -> None:
    with filled.reader() as reader:
        assert [c.title for c in list_cases(reader, statuses=None, text=text)] == titles


def test_the_store_writes_times_in_the_form_the_list_reads_fastest(filled: Store) -> None:
    import re

    with filled.engine.connect() as conn:
        stored = conn.execute(text("SELECT occurred_at, created_at FROM contacts")).all()
    for row in stored:
        for value in row:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", value), value
