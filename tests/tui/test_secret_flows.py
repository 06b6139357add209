"""Secrets in the terminal UI: the form warns before saving and masks them with one key,
the case view marks a contact that holds one, and R redacts it in the record."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TextArea

from recorder.tui.dialogs.confirm import ConfirmScreen
from recorder.tui.screens.case import CaseScreen
from recorder.tui.screens.contact import ContactScreen
from tests.helpers.tui import (
    SIZE,
    SnapCompare,
    form_in_first_case,
    gemini_case,
    make_app,
    rows,
    settle,
    still,
)

SEED = "pen camera comic topic wash oven purity nose future tobacco stable iron"
CHAT = f"Agent: please confirm your recovery words\nMe: {SEED}\nMe: my 2FA code is 482913"


def chat_case(path: Path, text: str = "My withdrawal is pending.") -> int:
    return gemini_case(path, channel="chat", text=text)


async def _draft_with_secrets(pilot: Pilot[object]) -> None:
    form = await form_in_first_case(pilot)
    form.query_one("#text", TextArea).load_text(CHAT)
    await settle(pilot)


async def test_the_form_warns_of_secrets_and_ctrl_r_masks_them(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    chat_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _draft_with_secrets(pilot)
        form = app.screen
        shown = str(form.query_one("#warnings", Static).render())
        assert "The text holds a valid BIP-39 seed phrase: anyone who has it controls" in shown
        assert "The text holds a one-time (2FA) code: support never needs one" in shown
        assert "ctrl+r masks them before saving" in shown

        await pilot.press("ctrl+r")
        await settle(pilot)
        text = form.query_one("#text", TextArea).text
        assert "[seed phrase removed]" in text and "[2FA code removed]" in text
        assert SEED not in text and "482913" not in text
        assert "holds" not in str(form.query_one("#warnings", Static).render())

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    stored = rows(path, "SELECT text, secret_kinds FROM contacts ORDER BY id")
    assert SEED not in str(stored)
    assert stored[-1][1] == "[]"


def test_secret_warning_snapshot(snap_compare: SnapCompare, tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    chat_case(path)

    async def run(pilot: Pilot[object]) -> None:
        await _draft_with_secrets(pilot)
        await still(pilot)

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=run)


async def test_the_case_marks_a_contact_with_a_secret_and_r_redacts_it(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = chat_case(path, CHAT)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.case_id == case_id
        table = screen.query_one(DataTable)
        assert "secret" in str(table.get_row_at(0)[-1])

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        head = str(app.screen.query_one("#head", Static).render())
        assert "It holds seed phrase and 2FA code, which support never needs" in head
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert "secret" not in str(table.get_row_at(0)[-1])
    (text,) = rows(path, "SELECT text FROM contacts")[0]
    assert "[seed phrase removed]" in str(text) and SEED not in str(text)
    changes = rows(path, "SELECT change FROM audit_events WHERE entity = 'contacts'")
    assert SEED not in str(changes)
    for suffix in ("", "-wal"):
        file = path.with_name(path.name + suffix)
        assert not file.exists() or SEED.encode() not in file.read_bytes()
