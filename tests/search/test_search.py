"""`recorder search` as a user runs it: words from an email, Chinese of any length, a
piece of a TxID however it is typed; filters; and an index that follows every change
to the record, a redaction included."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from recorder.read.search import BEGUN, search
from recorder.store.readers import SqliteReader
from recorder.store.search_index import EVENTS, INDEXED, index_names
from recorder.write.opening import open_store
from tests.helpers.cli import ok, run
from tests.helpers.stores import store_at

TXID = "0x9118bb16000f49c8aa"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "s.sqlite3"
    ok(path, "case", "new", "--platform", "Gemini", "--title", "Withdrawal pending",
       "--txid", TXID)  # fmt: skip
    ok(path, "case", "new", "--platform", "Generic", "--title", "充值未到账")
    for case, channel, text in [
        ("1", "email", "Your Ledger withdrawal is under compliance review."),
        ("1", "chat", "Support: please send the transaction hash.\nYou: it is " + TXID),
        ("2", "ticket", "我充值了 0.05 USDT，链上已经确认，但余额没有变化。工单 2717644"),
        ("2", "email", "交易哈希已收到，我们会在三个工作日内回复。"),
    ]:
        ok(path, "log", "--case", case, "--channel", channel, "--direction", "out",
           "--text", text)  # fmt: skip
    return path


def found(db: Path, *query: str) -> list[dict[str, object]]:
    results: list[dict[str, object]] = json.loads(ok(db, "search", *query, "--json"))["results"]
    return results


def contacts(results: list[dict[str, object]]) -> list[object]:
    return [r["contact_id"] for r in results if r["contact_id"] is not None]


def test_a_word_from_an_email_is_found_with_the_words_around_it(db: Path) -> None:
    (hit,) = found(db, "compliance")
    assert hit["contact_id"] == 1 and hit["case_id"] == 1 and hit["channel"] == "email"
    assert hit["snippet"] == "Your Ledger withdrawal is under **compliance** review."
    assert contacts(found(db, "ledger", "REVIEW")) == [1]  # any case, every term
    assert contacts(found(db, "compli")) == [1]  # the start of a word
    assert found(db, "ledger", "refund") == []
    printed = ok(db, "search", "compliance")
    assert "#1 Gemini · Withdrawal pending  contact #1," in printed
    assert printed.splitlines()[-1].startswith("(times in ")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("充值", [3]),  # 2 characters: no trigram; found by the trigrams it begins
        ("余额没有变化", [3]),
        ("工作日", [4]),
        ("哈希", [4]),
    ],
)
def test_chinese_of_any_length_is_found(db: Path, query: str, expected: list[int]) -> None:
    assert contacts(found(db, query)) == expected


def test_the_case_title_comes_first(db: Path) -> None:
    results = found(db, "充值")
    assert results[0]["contact_id"] is None and results[0]["case_id"] == 2
    assert results[0]["found_in"] == "title"


@pytest.mark.parametrize(
    "query",
    [
        "9118bb16",
        "9118BB16",
        "0x9118bb16",
        "\uff10\uff58\uff19\uff11\uff11\uff18\uff42\uff42\uff11\uff16",  # full width
        "f49c8a",
    ],
)
def test_a_piece_of_a_txid_is_found_however_it_is_typed(db: Path, query: str) -> None:
    results = found(db, query)
    assert results[0]["contact_id"] is None and results[0]["found_in"] == "txid"
    assert contacts(results) == [2]
    assert "**" in str(results[1]["snippet"])


def test_the_name_of_an_attached_file_is_found(db: Path, tmp_path: Path) -> None:
    statement = tmp_path / "bank statement (Nov).pdf"
    statement.write_bytes(b"%PDF-1.4 a statement")
    ok(db, "log", "--case", "2", "--channel", "email", "--direction", "out",
       "--text", "See the attached file", "--attach", str(statement))  # fmt: skip
    (hit,) = found(db, "statement", "nov")
    assert hit["contact_id"] == 5 and hit["found_in"] == "attachment"
    assert "**statement**" in str(hit["snippet"])


def test_a_ticket_number_is_found(db: Path) -> None:
    assert contacts(found(db, "2717644")) == [3]
    assert contacts(found(db, "71764")) == [3]


def test_filters_narrow_the_results(db: Path) -> None:
    assert contacts(found(db, "9118bb", "--channel", "chat")) == [2]
    assert found(db, "9118bb", "--channel", "email") == []
    assert found(db, "充值", "--platform", "Gemini") == []
    assert contacts(found(db, "充值", "--platform", "generic")) == [3]
    assert found(db, "ledger", "--status", "resolved") == []
    assert found(db, "ledger", "--since", "tomorrow") == []
    assert contacts(found(db, "ledger", "--until", "now")) == [1]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["search", "  "], "nothing to search for"),
        (["search", "x", "--channel", "pigeon"], "channel"),
        (["search", "x", "--since", "32 Nov"], "no such day"),
        (["search", "x", "--platform", "Nowhere"], "no platform called 'Nowhere'"),
    ],
)
def test_bad_input_is_refused_in_one_line(db: Path, args: list[str], said: str) -> None:
    result = run(db, *args)
    assert result.exit_code != 0 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and said in result.stderr


def test_the_index_follows_edits_and_deletions(db: Path) -> None:
    ok(db, "contact", "edit", "1", "--text", "Your Ledger withdrawal was approved.")
    assert found(db, "compliance") == []
    assert contacts(found(db, "approved")) == [1]
    ok(db, "contact", "delete", "1", "--yes")
    assert found(db, "approved") == []
    ok(db, "case", "edit", "1", "--title", "Deposit missing")
    assert [r["case_id"] for r in found(db, "deposit")] == [1]
    assert found(db, "withdrawal", "pending") == []


def test_a_redacted_secret_is_no_longer_in_the_index(db: Path) -> None:
    ok(db, "log", "--case", "1", "--channel", "chat", "--direction", "out",
       "--text", "Agent: your password? Me: my password is Zq9xVv7Kp!")  # fmt: skip
    assert contacts(found(db, "Zq9xVv7Kp")) == [5]
    token = b"9xvv7kp"  # the words index keeps tokens in lower case, their start shared

    def stored() -> bool:
        return any(
            token in p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name)
        )

    assert stored()  # so the check below can fail
    ok(db, "redact", "5")
    assert found(db, "Zq9xVv7Kp") == [] and found(db, "xVv7") == []
    assert not stored()


def test_every_index_and_trigger_is_there_in_a_new_store_and_an_upgraded_one(
    tmp_path: Path,
) -> None:
    made = tmp_path / "new.sqlite3"
    open_store(str(made)).close()
    upgraded = {}
    for revision in ("0009", "0010"):
        upgraded[revision] = tmp_path / f"{revision}.sqlite3"
        store_at(
            upgraded[revision],
            revision,
            title="冻结",
            contacts=[("my account is frozen since Monday", None), ("提现", "还没到账")],
        )
        open_store(str(upgraded[revision])).close()
    wanted = {
        name for index in index_names() for name in [index] + [f"{index}_{e}" for e in EVENTS]
    } | {f"search_{table}_grams_terms" for table in INDEXED}
    for path in (made, *upgraded.values()):
        with sqlite3.connect(path) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            assert wanted <= names, (path, wanted - names)
            for index in index_names():  # the index and its rows agree
                conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
    for path in upgraded.values():  # what was there before the upgrade is found
        assert contacts(found(path, "frozen")) == [1]
        assert [r["case_id"] for r in found(path, "冻结")] == [1]
        assert contacts(found(path, "到账")) == [2]  # at the end of a value


def test_sqlite_s_trigram_index_misses_two_characters_which_the_trigrams_they_begin_find(
    db: Path,
) -> None:
    """Why a term of 1 or 2 characters is looked for as the trigrams it begins: SQLite
    3.40's trigram index answers no LIKE or MATCH under 3 characters."""
    with sqlite3.connect(db) as conn:
        by_index = conn.execute(
            "SELECT count(*) FROM search_contacts_grams"
            " WHERE search_contacts_grams MATCH '\"充值\"'"
        ).fetchone()[0]
    assert by_index == 0
    assert contacts(found(db, "充值")) == [3]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("到账", [7, 6, 5]),  # newest first: the end of a title, of a text; a whole value
        ("账", [7, 6, 5]),  # one character, the last of a value
        ("鲸鱼", []),  # in no text
        ("w1", [8]),  # a short term with a letter, any case
        ("提现", [6]),  # with a filter the index does not cover
    ],
)
def test_one_or_two_characters_are_found_wherever_they_stand(
    db: Path, query: str, expected: list[int]
) -> None:
    ok(db, "log", "--case", "2", "--channel", "email", "--direction", "in",
       "--subject", "提现未到账", "--text", "Your withdrawal has been processed.")  # fmt: skip
    ok(db, "log", "--case", "2", "--channel", "chat", "--direction", "out",
       "--text", "我的提现还没到账")  # fmt: skip
    ok(db, "log", "--case", "2", "--channel", "chat", "--direction", "out", "--text", "到账")
    ok(db, "log", "--case", "1", "--channel", "email", "--direction", "out",
       "--text", "Order W1-5 is the one I mean.")  # fmt: skip
    filters = ("--channel", "chat") if query == "提现" else ()
    assert contacts(found(db, query, *filters)) == expected


