"""The export dialog and the verify dialog, driven from the keyboard."""

from __future__ import annotations

from pathlib import Path

import bagit
from textual.pilot import Pilot
from textual.widgets import Input, Static

from recorder.tui.dialogs.export import ExportScreen, VerifyScreen
from tests.helpers.tui import SIZE, SnapCompare, keys, make_app, settle


def _shown(screen: object) -> str:
    assert isinstance(screen, ExportScreen | VerifyScreen)
    return str(screen.query_one("#result", Static).render())


async def _export_dialog(pilot: Pilot[object], dest: Path) -> ExportScreen:
    """The export dialog, opened from the open tickets, saving to `dest`."""
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportScreen)
    dialog.query_one("#dest", Input).value = str(dest)
    return dialog


async def test_export_from_the_tickets_then_verify_it(demo_store: Path, tmp_path: Path) -> None:
    dest = tmp_path / "evidence"
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _export_dialog(pilot, dest)
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = _shown(dialog)
        assert f"Exported to {dest}" in shown
        fingerprint = shown.splitlines()[-2].strip()
        assert len(fingerprint) == 64
        assert shown.splitlines()[-1].startswith("The store's audit chain is anchored at ")
        await pilot.press("escape", "v")
        await settle(pilot)
        checker = app.screen
        assert isinstance(checker, VerifyScreen)
        # The verify dialog starts from the bag just exported, and its fingerprint.
        assert checker.query_one("#path", Input).value == str(dest)
        assert checker.query_one("#fingerprint", Input).value == fingerprint
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _shown(checker).startswith("OK: 30 cases")
    assert bagit.Bag(str(dest)).is_valid()


async def test_export_refuses_an_existing_folder_and_bad_ids(
    demo_store: Path, tmp_path: Path
) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _export_dialog(pilot, tmp_path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _shown(dialog) == (
            f"Nothing was exported: {tmp_path} already exists; "
            "expected a new path (an export never overwrites)"
        )
        dialog.query_one("#cases", Input).value = "3, seven"
        dialog.query_one("#since", Input).value = "2026-11-20"
        dialog.query_one("#until", Input).value = "2026-11-01"
        dialog.query_one("#dest", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Every problem at once, in the dialog's own words (no command-line flags).
        assert _shown(dialog).splitlines() == [
            "Nothing was exported:",
            "Cases: expected case ids such as 3, 7, or nothing for all.",
            "Since is after until: expected the earlier time first.",
            "Save to is empty: expected a new folder or file.",
        ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


async def test_export_one_case_from_its_view(demo_store: Path, tmp_path: Path) -> None:
    dest = tmp_path / "one.zip"
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        case_id = app.screen.case_id  # type: ignore[attr-defined]
        await pilot.press("ctrl+e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#cases", Input).value == str(case_id)
        dialog.query_one("#dest", Input).value = str(dest)
        dialog.query_one("#zip").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"Exported to {dest}" in _shown(dialog)
    from recorder.export.verify import verify

    report = verify(dest)
    assert report.ok and report.counts["cases"] == 1


def test_export_dialog(snap_compare: SnapCompare, demo_store: Path) -> None:
    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=keys("e"))
