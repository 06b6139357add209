"""HelpScreen: every key of the current screen and of the app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from recorder.domain.i18n import N_, _
from recorder.tui.actions import APP_ACTIONS, CLOSE, UserAction, bindings
from recorder.tui.context import RecorderDialog

MARKS = N_(
    "Marks: [b magenta]![/] urgent (sorted first among equal follow-up times) · "
    "[b yellow]⚑[/] possible duplicate · [b red]late[/] overdue"
)

KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter"}


def key_label(key: str) -> str:
    """How a key is written for people."""
    return KEY_NAMES.get(key, key.replace("ctrl+", "^"))


class HelpScreen(RecorderDialog[None]):
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
            yield Static(_("[b]Keys[/b]  (every action is also in the command palette: ^p)"))
            yield Static(self.table(), id="keys")
            yield Static(_(MARKS))
            yield Static(_("esc closes this"), classes="hint")

    def table(self) -> Table:
        """The keys and what they do: what they do wraps to the width there is, so that
        nothing is cut on a narrow terminal (the dialog scrolls instead)."""
        table = Table(box=None, expand=True, show_edge=False, padding=(0, 1))
        table.add_column(_("Key"), style="bold", no_wrap=True)
        table.add_column(_("Does"), ratio=1, overflow="fold")
        for action in self.actions:
            table.add_row(key_label(action.key), _(action.tooltip))
        return table

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
