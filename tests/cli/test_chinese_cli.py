"""The command line in Simplified Chinese: chosen by RECORDER_LANG, by the system's
locale or by the choice made in the TUI; its messages, errors and help translated,
its JSON the same in every language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from recorder.store.locations import save_language
from tests.helpers.cli import ok, run


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli" / "recorder.sqlite3"


@pytest.fixture
def case_id(db: Path) -> str:
    return ok(db, "case", "new", "--platform", "Gemini", "--title", "提现未到账").strip()


def test_messages_and_help_speak_chinese(
    db: Path, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECORDER_LANG", "zh_CN")
    assert "列出未结案件，最近有动态的在前。" in ok(db, "--help")
    assert "只看此状态的案件。" in ok(db, "list", "--help")
    said = ok(
        db,
        "log",
        "--case",
        case_id,
        "--direction",
        "out",
        "--channel",
        "ticket",
        "--ref",
        "7312081",
        "--text",
        "催促",
    )
    assert said.strip().isdigit()
    shown = ok(db, "show", case_id)
    assert "下一步" in shown and "工单 7312081" in shown and "时间为" in shown
    assert "案件 #" in ok(db, "case", "status", case_id, "resolved")
    assert ok(db, "list").startswith("没有未结案件")


def test_an_error_is_one_chinese_line(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECORDER_LANG", "zh_CN")
    result = run(db, "show", "999")
    assert result.exit_code == 1
    assert result.stderr == "recorder: 没有案件 #999\uff1b'recorder list --all' 会列出所有案件\n"
    result = run(db, "log", "--case", "1", "--direction", "out", "--channel", "chat", "--at", "x")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "无法读取时间 'x'\uff1b应为" in result.stderr
    # click's own words too: its usage errors and its help page.
    result = run(db, "log", "--case", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith("recorder: 缺少选项 '--")
    assert ok(db, "--help").startswith("用法: recorder")


def test_json_is_the_same_in_every_language(
    db: Path, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = ("--direction", "out", "--channel", "email", "--text", "where is my withdrawal?")
    ok(db, "log", "--case", case_id, *asked)
    ok(db, "log", "--case", case_id, *asked)  # the same again: two duplicate flags
    documents = {}
    for language in ("en", "zh_CN"):
        monkeypatch.setenv("RECORDER_LANG", language)
        documents[language] = [
            json.loads(ok(db, *command, "--json"))
            for command in (("show", case_id), ("dups", "--all"), ("due",), ("list",))
        ]
    assert documents["zh_CN"] == documents["en"]
    messages = " ".join(flag["message"] for flag in documents["en"][1])
    assert "is still inside its response window" in messages


def test_an_unknown_recorder_lang_is_refused_in_one_line(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECORDER_LANG", "fr")
    result = run(db, "list")
    assert result.exit_code == 1
    assert result.stderr == (
        "recorder: RECORDER_LANG='fr' is not a language recorder speaks; "
        "expected one of: en, zh_CN\n"
    )
    assert not db.exists()  # refused before anything was opened


def test_the_system_locale_and_the_tuis_choice_decide_without_recorder_lang(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECORDER_LANG")
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert ok(db, "list").startswith("没有未结案件")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert ok(db, "list").startswith("No open cases")
    save_language("zh_CN")  # as the TUI's language dialog keeps it
    assert ok(db, "list").startswith("没有未结案件")
    monkeypatch.setenv("RECORDER_LANG", "en")  # the environment still has the last word
    assert ok(db, "list").startswith("No open cases")


def test_the_installed_program_speaks_chinese(tmp_path: Path) -> None:
    """The console script, as a user runs it: the compiled catalog is found."""
    env = {**os.environ, "RECORDER_LANG": "zh_CN", "RECORDER_DB": str(tmp_path / "s.sqlite3")}
    done = subprocess.run(
        [sys.executable, "-m", "recorder", "list"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("没有未结案件")
