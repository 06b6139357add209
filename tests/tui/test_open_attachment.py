"""`o` in the contact reader opens an attachment with the system's program, from a
private copy under its own name; without such a program it says where the copy is."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.tui.screens.contact import ContactScreen
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from tests.helpers.tui import NOW, SIZE, make_app, notifications, settle


def case_with_a_file(path: Path, tmp_path: Path) -> bytes:
    shot = tmp_path / "withdrawal status.png"
    shot.write_bytes(b"\x89PNG the screenshot")
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        case = open_case(tx, platform="Gemini", title="Withdrawal pending")
        assert case.id is not None
        log_contact(tx, case_id=case.id, channel="chat", direction="outbound",
                    occurred_at=NOW, text="See the screenshot", attach=[shot])  # fmt: skip
    access.close()
    return shot.read_bytes()


async def _open_in_reader(path: Path) -> list[str]:
    app = make_app(path)
    said = notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert "No attachments" not in str(app.screen.query_one("#files").render())
        await pilot.press("o")
        await settle(pilot)
    return said


async def test_o_opens_a_private_copy_with_the_system_opener(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    data = case_with_a_file(path, tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {seen}\n')
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}")
    said = await _open_in_reader(path)
    assert any(s == "Opened withdrawal status.png" for s in said), said
    for _ in range(50):  # the opener runs on its own
        if seen.exists() and seen.read_text():
            break
        import time

        time.sleep(0.05)
    copy = Path(seen.read_text())
    assert copy.name == "withdrawal status.png" and copy.read_bytes() == data
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700


async def test_without_an_opener_the_reader_says_where_the_copy_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    data = case_with_a_file(path, tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    said = await _open_in_reader(path)
    (line,) = [s for s in said if s.startswith("No program to open files here")]
    copy = Path(line.split("the file is at ", 1)[1])
    assert copy.read_bytes() == data


def test_a_name_never_leads_out_of_the_copy_s_folder(tmp_path: Path) -> None:
    from recorder.tui.opener import private_copy

    stored = tmp_path / "abc"
    stored.write_bytes(b"x")
    for name in ("../../etc/passwd", "..", "", "C:\\\\Windows\\\\evil.exe"):
        copy = private_copy(stored.open("rb"), name, "f" * 64)
        assert copy.parent.name.startswith("recorder-open-")
        assert copy.read_bytes() == b"x"
