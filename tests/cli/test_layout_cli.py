"""`recorder list` lines up its columns in terminal cells, Chinese titles included, and
says its counts in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from recorder.domain.printable import cells, fit, fit_right
from tests.helpers.cli import ok


def test_columns_line_up_whatever_the_script(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    for title in (
        "BTC withdrawal pending",
        "提现一直处于审核中，已经五天了，客服不回复工单",
        "Short",
    ):
        ok(db, "case", "new", "--platform", "Gemini", "--title", title)
    *lines, zone = ok(db, "list").splitlines()
    assert len(lines) == 3 and zone == "(times in America/New_York)"
    starts = {cells(line[: line.index(" ref ")]) for line in lines}
    assert len(starts) == 1, lines
    assert any("…" in line for line in lines)  # the long Chinese title is cut, marked


def test_fit_pads_and_cuts_to_exact_cells() -> None:
    assert fit("abc", 5) == "abc  "
    assert cells(fit("提现一直处于审核中", 9)) == 9
    assert fit("提现一直处于审核中", 9).endswith("… ") or fit("提现一直处于审核中", 9).endswith("…")


def test_columns_line_up_in_chinese_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The translated statuses differ in width (未结, 等客服答复): still one column."""
    db = tmp_path / "s.sqlite3"
    for title in ("BTC withdrawal pending", "提现一直处于审核中"):
        ok(db, "case", "new", "--platform", "Gemini", "--title", title)
    ok(db, "case", "status", "2", "waiting_on_support")
    monkeypatch.setenv("RECORDER_LANG", "zh_CN")
    *lines, _zone = ok(db, "list").splitlines()
    assert {"未结", "等客服答复"} <= {line.split()[1] for line in lines}
    starts = {cells(line[: line.index(" 编号 ")]) for line in lines}
    assert len(starts) == 1, lines


def test_fit_right_pads_on_the_left_in_cells() -> None:
    assert fit_right("90%", 5) == "  90%"
    assert fit_right("中位数", 8) == "  中位数"
    assert cells(fit_right("中位数中位数", 8)) == 8
