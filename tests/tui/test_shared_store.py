"""The terminal UI on a store several people keep: who logged each contact is shown,
and an attachment another member logged opens, wherever the store is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.store.locations import MEMBER_ENV
from recorder.tui.app import RecorderApp
from recorder.tui.screens.case import CaseScreen
from recorder.tui.screens.contact import ContactScreen
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from tests.helpers.tui import NOW, SIZE, notifications, settle

pytestmark = pytest.mark.backends


async def test_the_case_view_names_who_logged_each_contact_and_opens_their_files(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shot = tmp_path / "withdrawal status.png"
    shot.write_bytes(b"\x89PNG what Anna saw")
    monkeypatch.setenv(MEMBER_ENV, "Anna")
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "anna"))
    access = StoreAccess(store_url, clock=FixedClock(NOW))
    with access.store().write() as tx:
        case = open_case(tx, platform="Gemini", title="Withdrawal pending")
        assert case.id is not None
        log_contact(tx, case_id=case.id, channel="chat", direction="outbound",
                    occurred_at=NOW, text="See the screenshot", attach=[shot])  # fmt: skip
    access.close()

    # Ben, on his own machine: another name, another data directory.
    monkeypatch.setenv(MEMBER_ENV, "Ben")
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "ben"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # no system opener
    app = RecorderApp(StoreAccess(store_url, clock=FixedClock(NOW)), subtitle="shared")
    said = notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        row = str(app.screen.query_one(DataTable).get_row_at(0)[-1])
        assert row.startswith("[Anna] See the screenshot")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert "Logged by: Anna" in str(app.screen.query_one("#head", Static).render())
        await pilot.press("o")
        await settle(pilot)
    (line,) = [s for s in said if s.startswith("No program to open files here")]
    copy = Path(line.split("the file is at ", 1)[1])
    assert copy.read_bytes() == shot.read_bytes()
