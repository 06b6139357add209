"""`recorder db copy --to`: a whole store, attachments and audit chain, from a SQLite
file to a PostgreSQL database several people will share, and back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.helpers.cli import ok, run
from tests.helpers.postgres import Server


def _fill(db: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    shot = tmp_path / "frozen.png"
    shot.write_bytes(b"\x89PNG the account page " * 100_000)  # several chunks
    monkeypatch.setenv("RECORDER_MEMBER", "Li Wei")
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "账户被冻结").strip()
    ok(db, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 10:00", "--text", "Why is my account frozen?",
       "--attach", str(shot))  # fmt: skip
    ok(db, "log", "--case", case, "--channel", "email", "--direction", "inbound",
       "--at", "2026-11-20 12:00", "--text", "Your request (777) has been received")  # fmt: skip
    # A case merged into a newer one: its row refers to a row after it.
    older = ok(db, "case", "new", "--platform", "Gemini", "--title", "Frozen again").strip()
    newer = ok(db, "case", "new", "--platform", "Gemini", "--title", "Still frozen").strip()
    ok(db, "case", "merge", older, newer)
    ok(db, "anchor")
    monkeypatch.delenv("RECORDER_MEMBER")
    return case


def _record(db: Path | str, case: str) -> dict[str, object]:
    shown = json.loads(ok(db, "show", case, "--json"))
    kept = ("title", "platform", "status", "identifiers", "created_at", "contacts")
    return {key: shown[key] for key in kept}


def test_a_store_goes_to_a_server_and_back_whole(
    postgres: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "mine.sqlite3"
    case = _fill(source, tmp_path, monkeypatch)
    before = _record(source, case)
    url = postgres.new_database()

    said = ok(source, "db", "copy", "--to", url)
    assert "3 cases, 2 contacts, 1 attachment files" in said
    assert "the copy verifies" in said and "***@127.0.0.1" in said
    assert _record(url, case) == before
    assert "OK: audit chain of" in ok(url, "db", "verify")

    # The family goes on in the shared store: new rows get new ids.
    added = ok(url, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
               "--at", "2026-11-21 09:00", "--text", "Any news?").strip()  # fmt: skip
    assert added == "3"
    back = tmp_path / "back" / "copy.sqlite3"
    ok(url, "db", "copy", "--to", str(back), "--json")
    assert _record(back, case)["contacts"] == _record(url, case)["contacts"]
    assert "1 attachment files match" in ok(back, "db", "verify")  # one content, once
    bag = tmp_path / "bag"
    ok(back, "export", str(bag))
    (copied,) = (bag / "data" / "attachments").iterdir()
    assert copied.read_bytes() == (tmp_path / "frozen.png").read_bytes()
    # The anchor made before the first copy came along; the second copy anchored the
    # head it holds in its source.
    assert "2 anchors hold" in ok(url, "db", "verify")


def test_a_store_that_is_not_empty_is_never_copied_into(
    postgres: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "mine.sqlite3"
    _fill(source, tmp_path, monkeypatch)
    url = postgres.new_database()
    ok(url, "list")  # a store already
    result = run(source, "db", "copy", "--to", url)
    assert result.exit_code == 1
    assert "already holds tables; expected a new, empty database" in result.stderr
    assert "secret" not in result.stderr and "***" in result.stderr  # the URL's password
    result = run(url, "db", "copy", "--to", str(source))
    assert result.exit_code == 1
    assert f"{source} already exists; choose a new file name" in result.stderr


def test_a_copy_that_fails_leaves_the_target_empty(
    postgres: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "mine.sqlite3"
    _fill(source, tmp_path, monkeypatch)
    for stored in (tmp_path / "attachments").rglob("*"):
        if stored.is_file():
            stored.unlink()  # the source lost an attachment's file
    url = postgres.new_database()
    result = run(source, "db", "copy", "--to", url)
    assert result.exit_code == 1
    assert "is missing from the source" in result.stderr
    engine = sa.create_engine(url)
    assert sa.inspect(engine).get_table_names() == []
    engine.dispose()
    target = tmp_path / "copy" / "c.sqlite3"
    assert run(source, "db", "copy", "--to", str(target)).exit_code == 1
    assert not target.exists()
    assert not (target.parent / "attachments").exists()
