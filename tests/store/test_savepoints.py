"""A message imported in a savepoint is in or out, while many share one commit: rows,
audit events, flags and files of a part that fails are undone, and the chain goes on
from the event before it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from recorder.store.models import Attachment, AuditEvent, Contact
from recorder.store.session import Store
from recorder.write.audit import verify_store_chain
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from tests.helpers.stores import stored_contents

pytestmark = pytest.mark.backends

AT = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)


def test_a_failed_part_leaves_no_row_no_event_no_file_and_the_chain_whole(
    store: Store, tmp_path: Path
) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG only in the failed part")
    kept = tmp_path / "kept.png"
    kept.write_bytes(b"\x89PNG in the part that stays")
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="Withdrawal pending")
        assert case.id is not None
        with tx.savepoint():
            log_contact(tx, case_id=case.id, channel="chat", direction="outbound",
                        occurred_at=AT, text="first", attach=[kept])  # fmt: skip
        events_before = tx.session.exec(select(func.count()).select_from(AuditEvent)).one()
        with pytest.raises(RuntimeError), tx.savepoint():
            log_contact(tx, case_id=case.id, channel="chat", direction="outbound",
                        occurred_at=AT, text="second", attach=[shot])  # fmt: skip
            raise RuntimeError("the message could not be kept")
        assert tx.session.exec(select(func.count()).select_from(AuditEvent)).one() == (
            events_before
        )
        with tx.savepoint():
            log_contact(tx, case_id=case.id, channel="chat", direction="outbound",
                        occurred_at=AT, text="third")  # fmt: skip
    with store.read() as session:
        texts = session.exec(select(Contact.text).order_by(Contact.id)).all()
        assert texts == ["first", "third"]
        assert len(session.exec(select(Attachment)).all()) == 1
        report = verify_store_chain(session)
    assert report.ok, report.problems
    assert stored_contents(store) == [kept.read_bytes()]
