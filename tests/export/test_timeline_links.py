"""The evidence page links each attachment beside it in the bag, shows screenshots,
and says in which time zones its times are."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from tests.helpers.cli import ok


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
    assert "in each platform's own time zone, then in UTC" in unescape(page)
    assert ok(db, "verify", str(bag)).startswith("OK")
    # A page written alone has nothing beside it to link to.
    alone = tmp_path / "alone.html"
    ok(db, "export", "--format", "html", str(alone))
    assert "<a href=" not in alone.read_text("utf-8")
