"""`recorder db verify` against a store tampered with in SQLite and on disk, and the
anchors that exports, backups and `recorder anchor` leave."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from recorder.domain.chain import canonical_json
from tests.helpers.cli import ok, run
from tests.helpers.evidence import export, rechain


def _sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def _copy_row(db: Path, table: str, row_id: int) -> None:
    conn = sqlite3.connect(db)
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})") if row[1] != "id"]
    names = ", ".join(columns)
    with conn:
        conn.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {table} WHERE id = ?", (row_id,)
        )
    conn.close()


def _db_verify(db: Path, *args: str) -> list[str]:
    result = run(db, "db", "verify", *args)
    lines = result.stdout.splitlines()
    assert (result.exit_code == 0) == (len(lines) == 1 and lines[0].startswith("OK: ")), lines
    return lines


def _anchor(db: Path) -> str:
    fingerprint = json.loads(ok(db, "anchor", "--json"))["fingerprint"]
    assert isinstance(fingerprint, str)
    return fingerprint


def test_an_untouched_store_verifies_with_what_it_holds(
    filled: tuple[str, dict[str, int]],
) -> None:
    db, _ = filled
    fingerprint = _anchor(db)
    (line,) = _db_verify(db, "--anchor", fingerprint)
    assert "rows replay from it" in line
    assert "3 attachment files match" in line
    assert "1 anchors hold" in line
    assert "the fingerprint given is event" in line


def _first_attachment(db: Path) -> tuple[int, str]:
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT id, sha256 FROM attachments ORDER BY id LIMIT 1").fetchone()
    conn.close()
    return int(row[0]), str(row[1])


TAMPERINGS: dict[str, tuple[Callable[[Path, dict[str, int]], None], str]] = {
    "a contact's text edited in SQLite": (
        lambda db, ids: _sql(
            db, f"UPDATE contacts SET text = 'refunded' WHERE id = {ids['chinese_contact']}"
        ),
        "contacts #{chinese_contact} (row in the store): text differs from its audit history",
    ),
    "the last audit event deleted": (
        lambda db, ids: _sql(
            db, "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)"
        ),
        "(row in the store): ",
    ),
    "a row added outside recorder": (
        lambda db, ids: _copy_row(db, "contacts", ids["first"]),
        "(row in the store): has no history in the audit chain",
    ),
    "an attachment row's hash changed": (
        lambda db, ids: _sql(db, f"UPDATE attachments SET sha256 = '{'a' * 64}' WHERE id = 1"),
        "attachments #1 (row in the store): sha256 differs from its audit history",
    ),
}


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_tampering_in_sqlite_is_caught_and_named(
    filled: tuple[str, dict[str, int]], name: str
) -> None:
    db, ids = filled
    tamper, expected = TAMPERINGS[name]
    assert _db_verify(db)[0].startswith("OK: ")
    tamper(db, ids)
    problems = _db_verify(db)
    assert any(expected.format(**ids) in line for line in problems), problems


@pytest.mark.parametrize("how", ["replaced", "deleted"])
def test_an_attachment_file_replaced_or_deleted_is_caught(
    filled: tuple[str, dict[str, int]], how: str
) -> None:
    db, _ = filled
    attachment_id, sha = _first_attachment(db)
    path = Path(db).parent / "attachments" / sha[:2] / sha
    if how == "deleted":
        path.unlink()
    else:
        path.chmod(0o600)
        path.write_bytes(b"another picture")
    problems = _db_verify(db)  # the screenshot is attached to two contacts: both named
    assert problems[0].startswith(f"attachment #{attachment_id} of contact #")
    assert all(("is missing" if how == "deleted" else "was changed") in p for p in problems)


def test_a_consistent_rewrite_passes_alone_and_is_caught_by_an_anchor_kept_outside(
    filled: tuple[str, dict[str, int]],
) -> None:
    db, ids = filled
    kept = _anchor(db)
    conn = sqlite3.connect(db)
    (event_id, change) = conn.execute(
        "SELECT id, change FROM audit_events WHERE entity = 'contacts' AND action = 'create'"
        f" AND entity_id = {ids['chinese_contact']}"
    ).fetchone()
    conn.close()
    forged = json.loads(change)
    forged["after"]["text"] = "客服：已退款。"
    _sql(
        db,
        f"UPDATE contacts SET text = '客服：已退款。' WHERE id = {ids['chinese_contact']}",
        f"UPDATE audit_events SET change = '{canonical_json(forged)}' WHERE id = {event_id}",
        "DELETE FROM anchors",
        "DELETE FROM audit_events WHERE entity = 'anchors'",
    )
    rechain(db)
    assert _db_verify(db)[0].startswith("OK: "), "a consistent rewrite is consistent"
    (problem,) = _db_verify(db, "--anchor", kept)
    assert problem.startswith(f"the audit chain holds no event with fingerprint {kept}")


def test_a_rewrite_that_keeps_the_anchor_rows_is_caught_by_them(
    filled: tuple[str, dict[str, int]],
) -> None:
    db, ids = filled
    _anchor(db)
    _sql(db, f"UPDATE contacts SET text = 'refunded' WHERE id = {ids['first']}")
    _sql(
        db,
        "UPDATE audit_events SET change = replace(change, 'Message 0', 'Refunded 0')"
        f" WHERE entity = 'contacts' AND entity_id = {ids['first']}",
    )
    rechain(db)
    problems = _db_verify(db)
    assert any(p.startswith("anchor #1 (anchor, ") for p in problems), problems


def test_exports_and_backups_anchor_the_chain(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, _ = filled
    exported = export(db, str(tmp_path / "bag"))
    assert exported.exit_code == 0, exported.output
    assert "audit chain anchored at " in exported.stdout
    backed = ok(db, "db", "backup", str(tmp_path / "copy.sqlite3"))
    assert "audit chain anchored at " in backed
    conn = sqlite3.connect(db)
    kinds = [row[0] for row in conn.execute("SELECT kind FROM anchors ORDER BY id")]
    (fingerprint,) = conn.execute(
        "SELECT fingerprint FROM anchors WHERE kind = 'export'"
    ).fetchone()
    conn.close()
    assert kinds == ["export", "backup"]
    assert fingerprint in exported.stdout  # the bag's own fingerprint, kept with its anchor
    assert _db_verify(db)[0].startswith("OK: ")


def test_a_fingerprint_too_short_to_mean_anything_is_refused(
    filled: tuple[str, dict[str, int]],
) -> None:
    result = run(filled[0], "db", "verify", "--anchor", "3f2a")
    assert result.exit_code == 1
    assert "expected the 16 hex digits" in result.stderr
