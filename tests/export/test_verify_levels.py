"""What `recorder verify` proves without a fingerprint: each forgery that passed before
(manifests made again every time) is caught, and the result names its level."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from recorder.domain.chain import REF, value_digest
from tests.helpers.evidence import (
    audit_events,
    bag,
    records,
    tampered,
    verify,
    write_audit_events,
)

pytestmark = pytest.mark.backends


def _support_reply(document: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in document["contacts"] if c["direction"] == "inbound")


def test_an_untouched_bag_is_consistent_and_with_its_fingerprint_identical(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db = filled[0]
    fingerprint = bag(db, tmp_path / "bag")
    alone = verify(db, str(tmp_path / "bag"))
    assert alone.exit_code == 0
    assert "; consistent (fingerprint " in alone.stdout
    proven = verify(db, str(tmp_path / "bag"), "--fingerprint", fingerprint.upper())
    assert proven.exit_code == 0
    assert f"; identical to the export with fingerprint {fingerprint}" in proven.stdout


def test_supports_reply_rewritten_and_marked_redacted_is_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def forge(dest: Path) -> None:
        with records(dest) as document:
            reply = _support_reply(document)
            reply["text"] = "We have refunded your withdrawal in full."
        events = audit_events(dest)
        for event in events:
            if event.get("entity") == "contacts" and event.get("entity_id") == reply["id"]:
                event["change"]["after"]["text"] = reply["text"]
                event["redacted"] = True
        write_audit_events(dest, events)

    problems = tampered(filled[0], tmp_path, forge, rehash=True)
    assert any("marked redacted, but records.json says nothing was redacted" in p for p in problems)
    assert any("its hash does not match its content" in p for p in problems), problems


def test_a_contacts_events_elided_are_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    ids = filled[1]

    def elide(dest: Path) -> None:
        events = [
            {"elided": True, "id": e["id"], "prev_hash": e["prev_hash"], "hash": e["hash"]}
            if e.get("entity") == "contacts" and e.get("entity_id") == ids["chinese_contact"]
            else e
            for e in audit_events(dest)
        ]
        write_audit_events(dest, events)

    problems = tampered(filled[0], tmp_path, elide, rehash=True)
    assert problems == [
        f"data/records.json: contacts #{ids['chinese_contact']}: has no history in the audit chain"
    ]


def test_each_readable_file_rewritten_is_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    for n, (name, old, new) in enumerate(
        [
            ("timeline.html", "充值USDT未到账", "充值USDT已到账"),
            ("timeline.md", "充值USDT未到账", "充值USDT已到账"),
            ("contacts.csv", "Sam", "Tom"),
        ]
    ):

        def rewrite(dest: Path, name: str = name, old: str = old, new: str = new) -> None:
            path = dest / "data" / name
            text = path.read_text("utf-8")
            assert old in text
            path.write_text(text.replace(old, new), "utf-8")

        (tmp_path / str(n)).mkdir()
        problems = tampered(filled[0], tmp_path / str(n), rewrite, rehash=True)
        assert problems == [
            f"data/{name}: differs from what its records give (changed after export)"
        ]


def test_bag_info_claims_that_the_records_deny_are_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def edit(dest: Path) -> None:
        info = dest / "bag-info.txt"
        text = info.read_text("utf-8").replace("Contact-Count: 10", "Contact-Count: 9")
        info.write_text(text + "Reviewed-By: the regulator\n", "utf-8")

    problems = tampered(filled[0], tmp_path, edit, rehash=True)
    assert problems == [
        "bag-info.txt: Contact-Count says '9'; the records say '10'",
        "bag-info.txt: Reviewed-By is not a claim recorder makes",
    ]


def test_a_file_added_at_the_root_is_caught_even_with_the_fingerprint(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db = filled[0]
    fingerprint = bag(db, tmp_path / "bag")
    (tmp_path / "bag" / "README.txt").write_text("the real story is elsewhere")
    result = verify(db, str(tmp_path / "bag"), "--fingerprint", fingerprint)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "README.txt: not part of a recorder bag (added after export)"
    ]


def test_an_attachment_the_manifest_was_made_to_list_is_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def add(dest: Path) -> None:
        (dest / "data" / "attachments" / f"{'0' * 64}-receipt.png").write_bytes(b"fake")

    problems = tampered(filled[0], tmp_path, add, rehash=True)
    assert problems == [
        f"data/attachments/{'0' * 64}-receipt.png: not an attachment of any exported contact"
    ]


def test_a_redacted_bag_verifies_and_says_what_it_cannot_prove(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db = filled[0]
    dest = tmp_path / "bag"
    bag(db, dest, "--redact")
    result = verify(db, str(dest))
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OK: ")
    assert any("fields were masked by redaction" in line for line in lines[1:]), lines
    events = audit_events(dest)
    masked = [
        value
        for e in events
        if not e.get("elided")
        for side in ("before", "after")
        for value in (e["change"].get(side) or {}).values()
        if isinstance(value, dict) and REF in value
    ]
    assert masked, "the masked fields stand as their digests in the chain"
    card = "4111 1111 1111 1111"
    assert card not in (dest / "data" / "audit.jsonl").read_text("utf-8")
    assert card not in (dest / "data" / "records.json").read_text("utf-8")


def test_in_a_redacted_bag_a_field_not_masked_is_still_proven(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def forge(dest: Path) -> None:
        with records(dest) as document:
            _support_reply(document)["agent"] = "Someone Else"

    problems = tampered(filled[0], tmp_path, forge, rehash=True, args=("--redact",))
    assert len(problems) == 1 and problems[0].endswith(": agent differs from its audit history")


def test_a_masked_fields_digest_cannot_be_swapped(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def forge(dest: Path) -> None:
        events = audit_events(dest)
        for event in events:
            after = (event.get("change") or {}).get("after") or {}
            if isinstance(after.get("text"), dict):
                after["text"] = {REF: value_digest("We refunded you.")}
                break
        write_audit_events(dest, events)

    problems = tampered(filled[0], tmp_path, forge, rehash=True, args=("--redact",))
    assert any(p.endswith("its hash does not match its content") for p in problems), problems


def test_large_texts_stand_as_digests_in_the_chain_and_still_verify(
    tmp_path: Path,
) -> None:
    from tests.helpers.cli import ok

    db = tmp_path / "store.sqlite3"
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Long transcript").strip()
    transcript = tmp_path / "chat.txt"
    transcript.write_text("Agent: please wait while we check your withdrawal.\n" * 2000)
    ok(db, "log", "--case", case, "--channel", "email", "--direction", "in",
       "--address", "support@gemini.com", "--text-file", str(transcript))  # fmt: skip
    bag(db, tmp_path / "bag")
    events = audit_events(tmp_path / "bag")
    texts = [e["change"]["after"]["text"] for e in events if e.get("entity") == "contacts"]
    assert texts == [{REF: value_digest(transcript.read_text())}]
    assert verify(db, str(tmp_path / "bag")).exit_code == 0
    assert json.loads(ok(db, "show", case, "--json"))["contacts"][0]["text"] == (
        transcript.read_text()
    )
