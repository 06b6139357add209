"""The evidence page links each attachment beside it in the bag, shows screenshots,
and says in which time zones its times are."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest

from recorder.domain.dates import wall_time
from tests.helpers.cli import ok

pytestmark = pytest.mark.backends


def test_times_are_in_the_exporters_zone_named_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bag shows its times in the zone of whoever exported it, as the TUI and the CLI
    do, and names that zone once; verify makes the same pages again in any zone."""
    db = tmp_path / "s.sqlite3"
    ok(db, "case", "new", "--platform", "Gemini", "--title", "Withdrawal pending")
    ok(db, "log", "--case", "1", "--channel", "email", "--direction", "out",
       "--text", "Still pending", "--at", "2026-11-20T15:00:00+00:00")  # fmt: skip
    monkeypatch.setenv("RECORDER_TZ", "Asia/Shanghai")
    bag = tmp_path / "bag"
    ok(db, "export", str(bag))
    for name in ("timeline.html", "timeline.md"):
        text = unescape((bag / "data" / name).read_text("utf-8")).replace("\\", "")
        assert "2026-11-20 23:00" in text, name  # 15:00 UTC in Shanghai
        assert "2026-11-20 15:00" not in text, name  # not in UTC
        assert "2026-11-20 10:00" not in text, name  # nor in the platform's zone
        assert text.count("Asia/Shanghai") == 1, name
        assert "in Asia/Shanghai (CST, UTC+08:00 when exported)" in text, name
    rows = list(csv.DictReader(io.StringIO((bag / "data" / "contacts.csv").read_text("utf-8-sig"))))
    assert rows[0]["occurred_at_local"] == "2026-11-20T23:00:00+08:00"
    assert rows[0]["occurred_at_utc"] == "2026-11-20T15:00:00+00:00"
    monkeypatch.setenv("RECORDER_TZ", "America/New_York")
    assert ok(db, "verify", str(bag)).startswith("OK")


def test_an_hour_a_clock_change_repeats_says_which_it_was() -> None:
    zone = ZoneInfo("America/New_York")
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 EST, an hour later
    assert wall_time(first, zone) == "2026-11-01 01:30 EDT"
    assert wall_time(second, zone) == "2026-11-01 01:30 EST"
    assert wall_time(datetime(2026, 11, 2, 6, 30, tzinfo=UTC), zone) == "2026-11-02 01:30"


def test_the_page_links_its_files_and_shows_its_images(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    shot = tmp_path / "status page (1).png"
    shot.write_bytes(b"\x89PNG the status page")
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(b"%PDF-1.4 a statement")
    ok(db, "case", "new", "--platform", "Gemini", "--title", "Withdrawal pending")
    ok(db, "log", "--case", "1", "--channel", "chat", "--direction", "out", "--text", "See",
       "--attach", str(shot), "--attach", str(pdf))  # fmt: skip
    bag = tmp_path / "bag"
    ok(db, "export", str(bag))
    page = (bag / "data" / "timeline.html").read_text("utf-8")
    links = [unquote(unescape(h)) for h in re.findall(r'<a href="([^"]+)"', page)]
    assert len(links) == 2
    for link in links:
        assert (bag / "data" / link).is_file(), link
    assert {(bag / "data" / link).read_bytes() for link in links} == {
        shot.read_bytes(),
        pdf.read_bytes(),
    }
    (image,) = re.findall(r'<img src="([^"]+)"', page)
    assert (bag / "data" / unquote(unescape(image))).read_bytes() == shot.read_bytes()
    assert "in America/New_York (EST, UTC-05:00 when exported)" in unescape(page)
    assert ok(db, "verify", str(bag)).startswith("OK")
    # A page written alone has nothing beside it to link to.
    alone = tmp_path / "alone.html"
    ok(db, "export", "--format", "html", str(alone))
    assert "<a href=" not in alone.read_text("utf-8")
