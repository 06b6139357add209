"""CaseScreen: one case, its identifiers, and the timeline of its contacts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, Static

from recorder.domain.errors import RecorderError
from recorder.domain.i18n import _, ngettext
from recorder.domain.vocabulary import CaseStatus
from recorder.read.cases import CaseDetail, case_detail
from recorder.read.contacts import ContactView
from recorder.tui.actions import CASE_ACTIONS, UserAction, bindings
from recorder.tui.context import RecorderScreen
from recorder.tui.formatting import STATUS_LABELS, first_line
from recorder.tui.messages import ExportEvidence, LogContact, ReadContact
from recorder.tui.timeline import TIMELINE, contact_cells, summary
from recorder.tui.widgets.columns import Column, fit_columns
from recorder.tui.workers import WorkerResult

if TYPE_CHECKING:
    from recorder.read.flags import FlagView
    from recorder.store.session import Tx


PAGE = 200
"""Contacts shown when a case opens, the newest; moving onto the row above them shows
as many more. A case of 2,000 contacts took 0.8 s of CPU to open with every row."""
EARLIER = "earlier"
"""The key of the row that stands for the contacts not shown yet."""


class CaseScreen(RecorderScreen[None]):
    """A case's fields above the timeline of its contacts, oldest first: the newest
    PAGE of them, and more as the user moves up past them."""

    DEFAULT_CSS = """
    CaseScreen #summary { height: auto; padding: 0 1; background: $boost; }
    CaseScreen DataTable { height: 1fr; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = CASE_ACTIONS
    BINDINGS = bindings(CASE_ACTIONS)  # type: ignore[assignment]

    @dataclass
    class Read(WorkerResult):
        """The case as read from the store."""

        detail: CaseDetail

    @dataclass
    class Written(WorkerResult):
        """A change made (`done` says what), or refused (`error` says why)."""

        done: str
        error: str | None = None

    def __init__(self, case_id: int, *, at_contact: int | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.at_contact = at_contact
        """A contact to put the cursor on and read, once the case is shown (a search
        result)."""
        self.detail: CaseDetail | None = None
        self.columns_shown: tuple[Column, ...] = ()
        self.shown = PAGE
        """How many of the newest contacts the timeline shows."""
        self.by_id: dict[int, ContactView] = {}

    def show_case(self, case_id: int, *, at_contact: int | None = None) -> None:
        """Show another case (the app keeps this screen to open every case in): what
        was shown goes, and the case is read when the screen is shown again."""
        self.case_id, self.at_contact = case_id, at_contact
        self.detail, self.shown, self.by_id = None, PAGE, {}
        self.query_one("#summary", Static).update(_("Reading the case…"))
        self.query_one(DataTable).clear()

    def compose(self) -> ComposeResult:
        """The case's summary, then its contacts."""
        yield Header()
        yield Static(_("Reading the case…"), id="summary")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="timeline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Set up the timeline's columns."""
        self._fit()

    def _fit(self) -> bool:
        """Show the columns that fit; True if they changed (and the rows went with them)."""
        before = self.columns_shown
        self.columns_shown = fit_columns(self.query_one(DataTable), TIMELINE, self.size.width)
        return self.columns_shown != before

    def on_resize(self) -> None:
        """Show the columns that fit; give the message what they leave."""
        if self._fit() and self.detail is not None:
            self._show(self.detail)

    def on_screen_resume(self) -> None:
        """Read the case when shown, and again after a change."""
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Merge shows only where a duplicate warning names an earlier case, unmerge only
        on a merged case."""
        if action == "merge":
            return self._merge_target() is not None
        if action == "unmerge":
            return self.detail is not None and self.detail.merged_into is not None
        return True

    @work(thread=True, exclusive=True, group="case")
    def load(self) -> None:
        """Read the case in a worker."""
        with self.context.access.reader() as reader:
            detail = case_detail(reader, self.case_id)
        self.post_message(self.Read(detail))

    @on(Read)
    def _read_done(self, message: Read) -> None:
        if not message.stale:
            self._show(message.detail)

    def _show(self, detail: CaseDetail) -> None:
        """Show the case, the cursor where it was (on the same contact, else the same
        row); on a case's first showing, on the first row, or on the newest contact
        when earlier ones are not shown."""
        self.detail = detail
        self.refresh_bindings()
        zone = self.context.zone
        now = self.context.now()
        self.query_one("#summary", Static).update(summary(detail, now, zone))
        table = self.query_one(DataTable)
        row, was = table.cursor_row, self._selected()
        contacts = detail.contacts
        self.by_id = {c.id: c for c in contacts}
        if self.at_contact in self.by_id:  # a search result: shown, however early
            index = next(i for i, c in enumerate(contacts) if c.id == self.at_contact)
            self.shown = max(self.shown, len(contacts) - index)
        hidden = max(0, len(contacts) - self.shown)
        first = not table.row_count
        table.clear()
        if hidden:
            more = min(hidden, PAGE)
            note = Text(
                ngettext(
                    "↑ {hidden:,} earlier contact: move here to show {more:,} more",
                    "↑ {hidden:,} earlier contacts: move here to show {more:,} more",
                    hidden,
                ).format(hidden=hidden, more=more),
                style="italic",
            )
            table.add_row(
                *(note if c.key == "text" else "" for c in self.columns_shown), key=EARLIER
            )
        for contact in contacts[hidden:]:
            cells = contact_cells(contact, now, zone)
            table.add_row(*(cells[c.key] for c in self.columns_shown), key=str(contact.id))
        if was is not None and str(was.id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(was.id)))
        elif first and hidden:
            table.move_cursor(row=table.row_count - 1)
        elif table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        if self.at_contact is not None and str(self.at_contact) in table.rows:
            table.move_cursor(row=table.get_row_index(str(self.at_contact)))
            self.at_contact = None
            self.action_read_contact()

    @on(DataTable.RowHighlighted)
    def _show_earlier(self) -> None:
        """The cursor on the row of earlier contacts: show PAGE more, the cursor on the
        latest of them."""
        table = self.query_one(DataTable)
        if self.detail is None or not table.row_count or table.cursor_row != 0:
            return
        if self._row_key(0) != EARLIER:
            return
        below = self._row_key(1)
        self.shown += PAGE
        self._show(self.detail)
        if below is not None:
            table.move_cursor(row=max(0, table.get_row_index(below) - 1))

    def _row_key(self, row: int) -> str | None:
        table = self.query_one(DataTable)
        if row >= table.row_count:
            return None
        key, _column = table.coordinate_to_cell_key(Coordinate(row, 0))
        return str(key.value)

    def _selected(self) -> ContactView | None:
        table = self.query_one(DataTable)
        if self.detail is None or not table.row_count:
            return None
        key = self._row_key(table.cursor_row)
        return None if key in (None, EARLIER) else self.by_id.get(int(str(key)))

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_read_contact()

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()

    def action_read_contact(self) -> None:
        """Read the selected contact in full."""
        contact = self._selected()
        if contact is not None:
            self.post_message(ReadContact(contact))

    def action_add_contact(self) -> None:
        """Log a contact in this case."""
        if self.detail is not None:
            self.post_message(LogContact(platform=self.detail.platform, case_id=self.case_id))

    def action_status(self, status: str) -> None:
        """Move the case to another status."""
        from recorder.write.cases import set_status

        new = CaseStatus(status)
        self._write(
            lambda tx: set_status(tx, self.case_id, new),
            _("Case #{case_id} is now {status}").format(
                case_id=self.case_id, status=_(STATUS_LABELS[new])
            ),
        )

    @work(thread=True, group="write")
    def _write(self, change: Callable[[Tx], object], done: str, *, scrub: bool = False) -> None:
        """Make a change in a worker, say how it went, and read the case again; with
        `scrub`, leave no copy of what it replaced in the store's files (Store.scrub)."""
        try:
            store = self.context.access.store()
            with store.write() as tx:
                change(tx)
            if scrub:
                # Rewriting the search indexes takes a while on a large record.
                self.app.call_from_thread(
                    self.notify, _("Clearing every earlier copy from the store's files…")
                )
                store.scrub()
                if store.engine.dialect.name != "sqlite":
                    from recorder.store.server_errors import SCRUB_ON_A_SERVER

                    said = SCRUB_ON_A_SERVER[0].upper() + SCRUB_ON_A_SERVER[1:]
                    self.app.call_from_thread(self.notify, said, severity="warning", timeout=12)
        except RecorderError as exc:
            self.post_message(self.Written(done, str(exc)))
            return
        self.post_message(self.Written(done))

    @on(Written)
    def _written(self, message: Written) -> None:
        if message.error is not None:
            self.notify(message.error, severity="error")
            return
        self.notify(message.done, timeout=4)
        self.load()

    def action_edit_case(self) -> None:
        """Edit the case's title, priority and identifiers."""
        from recorder.tui.dialogs.edit_case import EditCaseScreen

        if self.detail is not None:
            self.app.push_screen(EditCaseScreen(self.detail))

    def _write_if_confirmed(
        self, question: str, change: Callable[[Tx], object], done: str, *, scrub: bool = False
    ) -> None:
        """Ask `question`; on yes, make the change (see `_write`)."""
        from recorder.tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(change, done, scrub=scrub)

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_delete_contact(self) -> None:
        """Delete the selected contact, once confirmed."""
        from recorder.write.contacts import delete_contact

        contact = self._selected()
        if contact is None:
            return
        self._write_if_confirmed(
            f"Delete contact #{contact.id} ({contact.channel}, "
            f"{first_line(contact.text, 40) or 'no text'})?\n"
            "The audit log keeps a copy of it.",
            lambda tx: delete_contact(tx, contact.id),
            _("Contact #{id} deleted").format(id=contact.id),
        )

    def action_trust_sender(self) -> None:
        """Let the selected message answer although its address is not the platform's."""
        from recorder.write.contacts import edit_contact

        contact = self._selected()
        if contact is None or not contact.distrusted:
            self.notify(_("The selected message's sender needs no trust"), timeout=3)
            return
        self._write_if_confirmed(
            _("Trust the sender of contact #{id} ({address})?\nIt is {warning}.").format(
                id=contact.id, address=contact.address, warning=contact.sender_warning()
            ),
            lambda tx: edit_contact(tx, contact.id, {"sender_trusted": True}),
            _("Contact #{id} now answers as the platform's").format(id=contact.id),
        )

    def action_redact_contact(self) -> None:
        """Mask the secrets the selected contact holds, in the record, once confirmed."""
        from recorder.write.redaction import redact_contact

        contact = self._selected()
        if contact is None or not contact.secret_kinds:
            self.notify(_("The selected contact holds no secret to redact"), timeout=3)
            return

        def change(tx: Tx) -> object:
            return redact_contact(tx, contact.id)

        self._write_if_confirmed(
            _(
                "Redact contact #{id}?\n{secrets}.\nEach secret becomes a mask; the audit "
                "log keeps only a digest of the text."
            ).format(id=contact.id, secrets=contact.secret_warning()),
            change,
            _("Contact #{id} redacted").format(id=contact.id)
            + (_("; its files are kept as they are") if contact.attachments else ""),
            scrub=True,
        )

    def action_export_case(self) -> None:
        """Export this case as evidence (the dialog comes with the case filled in)."""
        self.post_message(ExportEvidence(case_id=self.case_id))

    def action_not_duplicate(self) -> None:
        """Dismiss the open duplicate flags raised on this case: it is not a repeat."""
        if self.detail is None:
            return
        flags = [
            f.id
            for f in self.detail.flags
            if f.case_id == self.case_id and f.status.value == "open"
        ]
        if flags:
            from recorder.write.decisions import decide

            def dismiss(tx: Tx) -> None:
                for flag_id in flags:
                    decide(tx, flag_id, "dismissed")

            said = ngettext(
                "{count} duplicate warning dismissed",
                "{count} duplicate warnings dismissed",
                len(flags),
            )
            self._write(dismiss, said.format(count=len(flags)))
        else:
            self.notify(_("No open duplicate warnings on this case"), timeout=3)

    def _merge_target(self) -> FlagView | None:
        """The open duplicate warning on this case that names the case to merge into."""
        if self.detail is None or self.detail.merged_into is not None:
            return None
        return next(
            (
                f
                for f in self.detail.flags
                if f.case_id == self.case_id
                and f.earlier_case_id != self.case_id  # "still waiting" within the case
                and f.status.value == "open"
            ),
            None,
        )

    def action_merge(self) -> None:
        """Merge this case into the earlier one its duplicate warning names, once confirmed."""
        from recorder.write.decisions import merge_cases

        flag = self._merge_target()
        if flag is None or self.detail is None:
            self.notify(
                _(
                    "No open duplicate warning names an earlier case; "
                    "recorder case merge FROM INTO merges any two"
                ),
                timeout=5,
            )
            return
        into, count = flag.earlier_case_id, len(self.detail.contacts)
        self._write_if_confirmed(
            ngettext(
                "Merge case #{case_id} into #{into} ({title})?\nIts {count} contact moves "
                "there; this case is closed and points to it. U undoes the merge.",
                "Merge case #{case_id} into #{into} ({title})?\nIts {count} contacts move "
                "there; this case is closed and points to it. U undoes the merge.",
                count,
            ).format(
                case_id=self.case_id,
                into=into,
                title=first_line(flag.earlier_title, 30),
                count=count,
            ),
            lambda tx: merge_cases(tx, self.case_id, into),
            _("Case #{case_id} merged into #{into}; U undoes it").format(
                case_id=self.case_id, into=into
            ),
        )

    def action_unmerge(self) -> None:
        """Undo this case's merge: its contacts come back to it."""
        if self.detail is None or self.detail.merged_into is None:
            self.notify(_("This case is not merged into another"), timeout=3)
            return
        from recorder.write.decisions import unmerge_case

        self._write(
            lambda tx: unmerge_case(tx, self.case_id),
            _("Case #{case_id} has its contacts back").format(case_id=self.case_id),
        )
