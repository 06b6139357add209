"""The command line through click's runner, against a real store in a temporary directory."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.cli import ok, run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli" / "recorder.sqlite3"


def counts(db: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("platforms", "cases", "contacts", "attachments", "audit_events")
        }


@pytest.fixture
def case_id(db: Path) -> str:
    return ok(
        db, "case", "new", "--platform", "gemini", "--title", "BTC withdrawal pending"
    ).strip()


def test_no_command_prints_the_help(db: Path) -> None:
    assert "Usage: recorder" in ok(db)


def test_the_whole_flow(db: Path, tmp_path: Path) -> None:
    shot = tmp_path / "chat.png"
    shot.write_bytes(b"\x89PNG chat screenshot")
    case = json.loads(
        ok(
            db,
            "case",
            "new",
            "--platform",
            "Gemini",
            "--title",
            "BTC withdrawal pending",
            "--txid",
            "0xabc",
            "--asset",
            "btc",
            "--amount",
            "0.25",
            "--json",
        )
    )
    assert case["identifiers"] == {
        "txid": "0xabc",
        "order": None,
        "account_email": None,
        "asset": "BTC",
        "amount": "0.25",
    }
    cid = str(case["id"])
    contact = json.loads(
        ok(
            db,
            "log",
            "--case",
            cid,
            "--channel",
            "ticket",
            "--direction",
            "out",
            "--at",
            "2026-11-20 14:05",
            "--ref",
            "4815162",
            "--text",
            "Withdrawal pending",
            "--attach",
            str(shot),
            "--json",
        )
    )
    assert contact["occurred_at"] == "2026-11-20T19:05:00+00:00"  # New York, EST
    assert contact["attachments"][0]["name"] == "chat.png"
    reply = ok(
        db,
        "log",
        "--case",
        cid,
        "--channel",
        "email",
        "--direction",
        "in",
        "--at",
        "21 Nov 2026 9:00am",
        "--ref",
        "4815162",
        "--agent",
        "Sam",
        "--text-file",
        "-",
    )
    assert reply.strip().isdigit()

    listed = json.loads(ok(db, "list", "--json"))
    assert [(c["id"], c["references"], c["contacts"]) for c in listed] == [
        (case["id"], ["4815162"], 2)
    ]
    assert listed[0]["last_contact_at"] == "2026-11-21T14:00:00+00:00"
    for key in (
        "id",
        "platform",
        "title",
        "status",
        "priority",
        "references",
        "last_contact_at",
        "contacts",
    ):
        assert key in listed[0]

    shown = json.loads(ok(db, "show", cid, "--json"))
    assert [c["direction"] for c in shown["contacts"]] == ["outbound", "inbound"]
    assert shown["contacts"][0]["attachments"][0]["sha256"] == contact["attachments"][0]["sha256"]
    assert shown["contacts"][1]["agent"] == "Sam"
    text = ok(db, "show", cid)
    assert "Withdrawal pending" in text and "ref 4815162" in text

    assert "resolved" in ok(db, "case", "status", cid, "resolved")
    assert json.loads(ok(db, "list", "--json")) == []
    assert len(json.loads(ok(db, "list", "--all", "--json"))) == 1
    assert len(json.loads(ok(db, "list", "--status", "resolved", "--json"))) == 1
    assert "OK:" in ok(db, "db", "verify")


def test_text_from_standard_input(db: Path, case_id: str) -> None:
    result = run(
        db,
        "log",
        "--case",
        case_id,
        "--channel",
        "chat",
        "--direction",
        "in",
        "--text-file",
        "-",
        "--json",
        input="Agent: hello\n客服：您好\n".encode(),
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["text"] == "Agent: hello\n客服：您好\n"


def test_json_output_is_one_document_and_nothing_else(db: Path, case_id: str) -> None:
    for args in (
        ["list", "--json"],
        ["show", case_id, "--json"],
        ["platform", "list", "--json"],
        ["platform", "show", "gemini", "--json"],
        ["locate", "--json"],
        ["db", "verify", "--json"],
    ):
        json.loads(ok(db, *args))


def test_platform_add_and_show(db: Path) -> None:
    ok(
        db,
        "platform",
        "add",
        "Kraken",
        "--domain",
        "kraken.com",
        "--tz",
        "America/Los_Angeles",
        "--holidays",
        "US-CA",
        "--window",
        "email=48h",
        "--window",
        "ticket=3 business days",
    )
    shown = json.loads(ok(db, "platform", "show", "kraken", "--json"))
    assert shown["windows"] == {"email": "48h", "ticket": "3 business days"}
    assert shown["holidays"] == "US-CA"
    assert "Kraken" in ok(db, "platform", "list")


def test_case_edit(db: Path, case_id: str) -> None:
    ok(db, "case", "edit", case_id, "--title", "ETH withdrawal pending", "--order", "771203")
    shown = json.loads(ok(db, "show", case_id, "--json"))
    assert shown["title"] == "ETH withdrawal pending"
    assert shown["identifiers"]["order"] == "771203"


def test_contact_edit_and_delete(db: Path, case_id: str) -> None:
    contact = ok(
        db, "log", "--case", case_id, "--channel", "chat", "--direction", "in", "--text", "typo"
    ).strip()
    ok(db, "contact", "edit", contact, "--text", "fixed", "--agent", "Ana")
    shown = json.loads(ok(db, "show", case_id, "--json"))
    assert (shown["contacts"][0]["text"], shown["contacts"][0]["agent"]) == ("fixed", "Ana")
    refused = run(db, "contact", "delete", contact, input="n\n")
    assert refused.exit_code == 1 and "nothing was changed" in refused.stderr
    ok(db, "contact", "delete", contact, "--yes")
    assert json.loads(ok(db, "show", case_id, "--json"))["contacts"] == []


def test_backup_and_refusal_to_overwrite(db: Path, case_id: str, tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite3"
    ok(db, "db", "backup", str(target))
    assert counts(target)["cases"] == 1
    again = run(db, "db", "backup", str(target))
    assert again.exit_code == 1
    assert again.stderr.count("\n") == 1 and "already exists" in again.stderr


def test_compact_gives_free_pages_back_and_keeps_the_record(db: Path, case_id: str) -> None:
    logged = [
        ok(db, "log", "--case", case_id, "--channel", "email", "--direction", "out",
           "--text", f"Message {n}: " + "withdrawal pending 提现审核中 " * 2000).strip()
        for n in range(8)
    ]  # fmt: skip
    for contact in logged[1:]:
        ok(db, "contact", "delete", contact, "--yes")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] > 0  # so the check can fail
    size = db.stat().st_size
    done = json.loads(ok(db, "db", "compact", "--json"))
    assert done["bytes_after"] < done["bytes_before"] and db.stat().st_size < size
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert "OK:" in ok(db, "db", "verify")
    hits = json.loads(ok(db, "search", "Message", "--json"))["results"]
    assert [h["contact_id"] for h in hits if h["contact_id"]] == [int(logged[0])]
    assert ok(db, "db", "compact").startswith("compacted: ")


def test_compact_gives_an_older_store_the_larger_pages_a_new_one_has(
    db: Path, case_id: str
) -> None:
    from recorder.store.db import PAGE_SIZE

    ok(db, "log", "--case", case_id, "--channel", "email", "--direction", "out",
       "--text", "withdrawal pending " * 200)  # fmt: skip
    # As recorder made stores before: pages of 4 KB.
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("VACUUM")
        conn.execute("PRAGMA journal_mode = WAL")
        assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    before = counts(db)
    ok(db, "db", "compact")
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert counts(db) == before
    assert "OK:" in ok(db, "db", "verify")
    assert json.loads(ok(db, "search", "withdrawal", "--json"))["results"]


def test_compact_waits_for_no_one_and_changes_nothing_when_the_store_is_busy(
    db: Path, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("recorder.store.db.BUSY_TIMEOUT_MS", 100)
    before = counts(db)
    with sqlite3.connect(db, isolation_level=None) as other:
        other.execute("BEGIN IMMEDIATE")  # another recorder, writing
        busy = run(db, "db", "compact")
        other.execute("ROLLBACK")
    assert busy.exit_code == 1 and busy.stderr.count("\n") == 1
    assert "the store is in use" in busy.stderr and "nothing was changed" in busy.stderr
    assert counts(db) == before


def test_locate_names_the_store(db: Path) -> None:
    doc = json.loads(ok(db, "locate", "--json"))
    assert doc["store"] == str(db)
    assert doc["attachments"] == str(db.parent / "attachments")


BAD_INPUTS = [
    (["case", "new", "--platform", "nowhere", "--title", "x"], "no platform called 'nowhere'"),
    (["case", "new", "--platform", "gemini", "--title", "  "], "title is empty"),
    (["log", "--case", "999", "--channel", "chat", "--direction", "out"], "no case #999"),
    (["log", "--case", "{case}", "--channel", "fax", "--direction", "out"], "unknown channel"),
    (["log", "--case", "{case}", "--channel", "chat", "--direction", "up"], "unknown direction"),
    (
        ["log", "--case", "{case}", "--channel", "chat", "--direction", "out", "--at", "someday"],
        "cannot read the time 'someday'; expected",
    ),
    (
        [
            "log",
            "--case",
            "{case}",
            "--channel",
            "chat",
            "--direction",
            "out",
            "--attach",
            "{tmp}/missing.png",
        ],
        "does not exist",
    ),
    (
        ["log", "--case", "{case}", "--channel", "chat", "--direction", "out", "--attach", "{tmp}"],
        "is a directory",
    ),
    (
        [
            "log",
            "--case",
            "{case}",
            "--channel",
            "chat",
            "--direction",
            "out",
            "--text-file",
            "{tmp}/latin1.txt",
        ],
        "latin1.txt is not valid UTF-8 (byte offset 5)",
    ),
    (["case", "status", "{case}", "finished"], "unknown status 'finished'"),
    (["list", "--status", "finished"], "unknown status"),
    (["platform", "add", "X", "--window", "email"], "expected CHANNEL=DURATION"),
    (["platform", "add", "X", "--tz", "Nowhere/City"], "unknown time zone"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS)
def test_bad_input_is_one_line_exit_1_and_writes_nothing(
    db: Path, case_id: str, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "latin1.txt").write_bytes("Hola, se\u00f1or".encode("latin-1")[:5] + b"\xf1or")
    filled = [a.replace("{case}", case_id).replace("{tmp}", str(tmp_path)) for a in args]
    before = counts(db)
    result = run(db, *filled)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("recorder: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ["log", "--case", "1", "--bogus"],
        ["log", "--case", "1", "--channel", "chat"],
        [
            "log",
            "--case",
            "1",
            "--channel",
            "chat",
            "--direction",
            "in",
            "--text",
            "a",
            "--text-file",
            "-",
        ],
        ["nonsense"],
    ],
)
def test_usage_errors_are_one_line_exit_2(db: Path, case_id: str, args: list[str]) -> None:
    before = counts(db)
    result = run(db, *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--help" in result.stderr
    assert counts(db) == before


def test_demo_runs_on_a_throw_away_store_and_deletes_it(db: Path) -> None:
    from recorder.access import StoreAccess
    from recorder.cli import Setup
    from recorder.read.cases import list_cases

    seen: dict[str, object] = {}

    def instead_of_the_ui(store: StoreAccess, *, subtitle: str = "") -> None:
        assert store.where.database is not None
        seen["folder"] = store.where.database.parent
        with store.reader() as reader:
            seen["cases"] = len(list_cases(reader, statuses=None))
        seen["subtitle"] = subtitle

    result = run(db, "demo", setup=Setup(run_tui=instead_of_the_ui))
    assert result.exit_code == 0, result.stderr
    assert seen["cases"] == 30
    assert "demo" in str(seen["subtitle"])
    assert not Path(str(seen["folder"])).exists()
    assert not db.exists()  # the user's own store was never opened