@pytest.mark.parametrize(("query", "expected"), [("充值", [3]), ("鲸鱼", [])])
def test_a_rare_short_term_is_answered_without_reading_every_text(
    db: Path, query: str, expected: list[int]
) -> None:
    statements: list[str] = []
    with sqlite3.connect(db) as conn:
        conn.execute("ANALYZE")  # statistics, as a store that has been used for a while
        conn.set_trace_callback(statements.append)
        hits = search(SqliteReader(conn), query)
        conn.set_trace_callback(None)
        selects = [s for s in statements if s.startswith("SELECT")]
        plans = {s: [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + s)] for s in selects}
    assert [h.contact_id for h in hits if h.contact_id is not None] == expected
    # Neither a LIKE over the texts, nor a query led by a pass over every contact.
    whole = {s: p for s, p in plans.items() if "text LIKE" in s or p[0].startswith("SCAN contacts")}
    assert statements and not whole, whole


def test_a_short_term_that_begins_very_many_trigrams_is_found_by_a_scan(db: Path) -> None:
    """Past BEGUN trigrams the index is not asked: the scan finds the same contacts."""
    many = " ".join(f"号{chr(0x4E00 + n)}" for n in range(BEGUN + 1))
    ok(db, "log", "--case", "2", "--channel", "chat", "--direction", "out", "--text", many)
    ok(db, "log", "--case", "2", "--channel", "chat", "--direction", "out",
       "--text", "工单号")  # fmt: skip
    with sqlite3.connect(db) as conn:
        begun = conn.execute(
            "SELECT count(*) FROM search_contacts_grams_terms WHERE term >= ? AND term < ?",
            ("号", "号\U0010ffff"),
        ).fetchone()[0]
    assert begun > BEGUN
    assert contacts(found(db, "号")) == [6, 5]
    assert contacts(found(db, "号", "--channel", "chat")) == [6, 5]


