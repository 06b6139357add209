"""`recorder list` lines up its columns in terminal cells, Chinese titles included, and
says its counts in English."""

from __future__ import annotations

from pathlib import Path

from recorder.domain.printable import cells, fit
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
