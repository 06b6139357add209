"""One store kept by several people at once: a household, a small team."""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from recorder.domain.clock import FixedClock
from recorder.store.locations import MEMBER_ENV
from recorder.store.lookups import count_rows
from recorder.store.models import AuditEvent
from recorder.store.session import Store
from recorder.write.audit import verify_store_chain
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.opening import open_store
from tests.helpers.cli import ok, run
from tests.helpers.postgres import Server

pytestmark = pytest.mark.backends

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
MEMBERS = 4
EACH = 200


def _member(url: str, member: int, case_id: int, start: multiprocessing.synchronize.Event) -> None:
    """One member's recorder: waits for the others, then logs EACH contacts, one
    transaction each, as fast as it can."""
    os.environ[MEMBER_ENV] = f"member {member}"
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


def test_four_members_writing_at_once_keep_one_chain(
    postgres: Server, clock: FixedClock, tmp_path: Path
) -> None:
    """On a server, as a household shares one. (SQLite, one person's file, lets writers
    take turns by retrying, not in order: four processes writing in a tight loop on a
    busy 2-core machine once left one waiting past its 10 s busy timeout. A TUI and a
    command at once wait for each other: tests/store/test_store.py.)"""
    store_url = postgres.new_database()
    store = open_store(store_url, clock=clock)
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
        by = session.exec(
            select(AuditEvent.member, func.count())
            .where(AuditEvent.entity == "contacts")
            .group_by(AuditEvent.member)
        ).all()
    assert report.ok, report
    assert sorted(by) == [(f"member {m}", EACH) for m in range(MEMBERS)]
    assert "OK: audit chain of" in ok(store_url, "db", "verify")
    store.close()
    postgres.drop_database(store_url)


def test_each_change_names_who_made_it_and_the_chain_holds_the_name(
    store_url: str, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMBER_ENV, "  Li   Wei ")
    case = ok(store_url, "case", "new", "--platform", "Gemini", "--title", "Frozen").strip()
    ok(store_url, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 10:00", "--text", "Why is my account frozen?")  # fmt: skip
    monkeypatch.delenv(MEMBER_ENV)
    ok(store_url, "log", "--case", case, "--channel", "email", "--direction", "inbound",
       "--at", "2026-11-20 12:00", "--text", "We are reviewing your account.")  # fmt: skip
    # Without a name set, a server's members are its database roles; one person's
    # SQLite store names nobody.
    role = "recorder" if backend == "postgresql" else None
    shown = ok(store_url, "show", case)
    assert "logged by Li Wei" in shown
    assert shown.count("logged by") == (2 if role else 1)
    contacts = json.loads(ok(store_url, "show", case, "--json"))["contacts"]
    assert [c["logged_by"] for c in contacts] == ["Li Wei", role]

    bag = tmp_path / "bag"
    ok(store_url, "export", str(bag))
    page = (bag / "data" / "timeline.md").read_text("utf-8")
    assert "Logged by" in page and "Li Wei" in page
    csv = (bag / "data" / "contacts.csv").read_text("utf-8-sig").splitlines()
    assert csv[0].endswith('"logged_by"') and csv[1].endswith('"Li Wei"')
    assert "OK:" in ok(store_url, "verify", str(bag))
    # The name is in the chain: changing it in the bag breaks the event's hash.
    audit = bag / "data" / "audit.jsonl"
    audit.write_text(audit.read_text("utf-8").replace('"Li Wei"', '"Someone Else"'), "utf-8")
    result = run(store_url, "verify", str(bag))
    assert result.exit_code != 0
    assert "its hash does not match its content" in result.output


def test_a_member_name_too_long_or_with_controls_is_refused_before_anything_is_written(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMBER_ENV, "x" * 101)
    result = run(store_url, "case", "new", "--platform", "Gemini", "--title", "Frozen")
    monkeypatch.delenv(MEMBER_ENV)
    assert result.exit_code != 0
    assert "RECORDER_MEMBER is 101 characters long; expected a name of up to 100" in (result.stderr)
    assert json.loads(ok(store_url, "list", "--json")) == []
    monkeypatch.setenv(MEMBER_ENV, "Li\x1b[2JWei")
    result = run(store_url, "case", "new", "--platform", "Gemini", "--title", "Frozen")
    monkeypatch.delenv(MEMBER_ENV)
    assert "RECORDER_MEMBER holds a control character" in result.stderr
    assert json.loads(ok(store_url, "list", "--json")) == []


def test_what_one_reading_sees_is_one_moment_whoever_writes_meanwhile(
    store: Store, store_url: str
) -> None:
    """An export reads the records, then the chain: a contact another member logs in
    between must be in both or in neither."""
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="Frozen")
    assert case.id is not None
    other = open_store(store_url, clock=FixedClock(AT + timedelta(days=30)))
    with store.read() as session:
        before = count_rows(session)
        with other.write() as tx:
            log_contact(tx, case_id=case.id, channel="chat", direction="outbound",
                        occurred_at=AT, text="logged while the other reads")  # fmt: skip
        assert count_rows(session) == before
    with store.read() as session:
        assert count_rows(session)["contacts"] == before["contacts"] + 1
    with store.reader() as reader:
        seen = reader.rows("SELECT count(*) FROM audit_events")
        with other.write() as tx:
            log_contact(tx, case_id=case.id, channel="chat", direction="outbound",
                        occurred_at=AT, text="and another")  # fmt: skip
        assert reader.rows("SELECT count(*) FROM audit_events") == seen
    other.close()
