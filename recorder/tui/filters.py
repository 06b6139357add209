"""A line filter that drops the control characters stored text may hold: a transcript
with `ESC [2J` in it must show as text, not clear the terminal (recorder.domain.printable).

Textual applies an app's line filters to every line a widget renders, so this is the
one place the TUI needs it. Control characters take no cells, so dropping them keeps
every line's width.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from recorder.domain.printable import CONTROLS, without_controls


class DropControls(LineFilter):
    """Drop control characters from the text of every segment (not from the segments
    that carry Textual's own control codes)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The segments, without control characters in their text."""
        if not any(CONTROLS.search(s.text) for s in segments if not s.control):
            return segments
        return [
            s if s.control else Segment(without_controls(s.text), s.style, s.control)
            for s in segments
        ]
