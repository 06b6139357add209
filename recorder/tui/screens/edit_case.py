"""EditCaseScreen: change a case's title, priority and identifiers."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from recorder.errors import RecorderError
from recorder.queries import CaseDetail
from recorder.tui.actions import FORM_ACTIONS, UserAction, bindings
from recorder.tui.screens.case import IDENTIFIER_LABELS

if TYPE_CHECKING:
    from recorder.tui.app import RecorderApp


class EditCaseScreen(ModalScreen[bool]):
    """A small form over the case view; ctrl+s saves, escape leaves it as it was."""

    DEFAULT_CSS = """
    EditCaseScreen { align: center middle; }
    EditCaseScreen > Vertical { width: 70; height: auto; border: round $accent;
        background: $surface; padding: 0 1; }
    EditCaseScreen Horizontal { height: 1; }
    EditCaseScreen Label { width: 10; color: $text-muted; }
    EditCaseScreen Input, EditCaseScreen Select { width: 1fr; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = FORM_ACTIONS
    BINDINGS = bindings(FORM_ACTIONS)  # type: ignore[assignment]

    def __init__(self, detail: CaseDetail) -> None:
        super().__init__()
        self.detail = detail

    @property
    def recorder(self) -> RecorderApp:
        """The app, with its store."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """One line per field, then the place for an error."""
        with Vertical():
            yield Static(f"[b]Edit case #{self.detail.id}[/b]")
            with Horizontal():
                yield Label("Title")
                yield Input(self.detail.title, id="title", compact=True)
            with Horizontal():
                yield Label("Priority")
                yield Select[str](
                    [("Normal", "normal"), ("Urgent", "urgent")],
                    value=self.detail.priority,
                    allow_blank=False,
                    id="priority",
                    compact=True,
                )
            for key, label in IDENTIFIER_LABELS.items():
                with Horizontal():
                    yield Label(label)
                    yield Input(self.detail.identifiers.get(key) or "", id=key, compact=True)
            yield Static("", id="error", classes="error hidden")
            yield Static("ctrl+s saves · esc leaves it as it was", classes="hint")

    def action_save(self) -> None:
        """Save the changes."""
        changes: dict[str, str | None] = {
            key: self.query_one(f"#{key}", Input).value.strip() or None for key in IDENTIFIER_LABELS
        }
        changes["title"] = self.query_one("#title", Input).value
        changes["priority"] = str(self.query_one("#priority", Select).value)
        self._save(changes)

    @work(thread=True, exclusive=True, group="write")
    def _save(self, changes: dict[str, str | None]) -> None:
        from recorder.records import edit_case

        try:
            with self.recorder.access.store().write() as tx:
                edit_case(tx, self.detail.id, changes)
        except RecorderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, True)

    def _failed(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(f"Nothing was saved: {message}")
        error.remove_class("hidden")

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(False)
