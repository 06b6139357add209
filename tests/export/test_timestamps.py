"""RFC 3161 timestamps of the audit chain from a local authority (openssl ts on a test
CA): obtained by `recorder anchor --tsa`, kept in the store and in exports, checked by
`db verify` and `verify`."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import ok, run
from tests.helpers.evidence import bag, verify
from tests.helpers.tsa import Authority, authority

pytestmark = [
    pytest.mark.backends,
    pytest.mark.skipif(
        shutil.which("openssl") is None, reason="the test authority runs the openssl command"
    ),
]


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[Authority]:
    """A time-stamping authority on localhost."""
    with authority(tmp_path / "tsa") as running:
        yield running


def _anchor(db: Path, tsa: Authority, *extra: str) -> dict[str, object]:
    done = json.loads(ok(db, "anchor", "--tsa", tsa.url, *extra, "--json"))
    assert isinstance(done, dict)
    return done


def test_a_timestamped_anchor_is_kept_and_checked(
    filled: tuple[str, dict[str, int]], tsa: Authority
) -> None:
    db = filled[0]
    made = _anchor(db, tsa, "--tsa-ca", str(tsa.ca))
    assert made["timestamp"]
    (line,) = ok(db, "db", "verify", "--tsa-ca", str(tsa.ca)).splitlines()
    assert "1 timestamps hold, the latest: the chain to event " in line
    assert "(Example TSA)" in line
    (_, note) = ok(db, "db", "verify").splitlines()
    assert note.startswith("note: the timestamps' signatures were checked against the CA")


def test_a_timestamp_from_an_authority_one_does_not_trust_is_caught(
    filled: tuple[str, dict[str, int]], tsa: Authority, tmp_path: Path
) -> None:
    db = filled[0]
    _anchor(db, tsa)  # no CA given: kept, its signature unchecked
    with authority(tmp_path / "other", "Other") as other:
        result = run(db, "db", "verify", "--tsa-ca", str(other.ca))
    assert result.exit_code == 1
    assert "anchor #1: its timestamp its signature does not verify" in result.stdout


@pytest.mark.sqlite_only
def test_a_rewritten_anchor_no_longer_matches_its_timestamp(
    filled: tuple[str, dict[str, int]], tsa: Authority
) -> None:
    db = filled[0]
    _anchor(db, tsa, "--tsa-ca", str(tsa.ca))
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE anchors SET head = (SELECT hash FROM audit_events WHERE id = 1)")
    conn.close()
    problems = run(db, "db", "verify").stdout.splitlines()
    assert "anchor #1: its timestamp it covers another chain head" in problems


def test_exports_carry_the_timestamps_and_verify_checks_them(
    filled: tuple[str, dict[str, int]], tsa: Authority, tmp_path: Path
) -> None:
    db = filled[0]
    _anchor(db, tsa, "--tsa-ca", str(tsa.ca))
    dest = tmp_path / "bag"
    bag(db, dest)
    assert (dest / "data" / "timestamps" / "anchor-1.tsr").is_file()
    checked = verify(db, str(dest), "--tsa-ca", str(tsa.ca))
    assert checked.exit_code == 0, checked.stdout
    assert "existed at" in checked.stdout and "timestamped by Example TSA" in checked.stdout
    reply = dest / "data" / "timestamps" / "anchor-1.tsr"
    data = bytearray(reply.read_bytes())
    data[-20] ^= 0x01
    reply.write_bytes(bytes(data))
    import bagit

    bagit.Bag(str(dest)).save(manifests=True)
    forged = verify(db, str(dest), "--tsa-ca", str(tsa.ca))
    assert forged.exit_code == 1
    assert any(
        line.startswith("data/timestamps/anchor-1.tsr: ") for line in forged.stdout.splitlines()
    )


@pytest.mark.sqlite_only
def test_an_unreachable_authority_is_one_line_and_writes_nothing(
    filled: tuple[str, dict[str, int]],
) -> None:
    db = filled[0]
    result = run(db, "anchor", "--tsa", "http://127.0.0.1:9/tsa")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "recorder: time-stamping authority http://127.0.0.1:9/tsa: cannot reach it"
    )
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM anchors").fetchone()[0] == 0
    conn.close()
