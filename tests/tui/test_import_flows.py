"""The import dialog, driven from the keyboard: emails into their case, the sender
warning first, the tickets list showing the new case."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from recorder.tui.dialogs.import_mail import ImportScreen
from tests.helpers.tui import SIZE, SnapCompare, make_app, rows, settle, still

HELPDESKS = Path(__file__).parent.parent / "data" / "email" / "helpdesks"


def _copies(tmp_path: Path) -> list[Path]:
    """The thread and a phishing reply, in a folder whose name holds a space."""
    folder = tmp_path / "saved mail"
    folder.mkdir()
    names = ["01-user-asks.eml", "02-zendesk-ack.eml", "05-phishing.eml"]
    return [Path(shutil.copy(HELPDESKS / name, folder / name)) for name in names]


async def _import(pilot: Pilot[object], paths: list[Path]) -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ImportScreen)
    dialog.query_one("#paths", Input).value = " ".join(f"'{p}'" for p in paths)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return dialog


async def test_import_from_the_tickets_puts_the_phishing_warning_first(
    empty_store: Path, tmp_path: Path
) -> None:
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _import(pilot, _copies(tmp_path))
        shown = str(dialog.query_one("#result", Static).render()).splitlines()
        assert shown[0] == "3 imported, 0 already present, 0 refused"
        assert shown[1] == "⚠ Re: BTC withdrawal pending since 20 Nov"
        assert "gemini-verify.help" in shown[2]
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")  # the case: each imported contact marked
        await settle(pilot)
        contacts = app.screen.query_one(DataTable)
        channels = [str(contacts.get_row_at(n)[2]) for n in range(contacts.row_count)]
        assert channels == ["email ✉", "email ✉ (auto)", "email ✉"]
        await pilot.press("enter")  # the reader says where it came from
        await settle(pilot)
        head = str(app.screen.query_one("#head", Static).render())
        assert "Imported from " in head and "kept with it, byte for byte" in head
    assert rows(empty_store, "SELECT count(*) FROM emails") == [(3,)]


async def test_nothing_named_is_said_and_nothing_is_written(empty_store: Path) -> None:
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _import(pilot, [])
        shown = str(dialog.query_one("#result", Static).render())
        assert shown == "Nothing was imported: name the files to import, or tick the mailbox"


def test_import_dialog_snapshot(
    snap_compare: SnapCompare, empty_store: Path, tmp_path: Path
) -> None:
    paths = _copies(tmp_path)

    async def run(pilot: Pilot[object]) -> None:
        await _import(pilot, paths)
        dialog = pilot.app.screen
        assert isinstance(dialog, ImportScreen)
        # The paths typed lie under pytest's own folder, whose name's length varies:
        # shown as a fixed text, with the cursor where typing it would leave it.
        field = dialog.query_one("#paths", Input)
        field.value = "(the three files)"
        field.cursor_position = len(field.value)
        await still(pilot)

    assert snap_compare(make_app(empty_store), terminal_size=SIZE, run_before=run)


async def test_fetch_now_reads_the_mailbox_set_by_recorder_fetch(
    empty_store: Path, tmp_path: Path
) -> None:
    from textual.widgets import Checkbox

    from tests.helpers.cli import ok
    from tests.helpers.imap import PASSWORD, USER, imap_server

    secret = tmp_path / "secret"
    secret.write_text(PASSWORD, "utf-8")
    with imap_server(tmp_path / "pymap.log") as server:
        ok(empty_store, "fetch", "--host", "127.0.0.1", "--port", str(server.port),
           "--user", USER, "--password-command", f"cat {secret}")  # fmt: skip
        server.append("INBOX", (HELPDESKS / "02-zendesk-ack.eml").read_bytes())
        app = make_app(empty_store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, ImportScreen)
            dialog.query_one("#fetch", Checkbox).value = True
            await pilot.press("ctrl+s")
            await settle(pilot)
            shown = str(dialog.query_one("#result", Static).render())
            assert shown.startswith("1 imported, 0 already present, 0 refused"), shown
    assert rows(empty_store, "SELECT count(*) FROM emails") == [(1,)]
