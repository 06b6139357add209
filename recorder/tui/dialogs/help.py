"""HelpScreen: every key of the current screen and of the app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from recorder.tui.actions import APP_ACTIONS, CLOSE, UserAction, bindings

MARKS = (
    "Marks: [b magenta]![/] urgent (sorted first among equal follow-up times) · "
    "[b yellow]⚑[/] possible duplicate · [b red]late[/] overdue"
)

KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter"}


def key_label(key: str) -> str:
    """How a key is written for people."""
    return KEY_NAMES.get(key, key.replace("ctrl+", "^"))


class HelpScreen(ModalScreen[None]):
    """The keys, with what they do; the command palette (^p) offers the same."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 72; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: round $accent; background: $surface; padding: 0 1; }
    HelpScreen DataTable { height: auto; max-height: 16; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = (CLOSE,)
    BINDINGS = bindings((CLOSE,))  # type: ignore[assignment]

    def __init__(self, actions: Sequence[UserAction]) -> None:
        super().__init__()
        self.actions = [*actions, *APP_ACTIONS]

    def compose(self) -> ComposeResult:
        """The table of keys."""
        with Vertical():
            yield Static("[b]Keys[/b]  (every action is also in the command palette: ^p)")
            yield DataTable(show_cursor=False)
            yield Static(MARKS)
            yield Static("esc closes this", classes="hint")

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does")
        for action in self.actions:
            table.add_row(key_label(action.key), action.tooltip)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
