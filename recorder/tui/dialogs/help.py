"""HelpScreen: every key of the current screen and of the app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

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
    HelpScreen #keys { height: auto; }
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
            yield Static(self.table(), id="keys")
            yield Static(MARKS)
            yield Static("esc closes this", classes="hint")

    def table(self) -> Table:
        """The keys and what they do: what they do wraps to the width there is, so that
        nothing is cut on a narrow terminal (the dialog scrolls instead)."""
        table = Table(box=None, expand=True, show_edge=False, padding=(0, 1))
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Does", ratio=1, overflow="fold")
        for action in self.actions:
            table.add_row(key_label(action.key), action.tooltip)
        return table

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
