"""A DataTable that says when it has first been given its size."""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.widgets import DataTable


class SizedTable(DataTable[Any]):
    """A DataTable that posts `Sized` once it has been laid out.

    A DataTable drops the cells it has rendered whenever it is resized, its first
    sizing included, and the screen's first paint comes before that. Rows added
    before then are rendered twice, and a hundred rows take a frame each time: fill
    the table on `Sized` instead (`is_sized` says whether that has happened).
    """

    class Sized(Message):
        """The table has its size, and can be filled."""

    is_sized = False
    """Whether the table has been laid out."""

    def on_resize(self) -> None:
        """Say so, the first time."""
        if not self.is_sized:
            self.is_sized = True
            self.post_message(self.Sized())
