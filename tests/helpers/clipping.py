"""What a screen cuts off: labels, column headings, placeholders and footer keys whose
text does not fit the cells they were given (measured in terminal cells, so that a
Chinese character counts two)."""

from __future__ import annotations

from math import ceil

from rich.cells import cell_len
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Label


def _lines_needed(text: str, width: int) -> int:
    return sum(max(1, ceil(cell_len(line) / width)) for line in text.splitlines() or [""])


def clipped(screen: Screen[object]) -> list[str]:
    """Each text on `screen` that is cut, as `widget: text`; [] when nothing is."""
    found: list[str] = []

    def cut(widget: Widget, text: str) -> None:
        found.append(f"{type(widget).__name__}#{widget.id or ''}: {text!r}")

    for widget in screen.query("*"):
        if not widget.display or widget.region.width == 0:
            continue
        box = widget.content_region
        if isinstance(widget, Label | Button):
            text = str(widget.render())
            if box.width and _lines_needed(text, box.width) > box.height:
                cut(widget, text)
        elif isinstance(widget, Checkbox):
            text = str(widget.label)
            if cell_len(text) + 4 > box.width:
                cut(widget, text)
        elif isinstance(widget, Input) and not widget.value:
            if cell_len(widget.placeholder) > box.width:
                cut(widget, widget.placeholder)
        elif isinstance(widget, DataTable):
            for column in widget.columns.values():
                if not column.auto_width and column.label.cell_len > column.width:
                    cut(widget, column.label.plain)
    for footer in screen.query(Footer):
        edge = footer.region.right
        for key in footer.query("*"):
            if key.region.width and key.region.x < edge < key.region.right:
                cut(key, str(key.render()))
    return found
