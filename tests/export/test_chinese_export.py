"""An export made in Chinese: its readable files speak Chinese, its records and its
archival metadata stay as they are, and it verifies like the English one, whatever
language the verifier's recorder speaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.evidence import bag, tampered, verify


@pytest.fixture
def in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECORDER_LANG", "zh_CN")


def test_the_readable_files_speak_the_exporters_language(
    filled: tuple[str, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, ids = filled
    monkeypatch.setenv("RECORDER_LANG", "zh_CN")
    dest = tmp_path / "zh"
    fingerprint = bag(Path(db), dest)
    data = dest / "data"
    page = (data / "timeline.html").read_text("utf-8")
    assert '<html lang="zh-CN">' in page
    assert "<h1>客服联系历史：证据导出</h1>" in page
    assert f"案件 #{ids['chinese']}：充值USDT未到账" in page
    assert "渠道" in page and "方向" in page
    markdown = (data / "timeline.md").read_text("utf-8")
    assert markdown.startswith("# 客服联系历史：证据导出")
    heading = (data / "contacts.csv").read_text("utf-8-sig").splitlines()[0]
    assert heading.startswith('"案件编号","案件标题","平台","联系记录编号"')
    # The records are an interface: English keys and values, and the language named.
    records = json.loads((data / "records.json").read_text("utf-8"))
    assert records["language"] == "zh_CN"
    assert records["cases"][0]["status"] in {"open", "waiting_on_support", "closed", "escalated"}
    info = (dest / "bag-info.txt").read_text("utf-8")
    assert "External-Description: Record of contacts with customer support" in info

    # Verified by a recorder speaking English, and by one speaking Chinese. Without
    # the fingerprint, verify makes the readable files again from the records: in
    # the language records.json names, whatever its own.
    monkeypatch.setenv("RECORDER_LANG", "en")
    consistent = verify(Path(db), str(dest))
    assert consistent.exit_code == 0, consistent.output + consistent.stderr
    assert "consistent (fingerprint" in consistent.stdout
    english = verify(Path(db), str(dest), "--fingerprint", fingerprint)
    assert english.exit_code == 0, english.output + english.stderr
    assert english.stdout.startswith("OK: ")
    monkeypatch.setenv("RECORDER_LANG", "zh_CN")
    chinese = verify(Path(db), str(dest), "--fingerprint", fingerprint)
    assert chinese.exit_code == 0, chinese.output + chinese.stderr
    assert chinese.stdout.startswith("通过：")
    assert "与指纹为" in chinese.stdout


def test_an_english_bag_verifies_in_chinese(
    filled: tuple[str, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ids = filled
    dest = tmp_path / "en"
    fingerprint = bag(Path(db), dest)
    assert '<html lang="en">' in (dest / "data" / "timeline.html").read_text("utf-8")
    monkeypatch.setenv("RECORDER_LANG", "zh_CN")
    for given in ((), ("--fingerprint", fingerprint)):
        result = verify(Path(db), str(dest), *given)
        assert result.exit_code == 0, result.output + result.stderr


def test_a_changed_chinese_timeline_is_found(
    filled: tuple[str, dict[str, int]], tmp_path: Path, in_chinese: None
) -> None:
    db, _ids = filled

    def reword(bag_dir: Path) -> None:
        page = bag_dir / "data" / "timeline.html"
        page.write_text(page.read_text("utf-8").replace("来自客服", "由我发出", 1), "utf-8")

    problems = tampered(Path(db), tmp_path, reword, rehash=True)
    assert any("data/timeline.html" in p for p in problems), problems


def test_a_bag_claiming_a_language_recorder_does_not_speak_is_refused(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, _ids = filled

    def foreign(bag_dir: Path) -> None:
        path = bag_dir / "data" / "records.json"
        text = path.read_text("utf-8")
        assert '"language":"en"' in text.replace(" ", "")
        path.write_text(text.replace('"language": "en"', '"language": "tlh"'), "utf-8")

    problems = tampered(Path(db), tmp_path, foreign, rehash=True)
    assert any("language" in p or "records.json" in p for p in problems), problems
