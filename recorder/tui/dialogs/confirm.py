"""ConfirmScreen: a yes-or-no question before something that cannot be undone."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from recorder.domain.i18n import N_, _
from recorder.tui.context import RecorderDialog


class ConfirmScreen(RecorderDialog[bool]):
    """Asks a question; answers True for y, False for n or escape."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: round $warning; background: $surface; padding: 1 2; }
    """

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("y", "answer(True)", N_("Yes"), id="confirm_yes", tooltip=N_("Yes, do it")),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm_no", tooltip=N_("No, leave it")),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and the keys that answer it."""
        with Vertical():
            yield Static(self.question)
            yield Static("\n" + _("[b]y[/b] yes   [b]n[/b] no"), classes="hint")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
