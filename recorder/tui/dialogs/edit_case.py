"""EditCaseScreen: change a case's title, priority and identifiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from recorder.domain.errors import RecorderError
from recorder.domain.i18n import _
from recorder.domain.vocabulary import IDENTIFIER_LABELS, IDENTIFIERS
from recorder.read.cases import CaseDetail
from recorder.tui.actions import FORM_ACTIONS, UserAction, bindings
from recorder.tui.context import RecorderDialog
from recorder.tui.workers import WorkerResult
from recorder.write.cases import CaseEdit


class EditCaseScreen(RecorderDialog[bool]):
    """A small form over the case view; ctrl+s saves, escape leaves it as it was."""

    DEFAULT_CSS = """
    EditCaseScreen { align: center middle; }
    EditCaseScreen > Vertical { width: 70; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: round $accent; background: $surface; padding: 0 1; }
    EditCaseScreen Horizontal { height: 1; }
    EditCaseScreen Label { width: 10; color: $text-muted; }
    EditCaseScreen Input, EditCaseScreen Select { width: 1fr; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = FORM_ACTIONS
    BINDINGS = bindings(FORM_ACTIONS)  # type: ignore[assignment]

    @dataclass
    class Saved(WorkerResult):
        """The change was saved, or (`error`) refused."""

        error: str | None = None

    def __init__(self, detail: CaseDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        """One line per field, then the place for an error."""
        with Vertical():
            yield Static(_("[b]Edit case #{id}[/b]").format(id=self.detail.id))
            with Horizontal():
                yield Label(_("Title"))
                yield Input(self.detail.title, id="title", compact=True)
            with Horizontal():
                yield Label(_("Priority"))
                yield Select[str](
                    [(_("Normal"), "normal"), (_("Urgent"), "urgent")],
                    value=self.detail.priority,
                    allow_blank=False,
                    id="priority",
                    compact=True,
                )
            for key, label in IDENTIFIER_LABELS.items():
                with Horizontal():
                    yield Label(_(label))
                    yield Input(self.detail.identifiers.get(key) or "", id=key, compact=True)
            yield Static("", id="error", classes="error hidden")
            yield Static(_("ctrl+s saves · esc leaves it as it was"), classes="hint")

    def action_save(self) -> None:
        """Save the changes."""
        ids = {key: self.query_one(f"#{key}", Input).value.strip() or None for key in IDENTIFIERS}
        self._save(
            CaseEdit(
                title=self.query_one("#title", Input).value,
                priority=str(self.query_one("#priority", Select).value),
                txid=ids["txid"],
                order_number=ids["order_number"],
                account_email=ids["account_email"],
                asset=ids["asset"],
                amount=ids["amount"],
            )
        )

    @work(thread=True, exclusive=True, group="write")
    def _save(self, changes: CaseEdit) -> None:
        from recorder.write.cases import edit_case

        try:
            with self.context.access.store().write() as tx:
                edit_case(tx, self.detail.id, changes)
        except RecorderError as exc:
            self.post_message(self.Saved(str(exc)))
            return
        self.post_message(self.Saved())

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        if message.error is None:
            self.dismiss(True)
            return
        error = self.query_one("#error", Static)
        error.update(_("Nothing was saved: {error}").format(error=message.error))
        error.remove_class("hidden")

    def action_cancel(self) -> None:
        """Leave without saving."""
        self.dismiss(False)
