"""The duplicate guard from the command line: warnings that never block, `dups`, merges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import ok, run

pytestmark = pytest.mark.backends


def _case(db: Path, title: str, *more: str) -> str:
    return ok(db, "case", "new", "--platform", "Gemini", "--title", title, *more).strip()


def _log(db: Path, case: str, *more: str) -> tuple[str, str]:
    base = ["log", "--case", case, "--channel", "email", "--direction", "out"]
    result = run(db, *base, *more)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout.strip(), result.stderr


def test_case_new_warns_on_stderr_and_still_opens_the_case(store_url: str) -> None:
    db = store_url
    first = _case(db, "ETH withdrawal pending for 48 hours", "--txid", "0xABC")
    result = run(
        db, "case", "new", "--platform", "gemini", "--title", "Card declined",
        "--txid", "abc",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.strip() == "2"
    assert result.stderr.splitlines() == [
        "recorder: warning: possible duplicate (flag #1): TxID abc is already in open case "
        f"#{first} (ETH withdrawal pending for 48 hours): add to that case instead"
    ]


def test_case_new_json_lists_the_flags(store_url: str) -> None:
    db = store_url
    _case(db, "Staking rewards not paid for October")
    document = json.loads(
        ok(db, "case", "new", "--platform", "Gemini", "--json", "--title",
           "didn't receive my October staking rewards")
    )  # fmt: skip
    [flag] = document["duplicate_flags"]
    assert flag["kind"] == "similar_case" and flag["earlier_case_id"] == 1
    assert flag["status"] == "open" and flag["score"] >= 65
    assert "reads like open case #1" in flag["message"]


def test_log_warns_and_json_carries_the_flags(store_url: str) -> None:
    db = store_url
    first, second = _case(db, "Withdrawal pending"), _case(db, "Card declined")
    _log(db, first, "--ref", "4815162", "--text", "Where is my money?", "--at", "2026-11-20 10:00")
    result = run(
        db, "log", "--case", second, "--channel", "email", "--direction", "out",
        "--ref", "4815162", "--text", "Where is my money?", "--json",
    )  # fmt: skip
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["id"] == 2 and document["already_recorded"] is False
    assert [f["kind"] for f in document["duplicate_flags"]] == ["same_reference", "same_message"]
    assert len(result.stderr.splitlines()) == 2
    assert "reference 4815162 is already in case #1 (Withdrawal pending)" in result.stderr


def test_the_same_contact_logged_twice_is_stored_once(store_url: str) -> None:
    db = store_url
    case = _case(db, "Withdrawal pending")
    first, _ = _log(db, case, "--text", "Where is my money?", "--at", "2026-11-20 10:00")
    again, err = _log(db, case, "--text", "Where is my money?", "--at", "2026-11-20 10:00")
    assert again == first
    assert err.strip() == (
        f"recorder: already recorded as contact #{first} in case #{case} "
        "(same text, same time); not stored again"
    )
    assert json.loads(ok(db, "show", case, "--json"))["contacts"][0]["id"] == int(first)
    assert len(json.loads(ok(db, "show", case, "--json"))["contacts"]) == 1


def test_dups_lists_decides_and_shows_decisions_with_all(store_url: str) -> None:
    db = store_url
    _case(db, "Phone number change request")
    _case(db, "I need to change the phone number on my account")
    assert json.loads(ok(db, "list", "--json"))[0]["open_flags"] == 1
    listed = ok(db, "dups")
    assert listed.splitlines()[0] == "#1 similar case: case #2"
    assert ok(db, "dups", "dismiss", "1").strip() == "flag #1 dismissed"
    assert ok(db, "dups").strip() == "No open duplicate flags."
    assert json.loads(ok(db, "dups", "--json")) == []
    [flag] = json.loads(ok(db, "dups", "--all", "--json"))
    assert flag["status"] == "dismissed" and flag["decided_at"] is not None
    assert json.loads(ok(db, "list", "--json"))[0]["open_flags"] == 0
    assert ok(db, "dups", "confirm", "1").strip() == "flag #1 confirmed"
    bad = run(db, "dups", "dismiss", "7")
    assert bad.exit_code == 1
    assert bad.stderr == "recorder: no duplicate flag #7; `recorder dups --all` lists them\n"


def test_merge_and_unmerge(store_url: str) -> None:
    db = store_url
    into = _case(db, "ETH withdrawal pending for 48 hours")
    source = _case(db, "My ether withdrawal is still pending after two days")
    _log(db, into, "--text", "first", "--at", "2026-11-20 10:00")
    moved, _ = _log(db, source, "--text", "second", "--at", "2026-11-21 10:00", "--channel", "chat")
    ok(db, "case", "status", source, "waiting_on_me")
    assert ok(db, "case", "merge", source, into).strip() == (
        f"case #{source} merged into #{into} (2 contacts there now)"
    )
    target = json.loads(ok(db, "show", into, "--json"))
    assert target["merged_cases"] == [int(source)]
    assert [c["merged_from"] for c in target["contacts"]] == [None, int(source)]
    assert [f["status"] for f in target["duplicate_flags"]] == ["confirmed"]
    merged = json.loads(ok(db, "show", source, "--json"))
    assert merged["merged_into"] == int(into) and merged["status"] == "closed"
    assert merged["contacts"] == []
    assert f"merged into #{into}" in ok(db, "show", source)
    assert f"(from case #{source})" in ok(db, "show", into)
    assert int(source) not in [c["id"] for c in json.loads(ok(db, "list", "--json"))]

    assert ok(db, "case", "unmerge", source).strip() == (
        f"case #{source} unmerged; it is waiting_on_me again"
    )
    back = json.loads(ok(db, "show", source, "--json"))
    assert back["merged_into"] is None and [c["id"] for c in back["contacts"]] == [int(moved)]
    assert ok(db, "db", "verify").startswith("OK")


def test_merge_refusals_are_one_line_and_change_nothing(store_url: str) -> None:
    db = store_url
    a = _case(db, "one")
    before = ok(db, "show", a, "--json")
    for args, message in [
        (("case", "merge", a, a), f"case #{a} cannot be merged into itself"),
        (("case", "merge", a, "9"), "no case #9"),
        (("case", "unmerge", a), f"case #{a} is not merged into another case"),
    ]:
        result = run(db, *args)
        assert result.exit_code == 1
        assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert ok(db, "show", a, "--json") == before
