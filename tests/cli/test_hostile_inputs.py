"""Hostile and broken input: each refused with one line that says what was expected,
and nothing written; stored control characters never reach the terminal raw."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from recorder.cli import cli
from recorder.store.attachments import MAX_ATTACHMENT_BYTES
from recorder.write.fields import MAX_TEXT_BYTES
from tests.helpers.cli import ok, run

LOG = ("log", "--case", "1", "--channel", "chat", "--direction", "out", "--text", "hello")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store with one case."""
    path = tmp_path / "store.sqlite3"
    ok(path, "case", "new", "--platform", "Gemini", "--title", "BTC withdrawal pending")
    return path


def _counts(db: Path) -> tuple[int, ...]:
    conn = sqlite3.connect(db)
    tables = ("cases", "contacts", "attachments", "audit_events")
    counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    conn.close()
    return counts


def _refused(db: Path, *args: str, input: bytes | None = None) -> str:
    before = _counts(db)
    result = run(db, *args, input=input)
    assert result.exit_code == 1, (args, result.output)
    assert result.stderr.count("\n") == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert _counts(db) == before, "nothing is written"
    return result.stderr


HOSTILE: dict[str, tuple[tuple[str, ...], str]] = {
    "an id of 2^70": (("show", str(2**70)), "out of range; expected an id recorder gave"),
    "a contact id of 2^70": (
        ("contact", "edit", str(2**70), "--text", "x"),
        "contact id '1180591620717411303424' is out of range",
    ),
    "a superscript two as a case": (
        ("log", "--case", "²", "--channel", "chat", "--direction", "out"),
        "case id '²' is not a number; expected e.g. 12 or #12",
    ),
    "the year 1": (
        (*LOG, "--at", "0001-01-01T00:00+05:00"),
        "is in the year 1; expected a year between 1970 and 2100",
    ),
    "the year 9999": (
        (*LOG, "--at", "9999-12-31T23:59-05:00"),
        "is in the year 9999; expected a year between 1970 and 2100",
    ),
    "an amount of NaN": (("case", "edit", "1", "--amount", "NaN"), "is not a number"),
    "an infinite amount": (("case", "edit", "1", "--amount", "-Infinity"), "is not a number"),
    "a time in the spring-forward gap": (
        (*LOG, "--at", "2026-03-08 02:30"),
        "2026-03-08 02:30 does not exist in America/New_York (the clocks moved forward",
    ),
    "an unknown zone abbreviation": (
        (*LOG, "--at", "2026-11-20 10:00 XYZ"),
        "names a time zone recorder does not know",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_is_refused_in_one_line(db: Path, name: str) -> None:
    args, expected = HOSTILE[name]
    assert expected in _refused(db, *args)


def test_a_database_url_without_its_driver_is_one_line() -> None:
    result = CliRunner().invoke(cli, ["--db", "mysql+mysqldb://u@localhost/x", "list"])
    assert result.exit_code == 1
    assert "needs its database driver (MySQLdb), which is not installed" in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_endless_stream_is_refused_at_the_limit(db: Path) -> None:
    stream = b"a" * (MAX_TEXT_BYTES + 5)
    stderr = _refused(db, *LOG[:-2], "--text-file", "-", input=stream)
    assert "holds more than 10 MB" in stderr and "attach the file instead" in stderr


def test_an_attachment_over_the_limit_is_refused_before_copying(db: Path, tmp_path: Path) -> None:
    sparse = tmp_path / "recording.mp4"
    with sparse.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)  # 2 GB of nothing, on no disk
    assert "recorder attaches files of up to 2 GB" in _refused(db, *LOG, "--attach", str(sparse))
    assert not (db.parent / "attachments").exists() or not any(
        p.is_file() for p in (db.parent / "attachments").rglob("*")
    )


def test_a_zip_that_would_unpack_to_more_than_its_bag_declares_is_refused(
    db: Path, tmp_path: Path
) -> None:
    bag = tmp_path / "bag.zip"
    ok(db, "export", "--zip", str(bag))
    with zipfile.ZipFile(bag, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bag/data/attachments/bomb", b"\0" * 50_000_000)
    assert bag.stat().st_size < 1_000_000
    result = run(db, "verify", str(bag))
    assert result.exit_code == 1
    assert "more than the" in result.stderr and "refusing to unpack it" in result.stderr


def test_a_truncated_zip_is_one_line(db: Path, tmp_path: Path) -> None:
    bag = tmp_path / "bag.zip"
    ok(db, "export", "--zip", str(bag))
    cut = tmp_path / "cut.zip"
    cut.write_bytes(bag.read_bytes()[:-200])
    result = run(db, "verify", str(cut))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "internal error" not in result.stderr


def test_a_damaged_store_is_refused_with_the_way_out(db: Path) -> None:
    for _ in range(20):
        ok(db, *LOG[:-1], "a message long enough to fill some pages " * 50)
    data = bytearray(db.read_bytes())
    size = int.from_bytes(data[16:18], "big")  # the page size, in the file's header
    for page in (1, 2, 3):
        data[size * page : size * page + 8] = b"\xff" * 8  # b-tree page headers
    db.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    result = run(db, "db", "verify")
    assert result.exit_code == 1
    assert "the store is damaged" in result.stderr and "recorder db backup" in result.stderr
    assert result.stderr.count("\n") == 1


def test_stored_control_characters_are_shown_not_obeyed(db: Path) -> None:
    hostile = "retitled \x1b]0;pwned\x07 cleared \x1b[2J reversed \u202etxt.exe"
    ok(db, *LOG[:-1], hostile)
    shown = ok(db, "show", "1")
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "^[]0;pwned^G" in shown and "<U+202E>" in shown
    document = ok(db, "show", "1", "--json")
    assert "\x1b" not in document and "\u202e" not in document
    assert json.loads(document)["contacts"][-1]["text"] == hostile, "the data is kept exact"


def test_a_store_readable_by_others_is_tightened_when_next_written(db: Path) -> None:
    db.chmod(0o644)
    ok(db, *LOG)
    assert db.stat().st_mode & 0o077 == 0


def test_an_invalid_recorder_tz_is_refused_by_every_command(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECORDER_TZ", "Mars/Olympus_Mons")
    for args in (LOG, ("list",), ("due",)):
        assert "unknown time zone 'Mars/Olympus_Mons'" in _refused(db, *args)
