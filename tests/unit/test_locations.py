"""Where stores live, and how their paths become URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from recorder.store.locations import resolve, sqlite_path, sqlite_url


@pytest.mark.parametrize("name", ["plain", "100% sure", "what?", "#1", "a%3Fb", "中文 目录"])
def test_a_path_survives_the_round_trip_through_a_url(name: str, tmp_path: Path) -> None:
    path = tmp_path / name / "store.sqlite3"
    url = sqlite_url(path)
    assert sqlite_path(url) == path
    assert sa.engine.make_url(url).database == str(path)


def test_db_value_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve("rel.sqlite3").database == tmp_path / "rel.sqlite3"
    assert resolve(f"sqlite:///{tmp_path}/u.sqlite3").attachments == tmp_path / "attachments"
    server = resolve("postgresql://me@db.example/recorder")
    assert server.database is None
    assert server.url == "postgresql://me@db.example/recorder"
    assert resolve("sqlite://").database is None
