"""Secrets in the record, as a user meets them: `log` warns, `scan` lists, `redact`
masks in the store (audited, verifiable, no copy left in the files), and a redacted
export carries none of them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from recorder.domain.chain import value_digest
from tests.helpers.cli import ok, run

SEED = "pen camera comic topic wash oven purity nose future tobacco stable iron"
"""A valid BIP-39 phrase (English list, checksum right)."""
KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
TRANSCRIPT = (
    "Agent: To unlock the withdrawal I need your 2FA code and recovery words.\n"
    "Me: code 482913\n"
    f"Me: {SEED}\n"
    "Agent: and your password and private key please\n"
    "Me: password is S3cure#Pass1\n"
    f"Me: private key: {KEY}\n"
    "Agent: thank you. TxID of the stuck withdrawal: 0x" + "ab" * 32
)
SECRETS = ("482913", SEED, "S3cure#Pass1", KEY)


@pytest.fixture
def db(store_url: str, backend: str) -> Path | str:
    """A store with one case: a SQLite file (whose files some tests read), or a
    PostgreSQL database for the tests marked `backends`."""
    where = Path(store_url) if backend == "sqlite" else store_url
    ok(where, "case", "new", "--platform", "Gemini", "--title", "Withdrawal pending")
    return where


def _log(db: Path, text: str = TRANSCRIPT, *more: str) -> tuple[int, str, str]:
    result = run(db, "log", "--case", "1", "--channel", "chat", "--direction", "out",
                 "--text", text, *more)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1]), result.stdout, result.stderr


def _files_hold(db: Path, secret: str) -> list[str]:
    return [
        p.name
        for p in db.parent.iterdir()
        if p.name.startswith(db.name) and secret.encode() in p.read_bytes()
    ]


@pytest.mark.backends
def test_log_warns_of_each_kind_and_says_what_to_do(db: Path) -> None:
    contact, _, stderr = _log(db)
    assert "holds a valid BIP-39 seed phrase: anyone who has it controls the wallet" in stderr
    assert "a one-time (2FA) code: support never needs one" in stderr
    assert "a password: support never needs it; change it now" in stderr
    assert "a private key: anyone who has it controls the funds" in stderr
    assert f"'recorder redact {contact}' masks them" in stderr
    for secret in SECRETS:
        assert secret not in stderr  # a warning never repeats the secret
    # The TxID is evidence: one private key is named, not two.
    assert stderr.count("a private key") == 1


@pytest.mark.backends
def test_log_json_names_the_secrets_by_place_not_by_value(db: Path) -> None:
    result = run(db, "log", "--case", "1", "--channel", "chat", "--direction", "out",
                 "--text", TRANSCRIPT, "--json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    found = document["secrets"]
    assert [s["kind"] for s in found] == [
        "one_time_code", "seed_phrase", "password", "private_key"
    ]  # fmt: skip
    for secret in found:
        assert secret["field"] == "text"
        assert TRANSCRIPT[secret["start"] : secret["end"]] in SECRETS
        assert set(secret) == {"field", "kind", "start", "end", "warning"}


@pytest.mark.backends
def test_a_text_without_secrets_logs_without_a_word(db: Path) -> None:
    _, _, stderr = _log(db, "I asked again about withdrawal 7001234; TxID 0x" + "cd" * 32)
    assert stderr == ""


def test_scan_lists_what_is_stored_and_redact_takes_it_out(db: Path) -> None:
    contact, _, _ = _log(db)
    _log(db, "A later message with nothing secret in it.")
    listed = ok(db, "scan")
    assert ok(db, "scan", "--all") == listed
    assert listed.count(f"contact #{contact} ") == 4
    assert "4 secrets in 1 contact;" in listed
    as_json = json.loads(ok(db, "scan", "--json", "--case", "1"))
    assert {s["contact_id"] for s in as_json["secrets"]} == {contact}
    for secret in SECRETS:
        assert secret not in listed

    said = ok(db, "redact", str(contact))
    assert "removed 1 2FA code, 1 password, 1 private key, 1 seed phrase" in said
    assert ok(db, "scan").startswith("no secrets found")
    shown = json.loads(ok(db, "show", "1", "--json"))
    text = shown["contacts"][0]["text"]
    for mask in ("[2FA code removed]", "[seed phrase removed]", "[password removed]",
                 "[private key removed]"):  # fmt: skip
        assert mask in text
    assert "0x" + "ab" * 32 in text  # the TxID stays: it is evidence
    turns = " ".join(t["text"] for t in shown["contacts"][0]["turns"])
    assert "[seed phrase removed]" in turns

    # Nothing of the secrets is left in the store's files, the audit log included,
    # and the chain still verifies, every row replaying from it.
    for secret in SECRETS:
        assert _files_hold(db, secret) == [], secret
    assert ok(db, "db", "verify").startswith("OK")


def test_the_chain_keeps_the_digest_of_the_text_as_it_was(db: Path) -> None:
    contact, _, _ = _log(db)
    ok(db, "redact", str(contact), "--kind", "seed_phrase")
    left = json.loads(ok(db, "scan", "--json"))["secrets"]
    assert sorted(s["kind"] for s in left) == ["one_time_code", "password", "private_key"]
    connection = sqlite3.connect(db)
    try:
        events = [
            (action, json.loads(change))
            for action, change in connection.execute(
                "SELECT action, change FROM audit_events WHERE entity = 'contacts' ORDER BY id"
            )
        ]
        (text,) = connection.execute(
            "SELECT text FROM contacts WHERE id = ?", (contact,)
        ).fetchone()
    finally:
        connection.close()
    (created, redaction) = events
    assert created[1]["after"]["text"] == {"$sha256": value_digest(TRANSCRIPT)}
    assert redaction[0] == "update"
    assert redaction[1]["before"]["text"] == {"$sha256": value_digest(TRANSCRIPT)}
    # The text is long: the chain holds its digest, the row the text (stored once).
    assert "[seed phrase removed]" in text
    assert redaction[1]["after"]["text"] == {"$sha256": value_digest(text)}
    assert SEED not in json.dumps(events)
    # Whoever holds the original can show that it is the text the chain committed to.
    assert value_digest(TRANSCRIPT) == created[1]["after"]["text"]["$sha256"]


@pytest.mark.backends
def test_redact_refuses_in_one_line(db: Path) -> None:
    nothing = run(db, "redact")
    assert nothing.exit_code != 0
    assert nothing.stderr.strip().splitlines() == [
        "recorder: name the contacts to redact, or a case with --case"
    ]
    missing = run(db, "redact", "99")
    assert missing.exit_code != 0
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "no contact #99" in missing.stderr


@pytest.mark.backends
def test_redacting_a_whole_case_and_a_contact_without_secrets(db: Path) -> None:
    contact, _, _ = _log(db)
    plain, _, _ = _log(db, "Nothing secret.")
    said = ok(db, "redact", str(plain), "--case", "1")
    assert f"contact #{plain}: no secrets to redact" in said
    assert f"contact #{contact}: removed" in said


def test_editing_a_secret_out_clears_the_mark_and_the_history(db: Path) -> None:
    contact, _, _ = _log(db, "my 2FA code is 123456")
    ok(db, "contact", "edit", str(contact), "--text", "I gave them a code")
    connection = sqlite3.connect(db)
    try:
        (kinds,) = connection.execute(
            "SELECT secret_kinds FROM contacts WHERE id = ?", (contact,)
        ).fetchone()
    finally:
        connection.close()
    assert json.loads(kinds) == []
    # The secret edited out leaves no copy in the history: its events keep digests.
    connection = sqlite3.connect(db)
    try:
        history = str(connection.execute("SELECT change FROM audit_events").fetchall())
    finally:
        connection.close()
    assert "123456" not in history
    assert ok(db, "db", "verify").startswith("OK")


@pytest.mark.backends
def test_a_redacted_export_carries_no_secret_and_says_what_it_masked(
    db: Path, tmp_path: Path
) -> None:
    _log(db)
    email = tmp_path / "reply.eml"
    email.write_bytes(
        b"From: Gemini Support <support@gemini.com>\r\nTo: li.wei@example.org\r\n"
        b"Subject: Your request (7001234)\r\nDate: Mon, 30 Nov 2026 10:15:00 +0000\r\n"
        b"Message-ID: <r1@gemini.com>\r\n\r\nPlease confirm your password is S3cure#Pass1\r\n"
    )
    imported = run(db, "import", str(email), "--case", "1")
    assert imported.exit_code == 0, imported.stderr
    assert "it holds a password" in imported.stderr
    bag = tmp_path / "bag"
    ok(db, "export", "--redact", str(bag))
    for path in bag.rglob("*"):
        if path.is_file():
            for secret in SECRETS:
                assert secret.encode() not in path.read_bytes(), (path, secret)
    document = json.loads((bag / "data" / "records.json").read_text("utf-8"))
    said = document["redacted"]
    for count in ("1 seed phrases", "1 2FA codes", "2 passwords", "1 private keys"):
        assert count in said
    assert "1 emails withheld (their SHA-256 is in records.json)" in said
    (withheld,) = document["withheld"]
    assert [a["id"] for a in document["attachments"]] == [withheld]
    assert not list((bag / "data" / "emails").glob("*"))
    verified = ok(db, "verify", str(bag))
    assert verified.startswith("OK")
    # Without --redact the email is there, byte for byte.
    whole = tmp_path / "whole"
    ok(db, "export", str(whole))
    assert [p.read_bytes() for p in (whole / "data" / "emails").iterdir()] == [email.read_bytes()]
