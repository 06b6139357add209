"""TicketsScreen: the open cases, what waits on whom, and the way to log a contact."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from recorder.domain.i18n import N_, _
from recorder.domain.vocabulary import OPEN_STATUSES, CaseStatus
from recorder.read.cases import CaseSummary, list_cases
from recorder.read.platforms import list_platforms
from recorder.tui.actions import TICKETS_ACTIONS, UserAction, bindings
from recorder.tui.context import RecorderScreen
from recorder.tui.formatting import STATUS_LABELS, short_day, short_time
from recorder.tui.messages import (
    ExportEvidence,
    ImportMail,
    LogContact,
    OpenCase,
    OpenStore,
    SearchRecord,
    ShowDue,
    VerifyBag,
)
from recorder.tui.widgets.columns import Column, fit_columns
from recorder.tui.widgets.table import SizedTable
from recorder.tui.workers import WorkerResult

if TYPE_CHECKING:
    from textual.timer import Timer

    from recorder.store.readers import Reader

OPEN_STORE_AFTER = 0.5
"""Seconds after the first cases are shown that the full store is opened in the background."""
TYPING_PAUSE = 0.15
"""Seconds without a key in the filter before the cases are read again: each key read
and refilled the table (70-90 ms a key on 10k cases), a word's worth of keys is one
read."""
SAME_TABLE_FOR = 30.0
"""Seconds for which a table filled with the same cases is not filled again: after
that, it is, for the times it shows ("late", "in 2h") to move on."""

PAGE = 100
"""How many cases the table shows; typing narrows them down."""

NEVER = datetime.min.replace(tzinfo=UTC)
FOREVER = datetime.max.replace(tzinfo=UTC)
ALL_OPEN = "open"
EVERYTHING = "all"


MARKS = N_(
    "[b magenta]![/] urgent, first among equal follow-ups   "
    "[b yellow]⚑[/] possible duplicate   [b red]late[/] overdue"
)
"""The legend of the marks in the case list, shown under it when a mark is."""

COLUMNS = (
    Column("platform", N_("Platform"), 8),
    Column("title", N_("Title"), None),
    Column("status", N_("Status"), 12),
    Column("ref", N_("Ref"), 8, from_width=70),
    Column("next", N_("Follow up"), 12),
    Column("last", N_("Last contact"), 12, wide_only=True),
)


def follow_up_cell(case: CaseSummary, now: datetime, zone: tzinfo) -> Text:
    """The next follow-up; overdue ones stand out."""
    if case.next_follow_up_at is None:
        return Text("-")
    when = short_time(case.next_follow_up_at, zone, now)
    if case.overdue(now):
        return Text(
            _("late {day}").format(day=short_day(case.next_follow_up_at, zone, now)),
            style="bold red",
        )
    return Text(when)


def case_cells(case: CaseSummary, now: datetime, zone: tzinfo) -> dict[str, Text]:
    """A case's row, cell by cell, as rich Text: no markup to parse (the table measures
    every cell of every row when it is filled), and nothing in a title or a reference
    number can be mistaken for markup."""
    title = Text(overflow="ellipsis", no_wrap=True)
    if case.priority == "urgent":
        title.append("!", style="bold magenta").append(" ")
    if case.open_flags:
        title.append("⚑", style="bold yellow").append(" ")
    title.append(case.title, style="bold red" if case.overdue(now) else "")
    status = Text(_(STATUS_LABELS[case.status]))
    return {
        "platform": Text(case.platform),
        "title": title,
        "status": status,
        "ref": Text(case.references[-1] if case.references else "-"),
        "next": follow_up_cell(case, now, zone),
        "last": Text(short_time(case.last_contact_at, zone, now)),
    }


class TicketsScreen(RecorderScreen[None]):
    """The first screen: a table of open cases, filtered as the user types."""

    DEFAULT_CSS = """
    TicketsScreen #filters { height: 1; }
    TicketsScreen #filters Input { width: 1fr; }
    TicketsScreen #filters Select { width: 18; }
    TicketsScreen #welcome { padding: 1 2; }
    TicketsScreen #more, TicketsScreen #legend { color: $text-muted; height: 1; padding: 0 1; }
    TicketsScreen DataTable { height: 1fr; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = TICKETS_ACTIONS
    BINDINGS = bindings(TICKETS_ACTIONS)  # type: ignore[assignment]
    AUTO_FOCUS = "#cases"

    @dataclass
    class Read(WorkerResult):
        """What a read of the store found for the filters."""

        platforms: list[str]
        cases: list[CaseSummary]
        anything: bool
        """Whether the store holds any case at all."""

    def __init__(self) -> None:
        super().__init__()
        self.cases: list[CaseSummary] = []
        self.platforms: list[str] = []
        self.sort_column = -1
        """Which column the table is sorted by; -1: the store's order, newest first."""
        self.columns_shown: tuple[Column, ...] = ()
        self.shown = False
        """Whether cases were read and shown once."""
        self.read_with: tuple[list[CaseStatus] | None, str | None, str] | None = None
        """The filters of the last read."""
        self.typing: Timer | None = None
        """Waits for a pause in the filter's typing."""
        self.filled_at = float("-inf")
        """When the table was last filled (time.monotonic)."""

    def compose(self) -> ComposeResult:
        """A filter line, the table, and a welcome for an empty store."""
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder=_("/ to filter: title, platform, ref"), id="text", compact=True)
            yield Select[str]([], prompt=_("Any platform"), id="platform", compact=True)
            yield Select[str](
                [(_("Open cases"), ALL_OPEN), (_("All cases"), EVERYTHING)]
                + [(_(STATUS_LABELS[s]).capitalize(), s.value) for s in CaseStatus],
                value=ALL_OPEN,
                allow_blank=False,
                id="status",
                compact=True,
            )
        # A store that is not there yet holds no case: say so from the first paint,
        # rather than an empty table until the first read comes back.
        database = self.context.access.where.database
        new = database is not None and not database.exists()
        yield SizedTable(
            fill=self._fill,
            cursor_type="row",
            zebra_stripes=True,
            id="cases",
            classes="hidden" if new else "",
        )
        yield Static("", id="more", classes="hidden")
        yield Static(_(MARKS), id="legend", classes="hidden")
        yield Static(
            _(
                "No cases yet.\n\nPress [b]n[/b] to log your first contact with support: "
                "a chat, a ticket, an email. recorder keeps the ticket numbers, the "
                "transcripts and the screenshots, and tells you what waits on whom."
            ),
            id="welcome",
            classes="" if new else "hidden",
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Set up the table's columns."""
        self._fit()

    def _fit(self) -> bool:
        """Show the columns that fit; True if they changed (and the rows went with them)."""
        before = self.columns_shown
        self.columns_shown = fit_columns(self.query_one(DataTable), COLUMNS, self.size.width)
        return self.columns_shown != before

    def on_screen_resume(self) -> None:
        """Read the store when shown: first, and on coming back from a case or a form."""
        self.load()

    def on_resize(self) -> None:
        """Show the columns that fit, and give the title what they leave."""
        if self._fit() and self.cases:
            self._fill()

    def _filters(self) -> tuple[list[CaseStatus] | None, str | None, str]:
        status = self.query_one("#status", Select).value
        choose = self.query_one("#platform", Select)
        text = self.query_one("#text", Input).value
        statuses: list[CaseStatus] | None
        if status == ALL_OPEN:
            statuses = list(OPEN_STATUSES)
        elif status == EVERYTHING:
            statuses = None
        else:
            statuses = [CaseStatus(str(status))]
        return statuses, (None if choose.is_blank() else str(choose.value)), text

    def load(self) -> None:
        """Read the cases that match the filters: in a worker, but the first time from
        a SQLite store at head, here, before the screen is first painted.

        That first read takes a few milliseconds; through a worker, the screen was
        painted empty first, and the worker waited for that paint to end.
        """
        statuses, platform, text = self.read_with = self._filters()
        if not self.shown:
            with self.context.access.light_reader() as light:
                if light is not None:
                    self._show(*self._query(light, statuses, platform, text))
                    return
        self._read(statuses, platform, text)

    @work(thread=True, exclusive=True, group="tickets")
    def _read(self, statuses: list[CaseStatus] | None, platform: str | None, text: str) -> None:
        with self.context.access.reader() as reader:
            found = self._query(reader, statuses, platform, text)
        self.post_message(self.Read(*found))

    @on(Read)
    def _read_done(self, message: Read) -> None:
        if not message.stale:
            self._show(message.platforms, message.cases, message.anything)

    @staticmethod
    def _query(
        reader: Reader, statuses: list[CaseStatus] | None, platform: str | None, text: str
    ) -> tuple[list[str], list[CaseSummary], bool]:
        """The platforms, a page of matching cases (one more: is there more?), and
        whether the store holds any case at all."""
        platforms = [p.name for p in list_platforms(reader)]
        cases = list_cases(reader, statuses=statuses, platform=platform, text=text, limit=PAGE + 1)
        anything = bool(cases) or bool(list_cases(reader, statuses=None, limit=1))
        return platforms, cases, anything

    def _show(self, platforms: list[str], cases: list[CaseSummary], anything: bool) -> None:
        self.shown = True
        if platforms != self.platforms:
            self.platforms = platforms
            self.query_one("#platform", Select).set_options([(n, n) for n in platforms])
        more = len(cases) > PAGE
        # The same cases, shown a moment ago: the table stays as it is (a key in the
        # filter that narrows nothing costs no refill).
        fresh = time.monotonic() - self.filled_at < SAME_TABLE_FOR
        if cases[:PAGE] != self.cases or not fresh:
            self.cases = cases[:PAGE]
            self._fill()
        note = self.query_one("#more", Static)
        note.update(
            _("Showing the {count} most recent cases; type to narrow them down.").format(count=PAGE)
        )
        note.set_class(not more, "hidden")
        marked = any(c.priority == "urgent" or c.open_flags for c in self.cases)
        self.query_one("#legend").set_class(not marked, "hidden")
        self.query_one("#welcome").set_class(anything, "hidden")
        self.query_one(DataTable).set_class(not anything, "hidden")
        # The write path (SQLAlchemy) loads in the background once the screen has
        # settled: started at once, its import held the interpreter during the
        # first paints. A form that needs it first opens it itself.
        self.set_timer(OPEN_STORE_AFTER, self._open_store)

    def _open_store(self) -> None:
        self.post_message(OpenStore())

    def _fill(self) -> None:
        table = self.query_one(SizedTable)
        if not table.is_sized:
            return  # filled when it is (see SizedTable)
        selected = self._selected_id()
        self.filled_at = time.monotonic()
        table.clear()
        zone = self.context.zone
        now = self.context.now()
        for case in self._sorted(self.cases):
            cells = case_cells(case, now, zone)
            table.add_row(*(cells[c.key] for c in self.columns_shown), key=str(case.id))
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)))

    def _sorted(self, cases: list[CaseSummary]) -> list[CaseSummary]:
        if self.sort_column < 0:
            return cases
        key = self.columns_shown[self.sort_column].key
        keys = {
            "platform": lambda c: c.platform.casefold(),
            "title": lambda c: c.title.casefold(),
            "status": lambda c: (list(CaseStatus).index(c.status), c.priority != "urgent"),
            "ref": lambda c: c.references[-1] if c.references else "",
            "last": lambda c: c.last_contact_at or NEVER,
            # Urgent cases first among equal follow-up times, as in `recorder due`.
            "next": lambda c: (c.next_follow_up_at or FOREVER, c.priority != "urgent"),
        }
        return sorted(cases, key=keys[key], reverse=key == "last")

    def _selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(str(row_key.value))

    @property
    def check_pending(self) -> bool:
        """Whether a read waits for the typing to stop (tests wait for it)."""
        return self.typing is not None

    @on(Input.Changed, "#text")
    def _typed(self) -> None:
        if self.typing is not None:
            self.typing.stop()
        self.typing = self.set_timer(TYPING_PAUSE, self._refilter)

    @on(Select.Changed, "#platform")
    @on(Select.Changed, "#status")
    def _refilter(self) -> None:
        # Filling the platform choice after a read changes it too: read again only
        # when the filters really changed.
        self.typing = None
        if self._filters() != self.read_with:
            self.load()

    @on(Input.Submitted, "#text")
    def _to_table(self) -> None:
        if self.typing is not None:  # enter need not wait for the pause
            self.typing.stop()
            self._refilter()
        self.query_one(DataTable).focus()

    def key_escape(self) -> None:
        """Escape in the filters goes back to the table."""
        if not isinstance(self.focused, DataTable):
            self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_case()

    def action_log_contact(self) -> None:
        """Open the form to log a contact."""
        self.post_message(LogContact())

    def action_open_case(self) -> None:
        """Open the selected case."""
        case_id = self._selected_id()
        if case_id is not None:
            self.post_message(OpenCase(case_id))

    def action_due(self) -> None:
        """Show what is overdue or due soon."""
        self.post_message(ShowDue())

    def action_export(self) -> None:
        """Export the history as evidence."""
        self.post_message(ExportEvidence())

    def action_verify(self) -> None:
        """Verify an exported bag."""
        self.post_message(VerifyBag())

    def action_import_mail(self) -> None:
        """Import emails, or fetch them from the mailbox."""
        self.post_message(ImportMail())

    def action_search(self) -> None:
        """Search every case and contact."""
        self.post_message(SearchRecord())

    def action_filter(self) -> None:
        """Put the cursor in the filter."""
        self.query_one("#text", Input).focus()

    def action_sort(self) -> None:
        """Sort by the next column (after the last one: the store's order again)."""
        columns = self.columns_shown
        self.sort_column = self.sort_column + 1 if self.sort_column + 1 < len(columns) else -1
        if self.sort_column < 0:
            name = _("newest activity")
        else:
            name = _(columns[self.sort_column].label).lower()
        self.notify(_("Sorted by {column}").format(column=name), timeout=2)
        self.load()

    def action_show_all(self) -> None:
        """Switch between open cases and all of them."""
        status = self.query_one("#status", Select)
        status.value = EVERYTHING if status.value == ALL_OPEN else ALL_OPEN

    def action_refresh(self) -> None:
        """Read the store again."""
        self.load()
