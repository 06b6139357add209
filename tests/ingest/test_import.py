"""`recorder import`: emails threaded into their case, checked as typed contacts are,
kept byte for byte, and never imported twice."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import ok, run
from tests.ingest.conftest import HELPDESKS

pytestmark = pytest.mark.backends

THREAD = sorted(HELPDESKS.glob("0[1-4]-*.eml"))


def imported(db: Path, *args: str) -> dict[str, Any]:
    result = run(db, "import", "--json", *args)
    assert result.exit_code in (0, 1), result.output + result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_a_question_its_acknowledgement_the_reply_and_the_answer_make_one_case(db: str) -> None:
    report = imported(db, *map(str, THREAD))
    assert (report["imported"], report["present"], report["refused"]) == (4, 0, 0)
    messages = report["messages"]
    assert {m["case_id"] for m in messages} == {1}
    assert [m["threaded_by"] for m in messages] == [
        None,
        "a reply to an imported message",
        "ticket 7001234",
        "a reply to an imported message",
    ]
    case = json.loads(ok(db, "show", "1", "--json"))
    assert case["title"] == "BTC withdrawal pending since 20 Nov"
    contacts = case["contacts"]
    assert [c["direction"] for c in contacts] == ["outbound", "inbound", "inbound", "outbound"]
    assert [c["source"] for c in contacts] == ["imported"] * 4
    ack, reply, answer = contacts[1], contacts[2], contacts[3]
    assert ack["auto_ack"] and ack["reference"] == "7001234"
    assert not reply["auto_ack"]
    # The new text only: the helpdesk's mark and the quoted history stay in the .eml.
    assert reply["text"].startswith("Anna (Gemini Support)")
    assert "Please type your reply" not in reply["text"]
    assert "pending since 20 Nov" not in reply["text"]
    assert answer["text"] == "Thank you. Which documents do you need for the review?"
    assert answer["address"] == "support+id7001234@gemini.com"


def test_importing_the_same_messages_again_adds_nothing(db: str) -> None:
    imported(db, *map(str, THREAD))
    before = ok(db, "show", "1", "--json")
    again = imported(db, *map(str, THREAD))
    assert (again["imported"], again["present"], again["refused"]) == (0, 4, 0)
    assert ok(db, "show", "1", "--json") == before


def test_a_dry_run_shows_the_threading_and_writes_nothing(db: str) -> None:
    report = imported(db, "--dry-run", *map(str, THREAD))
    assert report["dry_run"] and report["imported"] == 4
    assert {m["case_id"] for m in report["messages"]} == {1}
    assert json.loads(ok(db, "list", "--json")) == []
    assert imported(db, *map(str, THREAD))["imported"] == 4


def test_a_phishing_reply_is_imported_with_its_findings_and_answers_nothing(db: str) -> None:
    ok(db, "settings", "set", "trusted_authserv_ids", "mx.example.org")
    report = imported(db, str(THREAD[0]), str(HELPDESKS / "05-phishing.eml"))
    phish = report["messages"][1]
    assert phish["status"] == "imported" and phish["case_id"] == 1
    assert "gemini-verify.help" in phish["warnings"][0]
    assert "dkim=fail" in phish["warnings"][0]
    contact = json.loads(ok(db, "show", "1", "--json"))["contacts"][1]
    kinds = {f["kind"] for f in contact["sender_findings"]}
    assert kinds == {"reply_to", "authentication"}
    case = json.loads(ok(db, "list", "--json"))[0]
    assert case["status"] == "waiting_on_support"  # the phishing mail answered nothing


def test_authentication_results_count_only_from_the_users_own_provider(db: str) -> None:
    report = imported(db, str(THREAD[0]), str(HELPDESKS / "05-phishing.eml"))
    assert "dkim=fail" not in report["messages"][1]["warnings"][0]  # anyone can write one
    assert "gemini-verify.help" in report["messages"][1]["warnings"][0]


def test_an_email_from_no_platform_is_refused_with_the_way_to_import_it(db: str) -> None:
    stranger = HELPDESKS / "servicenow.eml"
    report = imported(db, str(stranger))
    assert report["refused"] == 1
    assert (
        "not from any platform's official domains; give --platform"
        in (report["messages"][0]["reason"])
    )
    taken = imported(db, "--platform", "Kraken", str(stranger))
    assert taken["imported"] == 1
    assert (
        "service-now.com is not one of Kraken's official domains"
        in (taken["messages"][0]["warnings"][0])
    )


def test_each_helpdesk_s_ticket_number_is_the_contact_s_reference(db: str) -> None:
    expected = {
        "freshdesk.eml": "48151",
        "request-tracker.eml": "9921",
        "zammad.eml": "20261124000017",
        "jira.eml": "SUP-4711",
        "servicenow.eml": "INC0012345",
    }
    for name, reference in expected.items():
        report = imported(db, "--platform", "Kraken", str(HELPDESKS / name))
        contact_case = report["messages"][0]["case_id"]
        contacts = json.loads(ok(db, "show", str(contact_case), "--json"))["contacts"]
        assert contacts[-1]["reference"] == reference, name


def test_a_mailbox_and_a_maildir_import_as_their_messages_do(db: str, tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "support.mbox")
    for path in THREAD[:2]:
        box.add(path.read_bytes())
    box.flush()
    folder = mailbox.Maildir(tmp_path / "Maildir")
    for path in THREAD[2:]:
        folder.add(path.read_bytes())
    report = imported(db, str(tmp_path / "support.mbox"), str(tmp_path / "Maildir"))
    assert report["imported"] == 4
    assert {m["case_id"] for m in report["messages"]} == {1}
    assert report["messages"][0]["origin"].endswith("support.mbox #1")


def test_the_email_goes_into_the_bag_byte_for_byte_and_verifies(db: str, tmp_path: Path) -> None:
    imported(db, *map(str, THREAD))
    bag = tmp_path / "bag"
    ok(db, "export", str(bag))
    emails = sorted((bag / "data" / "emails").iterdir())
    assert len(emails) == 4
    assert sorted(p.read_bytes() for p in emails) == sorted(p.read_bytes() for p in THREAD)
    records = json.loads((bag / "data" / "records.json").read_text("utf-8"))
    assert {e["message_id"] for e in records["emails"]} >= {"<ask-1@example.org>"}
    assert run(db, "verify", str(bag)).exit_code == 0
    assert ok(db, "db", "verify").startswith("OK: ")  # the emails' rows replay from the chain


def test_a_saved_chat_transcript_is_one_chat_in_turns(db: str, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "[10:02] You: my withdrawal is pending\n[10:04] Anna: it is under review\n", "utf-8"
    )
    report = imported(db, "--chat", str(chat), "--platform", "Kraken", "--at", "2026-11-24 10:02")
    assert report["imported"] == 1
    contact = json.loads(ok(db, "show", str(report["messages"][0]["case_id"]), "--json"))[
        "contacts"
    ][0]
    assert contact["channel"] == "chat" and len(contact["turns"]) == 2


def test_bad_paths_are_one_line_and_nothing_is_written(db: str, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    for path, said in (
        (tmp_path / "missing.eml", "does not exist"),
        (tmp_path / "folder", "is a folder but not a Maildir"),
    ):
        result = run(db, "import", str(THREAD[0]), str(path))
        assert result.exit_code == 1
        assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert json.loads(ok(db, "list", "--json")) == []
    result = run(db, "import", "--chat", str(THREAD[0]))
    assert "give --case ID or --platform NAME" in result.stderr


def test_without_a_message_id_the_bytes_say_it_was_imported(db: str, tmp_path: Path) -> None:
    bare = tmp_path / "bare.eml"
    bare.write_bytes(
        b"From: support@kraken.com\r\nTo: li.wei@example.org\r\nSubject: Frozen\r\n"
        b"Date: Tue, 24 Nov 2026 12:00:00 +0000\r\n\r\nWe are on it.\r\n"
    )
    assert imported(db, str(bare))["imported"] == 1
    assert imported(db, str(bare))["present"] == 1
    bare.write_bytes(bare.read_bytes() + b"P.S. one more line\r\n")
    assert imported(db, str(bare))["imported"] == 1


def test_the_files_an_email_carries_become_its_attachments(db: str, tmp_path: Path) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "support@kraken.com"
    message["To"] = "li.wei@example.org"
    message["Subject"] = "Your statement"
    message["Date"] = "Tue, 24 Nov 2026 12:00:00 +0000"
    message.set_content("The statement is attached.")
    message.add_attachment(b"%PDF-1.7 statement", maintype="application", subtype="pdf",
                           filename="statement.pdf")  # fmt: skip
    path = tmp_path / "statement.eml"
    path.write_bytes(bytes(message))
    case_id = imported(db, str(path))["messages"][0]["case_id"]
    contact = json.loads(ok(db, "show", str(case_id), "--json"))["contacts"][0]
    assert contact["text"] == "The statement is attached."
    files = {a["name"]: a["media_type"] for a in contact["attachments"]}
    assert files.pop("statement.pdf") == "application/pdf"
    [(eml, media_type)] = files.items()
    assert eml.endswith(".eml") and media_type == "message/rfc822"


def test_a_helpdesk_s_chat_transcript_email_is_a_chat_in_turns(db: str, tmp_path: Path) -> None:
    path = tmp_path / "transcript.eml"
    path.write_bytes(
        b"From: support@kraken.com\r\nTo: li.wei@example.org\r\n"
        b"Subject: Chat transcript with Kraken Support\r\n"
        b"Date: Tue, 24 Nov 2026 12:30:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"[12:02] You: my account is frozen\r\n[12:04] Anna: I have escalated it\r\n"
    )
    case_id = imported(db, str(path))["messages"][0]["case_id"]
    contact = json.loads(ok(db, "show", str(case_id), "--json"))["contacts"][0]
    assert contact["channel"] == "chat"
    assert [t["speaker"] for t in contact["turns"]] == ["me", "agent"]


def test_a_wrong_case_or_platform_stops_the_import_in_one_line(db: str) -> None:
    for args, said in (
        (("--case", "99"), "case #99"),
        (("--platform", "Nowhere"), "Nowhere"),
    ):
        result = run(db, "import", *args, str(THREAD[0]))
        assert result.exit_code == 1
        assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert json.loads(ok(db, "list", "--json")) == []


def test_a_large_import_says_what_it_did_per_case(db: str, tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "many.mbox")
    for n in range(25):
        box.add(
            f"From: support@kraken.com\nTo: li.wei@example.org\nSubject: Update {n % 5}\n"
            f"Date: Tue, 24 Nov 2026 12:{n:02d}:00 +0000\nMessage-ID: <u{n}@kraken.com>\n\n"
            f"Update number {n}.\n"
        )
    box.flush()
    printed = ok(db, "import", str(tmp_path / "many.mbox")).splitlines()
    assert printed[:5] == [f"case #{n} (new case): 5 contacts imported" for n in range(1, 6)]
    assert printed[-1] == "25 imported, 0 already present, 0 refused"


def test_a_message_given_twice_in_one_import_is_imported_once(db: str) -> None:
    report = imported(db, str(THREAD[0]), str(THREAD[0]))
    assert (report["imported"], report["present"]) == (1, 1)
    assert report["messages"][1]["reason"] == "already imported as contact #1"
