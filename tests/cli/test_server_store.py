"""The command line on a store kept by a PostgreSQL server, as a household or a small
team would point every member's recorder at it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import ok, run
from tests.helpers.postgres import Server


@pytest.mark.backends
def test_the_flow_of_a_case_is_the_same_on_every_back_end(store_url: str, tmp_path: Path) -> None:
    case = ok(store_url, "case", "new", "--platform", "Gemini", "--title", "提现一直审核中").strip()
    ok(store_url, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 10:00",
       "--text", "My BTC withdrawal has been pending since Monday")  # fmt: skip
    ok(store_url, "log", "--case", case, "--channel", "email", "--direction", "inbound",
       "--at", "2026-11-20 11:00", "--text", "Your request (4242) has been received")  # fmt: skip
    listed = json.loads(ok(store_url, "list", "--json"))
    assert [c["title"] for c in listed] == ["提现一直审核中"]
    assert "4242" in ok(store_url, "show", case)
    assert "**pending** since Monday" in ok(store_url, "search", "pending")
    assert "**pending** **since** Monday" in ok(store_url, "search", "PENDING Since")
    assert "My **BTC**" in ok(store_url, "search", "btc")  # shorter than a trigram
    # The case list's filter (the TUI's "/"): words in any case, reference numbers too.
    from recorder.read.cases import list_cases
    from recorder.write.opening import open_store

    store = open_store(store_url)
    with store.reader() as reader:
        (found,) = list_cases(reader, text="4242 GEMINI 审核")
    store.close()
    assert found.title == "提现一直审核中"
    assert "**提现**" in ok(store_url, "search", "提现")
    assert "OK: audit chain of" in ok(store_url, "db", "verify")
    bag = tmp_path / "evidence"
    ok(store_url, "export", str(bag))
    assert "OK:" in ok(store_url, "verify", str(bag))
    # A seed phrase pasted by mistake: found, and masked in the record.
    seed = " ".join(["abandon"] * 11 + ["about"])
    ok(store_url, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 12:00", "--text", f"support asked for my words: {seed}")  # fmt: skip
    assert "seed phrase" in ok(store_url, "scan")
    redacted = run(store_url, "redact", "--case", case)
    assert "removed 1 seed phrase" in redacted.stdout
    # What a server keeps of the text as it was is said, not promised away.
    assert ("VACUUM FULL" in redacted.stderr) == store_url.startswith("postgresql")
    assert "no secrets found" in ok(store_url, "scan")
    assert "OK: audit chain of" in ok(store_url, "db", "verify")


def _said(result_output: str) -> str:
    lines = [line for line in result_output.splitlines() if line.strip()]
    assert len(lines) == 1, result_output
    return lines[0]


def test_a_server_that_is_not_there_is_one_line(postgres: Server) -> None:
    url = postgres.url().replace(f":{postgres.port}/", ":1/")
    result = run(url, "list")
    assert result.exit_code == 1
    said = _said(result.stderr)
    assert "cannot reach the PostgreSQL server" in said
    assert "Connection refused" in said


def test_a_refused_login_is_one_line_and_never_shows_the_password(postgres: Server) -> None:
    result = run(postgres.url(password="not-the-password"), "list")
    assert result.exit_code == 1
    said = _said(result.stderr)
    assert "refused the login" in said
    assert "password authentication failed" in said
    assert "not-the-password" not in said


def test_a_database_that_does_not_exist_is_one_line(postgres: Server) -> None:
    result = run(postgres.url("no_such_store"), "list")
    assert result.exit_code == 1
    assert "has no such database" in _said(result.stderr)


def test_a_missing_driver_names_the_extra_to_install(
    postgres: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if psycopg were not installed: importing it fails.
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)
    result = run(postgres.url(), "list")
    assert result.exit_code == 1
    assert "pip install 'recorder[postgres]'" in _said(result.stderr)


@pytest.mark.backends
def test_an_attachment_one_member_logged_is_in_every_member_s_export(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shot = tmp_path / "pending withdrawal.png"
    shot.write_bytes(b"\x89PNG " + bytes(range(256)) * 9000)  # more than a chunk
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "anna"))
    case = ok(store_url, "case", "new", "--platform", "Gemini", "--title", "Withdrawal").strip()
    ok(store_url, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 10:00", "--text", "see the screenshot",
       "--attach", str(shot))  # fmt: skip
    monkeypatch.setenv("RECORDER_DATA_DIR", str(tmp_path / "ben"))
    bag = tmp_path / "evidence"
    ok(store_url, "export", str(bag))
    (copied,) = (bag / "data" / "attachments").iterdir()
    assert copied.read_bytes() == shot.read_bytes()
    assert "1 attachment files match" in ok(store_url, "db", "verify")


def test_a_changed_attachment_in_the_database_is_found(postgres: Server, tmp_path: Path) -> None:
    import sqlalchemy as sa

    url = postgres.new_database()
    shot = tmp_path / "receipt.pdf"
    shot.write_bytes(b"%PDF-1.7 the withdrawal receipt")
    case = ok(url, "case", "new", "--platform", "Gemini", "--title", "Withdrawal").strip()
    ok(url, "log", "--case", case, "--channel", "email", "--direction", "outbound",
       "--at", "2026-11-20 10:00", "--text", "receipt attached", "--attach", str(shot))  # fmt: skip
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE blob_chunks SET data = 'forged'::bytea"))
    engine.dispose()
    result = run(url, "db", "verify")
    assert result.exit_code != 0
    assert "receipt.pdf): its file in the store's database was changed" in result.output
    postgres.drop_database(url)


def test_the_password_in_a_store_s_url_is_never_shown(postgres: Server) -> None:
    from recorder.store.locations import without_password

    shown = ok(postgres.url(), "locate")
    assert "recorder:***@127.0.0.1" in shown
    assert "attachments  in the store's database" in shown
    assert "secret" not in shown
    assert without_password("sqlite:////tmp/a:b@c.sqlite3") == "sqlite:////tmp/a:b@c.sqlite3"
    assert without_password("postgresql://li@db/r") == "postgresql://li@db/r"
    said = run("postgresql+nosuch://li:hunter2@db/r", "list").stderr
    assert "li:***@db" in said
    assert "hunter2" not in said


def test_members_of_the_database_s_owner_role_share_its_tables(
    postgres: Server, tmp_path: Path
) -> None:
    """As the README says: each member logs in with their own role, and the database
    belongs to a role they are all members of. Whoever creates the tables, the others
    use them; each change names its member."""
    name = f"household_{tmp_path.name[-12:].replace('-', '_')}"
    anna, ben = f"{name}_anna", f"{name}_ben"
    postgres.admin(f"CREATE ROLE {name} NOLOGIN")
    for member in (anna, ben):
        postgres.admin(f"CREATE ROLE {member} LOGIN PASSWORD 'pw' IN ROLE {name}")
    postgres.admin(f"CREATE DATABASE {name} OWNER {name}")
    as_anna = f"postgresql+psycopg://{anna}:pw@127.0.0.1:{postgres.port}/{name}"
    as_ben = f"postgresql+psycopg://{ben}:pw@127.0.0.1:{postgres.port}/{name}"

    case = ok(as_anna, "case", "new", "--platform", "Gemini", "--title", "Frozen").strip()
    ok(as_ben, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 10:00", "--text", "Ben asked in the chat")  # fmt: skip
    assert "logged by " + ben in ok(as_anna, "show", case)
    assert "OK: audit chain of" in ok(as_ben, "db", "verify")
    import sqlalchemy as sa

    engine = sa.create_engine(postgres.url(name))
    with engine.connect() as conn:
        owners = conn.execute(
            sa.text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        assert list(owners) == [name]
        members = conn.execute(
            sa.text("SELECT DISTINCT member FROM audit_events ORDER BY member")
        ).scalars()
        assert list(members) == [anna, ben]
    engine.dispose()
    postgres.drop_database(postgres.url(name))


def test_search_on_a_server_is_served_by_its_trigram_indexes(postgres: Server) -> None:
    """Where the server has pg_trgm, a new store gets trigram indexes, and the queries
    search makes are ones they serve (each table's texts as the index holds them), in
    Chinese as in English."""
    import sqlalchemy as sa

    from recorder.read.search import search
    from recorder.store.session import AlchemyReader
    from recorder.write.opening import open_store

    url = postgres.new_database()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        has = conn.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"))
        if has.first() is None:
            pytest.skip("this server has no pg_trgm (the pgserver wheel ships no contrib)")
    engine.dispose()
    case = ok(url, "case", "new", "--platform", "Gemini", "--title", "提现一直审核中").strip()
    ok(url, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 10:00", "--text", "TxID 0x9f3e1c77 还没有到账")  # fmt: skip
    store = open_store(url)
    asked: list[str] = []

    class Recording(AlchemyReader):
        def rows(self, sql: str, params: Any = None) -> list[Any]:
            asked.append(sql)
            return super().rows(sql, params)

    with store.engine.connect() as conn, conn.begin():
        names = conn.execute(sa.text("SELECT indexname FROM pg_indexes")).scalars().all()
        assert {"search_cases_trgm", "search_contacts_trgm"} <= set(names)
        for query, table in (("9F3E1C", "contacts"), ("没有到账", "contacts"), ("审核中", "cases")):
            asked.clear()
            hits = search(Recording(conn), query)
            assert hits and hits[0].snippet, query
            (sql,) = [q for q in asked if "ILIKE" in q and f"FROM {table}" in q][:1]
            conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(
                conn.execute(sa.text("EXPLAIN " + sql), {"like0": f"%{query}%"}).scalars()
            )
            assert f"search_{table}_trgm" in plan, plan
    store.close()
    postgres.drop_database(url)


def test_reading_a_store_on_a_server_never_imports_sqlalchemy(postgres: Server) -> None:
    """As on SQLite, `list`, `show`, `due` and `search` read through the driver alone:
    importing SQLAlchemy would be most of their time (bench/bench_cli.py --postgres)."""
    import subprocess
    import sys

    url = postgres.new_database()
    case = ok(url, "case", "new", "--platform", "Gemini", "--title", "提现一直审核中").strip()
    ok(url, "log", "--case", case, "--channel", "chat", "--direction", "outbound",
       "--at", "2026-11-20 10:00", "--text", "Still pending, TxID 0x9f3e")  # fmt: skip
    for command in (["list", "--json"], ["show", case, "--json"], ["due", "--json"],
                    ["search", "pending"], ["search", "审核"]):  # fmt: skip
        probe = (
            "import sys\nfrom recorder.cli import cli\ntry:\n"
            f"    cli.main(['--db', {url!r}, *{command!r}])\n"
            "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
            "print('LOADED', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
        )
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout
        said, _, loaded = out.rpartition("LOADED ")
        assert "psycopg" in loaded.split(), command  # the probe did read the server
        assert not set(loaded.split()) & {"sqlalchemy", "sqlmodel", "alembic"}, command
        if command[0] == "search":
            assert "**" in said, command  # found, as the full store finds it
    assert json.loads(ok(url, "list", "--json"))[0]["title"] == "提现一直审核中"
    postgres.drop_database(url)