def test_export_takes_the_cases_a_search_finds(db: Path, tmp_path: Path) -> None:
    bag = tmp_path / "bag"
    ok(db, "export", str(bag), "--query", "余额没有变化")
    records = json.loads((bag / "data" / "records.json").read_text("utf-8"))
    assert [c["id"] for c in records["cases"]] == [2]
    assert records["filters"]["query"] == "余额没有变化"
    assert "those matching" in (bag / "bag-info.txt").read_text("utf-8")
    assert ok(db, "verify", str(bag)).startswith("OK")
    # With --case, among the cases named only.
    result = run(db, "export", str(tmp_path / "none"), "--query", "余额没有变化", "--case", "1")
    assert result.exit_code != 0 and "no case matches '余额没有变化'" in result.stderr
    result = run(db, "export", str(tmp_path / "none"), "--query", "nowhere-to-be-found")
    assert result.exit_code != 0 and "no case matches 'nowhere-to-be-found'" in result.stderr
    assert not (tmp_path / "none").exists()


def test_a_search_for_an_export_is_not_cut_at_a_page(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from recorder.domain.clock import FixedClock
    from recorder.read.search import LIMIT, case_ids, search
    from recorder.write.cases import open_case
    from recorder.write.contacts import log_contact

    store = open_store(
        str(tmp_path / "s.sqlite3"), clock=FixedClock(datetime(2026, 11, 24, tzinfo=UTC))
    )
    with store.write() as tx:
        for n in range(LIMIT + 10):
            case = open_case(tx, platform="Gemini", title=f"Problem {n}")
            assert case.id is not None
            when = datetime(2026, 11, 1, tzinfo=UTC)
            log_contact(tx, case_id=case.id, channel="email", direction="outbound",
                        occurred_at=when, text=f"Ledger {n}")  # fmt: skip
    with store.reader() as reader:
        assert len(search(reader, "ledger")) == LIMIT
        assert len(case_ids(reader, "ledger")) == LIMIT + 10
        assert len(case_ids(reader, "problem")) == LIMIT + 10
    store.close()
