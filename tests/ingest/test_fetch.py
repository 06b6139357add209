"""`recorder fetch` against a real IMAP server on this machine: new messages once, only
the platforms' and the user's own to them, the password never kept."""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from recorder.domain.errors import InputError
from recorder.ingest.imap import Account, password_of
from tests.helpers.cli import ok, run
from tests.helpers.imap import PASSWORD, USER, Server, imap_server
from tests.ingest.conftest import HELPDESKS

THREAD = sorted(HELPDESKS.glob("0[1-4]-*.eml"))
NEWSLETTER = (
    b"From: news@shop.example\r\nTo: li.wei@example.org\r\nSubject: Sale\r\n"
    b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <n1@shop.example>\r\n\r\n50% off\r\n"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with imap_server(tmp_path / "pymap.log") as running:
        yield running


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A SQLite store (these tests read its file) in which the user writes from
    li.wei@example.org and Kraken is known."""
    path = tmp_path / "store.sqlite3"
    ok(path, "settings", "set", "my_addresses", "li.wei@example.org")
    ok(path, "platform", "add", "Kraken", "--domain", "kraken.com")
    return path


def password_command(db: Path) -> str:
    """A command that prints the password, as `pass show mail` would."""
    secret = db.parent / "secret"
    secret.write_text(PASSWORD + "\n", "utf-8")
    return f"cat {secret}"


def fetch(db: Path, server: Server, *args: str) -> dict[str, object]:
    result = run(
        db, "fetch", "--json", "--host", "127.0.0.1", "--port", str(server.port),
        "--user", USER, "--password-command", password_command(db), *args,
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output + result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


def test_fetch_twice_fetches_once(db: Path, server: Server) -> None:
    server.append("INBOX", *(p.read_bytes() for p in THREAD[1:3]), NEWSLETTER)
    server.append("Sent", THREAD[0].read_bytes(), THREAD[3].read_bytes())
    first = fetch(db, server, "--folder", "Sent", "--folder", "INBOX")
    assert (first["imported"], first["present"], first["refused"]) == (4, 0, 0)
    case = json.loads(ok(db, "show", "1", "--json"))
    assert len(case["contacts"]) == 4  # the newsletter is not fetched
    second = fetch(db, server)  # the folders and the command are remembered
    assert second["messages"] == []
    server.append("INBOX", (HELPDESKS / "05-phishing.eml").read_bytes())
    third = fetch(db, server)
    assert third["imported"] == 1


def test_a_new_uidvalidity_reads_the_folder_again_and_keeps_what_was_there(
    db: Path, server: Server, tmp_path: Path
) -> None:
    server.append("INBOX", THREAD[1].read_bytes())
    ok(db, "import", str(THREAD[0]))
    assert fetch(db, server)["imported"] == 1
    with sqlite3.connect(db) as conn:  # as after the server rebuilt the folder
        conn.execute("UPDATE mail_folders SET uidvalidity = uidvalidity + 1")
    again = fetch(db, server)
    assert (again["imported"], again["present"]) == (0, 1)


def test_the_password_is_in_neither_the_store_nor_its_settings(db: Path, server: Server) -> None:
    server.append("INBOX", THREAD[1].read_bytes())
    fetch(db, server)
    for path in db.parent.glob("store.sqlite3*"):
        assert PASSWORD.encode() not in path.read_bytes(), path
    shown = json.loads(ok(db, "settings", "show", "--json"))
    assert shown["imap_account"]["password_command"] == password_command(db)


def test_a_wrong_password_is_one_line(db: Path, server: Server) -> None:
    result = run(
        db, "fetch", "--host", "127.0.0.1", "--port", str(server.port), "--user", USER,
        "--password-command", "printf wrong",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "refused the login for li" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_tls_is_required_except_to_this_machine() -> None:
    assert Account("imap.example.com", "li").tls
    assert Account("imap.example.com", "li", port=143).tls
    assert not Account("127.0.0.1", "li", port=1143).tls
    assert Account("localhost", "li", port=993).tls


def test_a_failing_password_command_says_so() -> None:
    with pytest.raises(InputError, match="the password command failed"):
        password_of(Account("127.0.0.1", "li", password_command="false"))
    with pytest.raises(InputError, match="printed nothing"):
        password_of(Account("127.0.0.1", "li", password_command="true"))


def test_without_a_password_command_or_keyring_the_way_is_said(
    db: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    result = run(db, "fetch", "--host", "127.0.0.1", "--port", str(server.port), "--user", USER)
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith(f"recorder: no password for {USER}@127.0.0.1")
    assert "keyring set recorder" in line and "--password-command" in line
    assert len(line.splitlines()) == 1


def test_a_server_elsewhere_without_tls_is_refused_before_the_password_is_sent(
    db: Path, tmp_path: Path
) -> None:
    # 127.0.0.2 is this machine too, but recorder treats any other address as remote:
    # the TLS handshake fails, so the login (and its password) is never sent.
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.2", 0))
        except OSError:
            pytest.skip("this system has no loopback address 127.0.0.2 (Linux has)")
    with imap_server(tmp_path / "plain.log", host="127.0.0.2") as plain:
        result = run(
            db, "fetch", "--host", "127.0.0.2", "--port", str(plain.port), "--user", USER,
            "--password-command", password_command(db),
        )  # fmt: skip
    assert result.exit_code == 1
    assert "cannot reach 127.0.0.2 over TLS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
