"""A DataTable that is filled once it has first been given its size."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import DataTable


class SizedTable(DataTable[Any]):
    """A DataTable that calls `fill` once it has been laid out, and not before.

    A DataTable drops the cells it has rendered whenever it is resized, its first
    sizing included, and the screen's first paint comes before that: rows added before
    then were rendered twice, and a hundred rows take a frame each time. `fill` is
    called from the resize itself, not through a message, so that the table measures
    the new rows (when it is next idle) before the screen paints them, and the
    scrollbar comes with them rather than a frame later. Until then `is_sized` is
    False, and whoever fills the table leaves it to `fill`.
    """

    def __init__(self, *, fill: Callable[[], object], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fill_rows = fill
        self.is_sized = False
        """Whether the table has been laid out (and `fill` called)."""

    def on_resize(self) -> None:
        """Fill the table, the first time."""
        if not self.is_sized:
            self.is_sized = True
            self._fill_rows()
