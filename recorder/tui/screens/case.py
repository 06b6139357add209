"""CaseScreen: one case, its identifiers, and the timeline of its contacts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from recorder.errors import RecorderError
from recorder.queries import CaseDetail, ContactView, case_detail
from recorder.tui.actions import CASE_ACTIONS, UserAction, bindings
from recorder.tui.screens.tickets import STATUS_LABELS
from recorder.vocabulary import CaseStatus

if TYPE_CHECKING:
    from recorder.tui.app import RecorderApp

IDENTIFIER_LABELS = {
    "txid": "TxID",
    "order_number": "Order",
    "account_email": "Account",
    "asset": "Asset",
    "amount": "Amount",
}


def first_line(text: str, width: int = 60) -> str:
    """The first non-empty line of a text, cut to `width`."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


TIMELINE = (
    ("when", "When", 12),
    ("dir", "", 1),
    ("channel", "Channel", 11),
    ("ref", "Ref", 8),
    ("agent", "Agent", 8),
    ("text", "Message", None),
)
TIMELINE_FIXED = sum(width or 0 for _, _, width in TIMELINE) + 2 * len(TIMELINE) + 2
"""What the columns other than the message take, with the cells' padding and a scrollbar."""


class CaseScreen(Screen[None]):
    """A case's fields above the timeline of its contacts, oldest first."""

    DEFAULT_CSS = """
    CaseScreen #summary { height: auto; padding: 0 1; background: $boost; }
    CaseScreen DataTable { height: 1fr; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = CASE_ACTIONS
    BINDINGS = bindings(CASE_ACTIONS)  # type: ignore[assignment]

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.detail: CaseDetail | None = None

    @property
    def recorder(self) -> RecorderApp:
        """The app, with its store."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """The case's summary, then its contacts."""
        yield Header()
        yield Static("Reading the case…", id="summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="timeline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Set up the timeline's columns."""
        table = self.query_one(DataTable)
        for key, label, width in TIMELINE:
            table.add_column(label, key=key, width=width or 20)

    def on_resize(self) -> None:
        """Give the message whatever width the other columns leave."""
        self._fit_message()

    def _fit_message(self) -> None:
        table = self.query_one(DataTable)
        table.columns["text"].width = max(12, self.size.width - TIMELINE_FIXED)  # type: ignore[index]
        table.refresh()

    def on_screen_resume(self) -> None:
        """Read the case when shown, and again after a change."""
        self.load()

    @work(thread=True, exclusive=True, group="case")
    def load(self) -> None:
        """Read the case in a worker."""
        with self.recorder.access.reader() as reader:
            detail = case_detail(reader, self.case_id)
        self.app.call_from_thread(self._show, detail)

    def _show(self, detail: CaseDetail) -> None:
        from recorder.tui.screens.tickets import short_time

        self.detail = detail
        zone = self.recorder.zone
        ids = "  ".join(
            f"{IDENTIFIER_LABELS[key]} {value}"
            for key, value in detail.identifiers.items()
            if value
        )
        priority = "  [b]urgent[/b]" if detail.priority == "urgent" else ""
        self.query_one("#summary", Static).update(
            f"[b]#{detail.id} {detail.title}[/b]\n"
            f"{detail.platform} · {STATUS_LABELS[detail.status]}{priority} · "
            f"{len(detail.contacts)} contacts\n" + (ids or "No identifiers")
        )
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for contact in detail.contacts:
            auto = " (auto)" if contact.auto_ack else ""
            table.add_row(
                short_time(contact.occurred_at, zone),
                "→" if contact.direction == "outbound" else "←",
                contact.channel + auto,
                contact.reference or "",
                contact.agent or "",
                first_line(contact.subject or contact.text or "(no text)", 200),
                key=str(contact.id),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self._fit_message()

    def _selected(self) -> ContactView | None:
        table = self.query_one(DataTable)
        if self.detail is None or not table.row_count:
            return None
        return self.detail.contacts[table.cursor_row]

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_read_contact()

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()

    def action_read_contact(self) -> None:
        """Read the selected contact in full."""
        from recorder.tui.screens.contact import ContactScreen

        contact = self._selected()
        if contact is not None:
            self.app.push_screen(ContactScreen(contact, self.recorder.zone))

    def action_add_contact(self) -> None:
        """Log a contact in this case."""
        from recorder.tui.screens.log_contact import LogContactScreen

        if self.detail is not None:
            self.app.push_screen(
                LogContactScreen(platform=self.detail.platform, case_id=self.case_id)
            )

    def action_status(self, status: str) -> None:
        """Move the case to another status."""
        self._write_status(CaseStatus(status))

    @work(thread=True, group="write")
    def _write_status(self, status: CaseStatus) -> None:
        from recorder.records import set_status

        try:
            with self.recorder.access.store().write() as tx:
                set_status(tx, self.case_id, status)
        except RecorderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(
            self.notify, f"Case #{self.case_id} is now {STATUS_LABELS[status]}", timeout=3
        )
        self.app.call_from_thread(self.load)

    def action_edit_case(self) -> None:
        """Edit the case's title, priority and identifiers."""
        from recorder.tui.screens.edit_case import EditCaseScreen

        if self.detail is not None:
            self.app.push_screen(EditCaseScreen(self.detail))

    def action_delete_contact(self) -> None:
        """Delete the selected contact, once confirmed."""
        from recorder.tui.screens.confirm import ConfirmScreen

        contact = self._selected()
        if contact is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._delete(contact.id)

        question = (
            f"Delete contact #{contact.id} ({contact.channel}, "
            f"{first_line(contact.text, 40) or 'no text'})?\n"
            "The audit log keeps a copy of it."
        )
        self.app.push_screen(ConfirmScreen(question), confirmed)

    @work(thread=True, group="write")
    def _delete(self, contact_id: int) -> None:
        from recorder.records import delete_contact

        with self.recorder.access.store().write() as tx:
            delete_contact(tx, contact_id)
        self.app.call_from_thread(self.notify, f"Contact #{contact_id} deleted", timeout=3)
        self.app.call_from_thread(self.load)
