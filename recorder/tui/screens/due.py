"""DueScreen: what is overdue or due within a week, earliest first, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from recorder.domain.i18n import _, aside
from recorder.domain.vocabulary import channel_label
from recorder.read.reports import DueItem, DueKind, due_follow_ups
from recorder.tui.actions import DUE_ACTIONS, UserAction, bindings
from recorder.tui.context import RecorderScreen
from recorder.tui.formatting import short_time
from recorder.tui.messages import OpenCase
from recorder.tui.workers import WorkerResult

AHEAD = timedelta(days=7)
"""How far ahead the screen looks."""


def due_cells(item: DueItem, zone: tzinfo, now: datetime) -> tuple[Text, Text, Text]:
    """An item's row as rich Text: its date (late ones stand out), its platform, and its
    case, cut with an ellipsis where the terminal is narrow."""
    when = short_time(item.at, zone, now)
    if item.kind is DueKind.follow_up:
        cell = (
            Text(_("late {day}").format(day=when), "bold red")
            if item.overdue
            else Text(_("by {day}").format(day=when))
        )
    elif item.kind is DueKind.may_escalate:
        cell = Text(_("escalate {day}").format(day=when))
    else:
        cell = Text(_("last day {day}").format(day=when), "bold red" if item.overdue else "bold")
    case = Text(overflow="ellipsis", no_wrap=True)
    if item.urgent:
        case.append("!", style="bold yellow").append(" ")
    case.append(f"#{item.case_id} {item.title}")
    return cell, Text(item.platform, overflow="ellipsis", no_wrap=True), case


class DueScreen(RecorderScreen[None]):
    """The follow-ups to act on; the selected one's next step below the table."""

    DEFAULT_CSS = """
    DueScreen DataTable { height: 1fr; }
    DueScreen #step { height: auto; min-height: 3; padding: 0 1; background: $boost; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = DUE_ACTIONS
    BINDINGS = bindings(DUE_ACTIONS)  # type: ignore[assignment]

    @dataclass
    class Read(WorkerResult):
        """The follow-ups due, earliest first."""

        items: list[DueItem]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[DueItem] = []

    def compose(self) -> ComposeResult:
        """The table, then the selected follow-up's next step."""
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="due")
        yield Static(_("Reading what is due…"), id="step")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Set up the columns."""
        table = self.query_one(DataTable)
        table.add_column(_("Due"), key="due", width=17)
        table.add_column(_("Platform"), key="platform", width=8)
        table.add_column(_("Case"), key="case", width=max(20, self.size.width - 35))

    def on_screen_resume(self) -> None:
        """Read what is due when shown."""
        self.load()

    @work(thread=True, exclusive=True, group="due")
    def load(self) -> None:
        """Read the follow-ups in a worker."""
        now = self.context.now()
        with self.context.access.reader() as reader:
            items = due_follow_ups(reader, now=now, until=now + AHEAD)
        self.post_message(self.Read(items))

    @on(Read)
    def _show(self, message: Read) -> None:
        if message.stale:
            return
        items = self.items = message.items
        table = self.query_one(DataTable)
        table.clear()
        zone = self.context.zone
        for n, item in enumerate(items):
            key = f"{item.case_id}-{item.kind.value}-{n}"
            table.add_row(*due_cells(item, zone, self.context.now()), key=key)
        if not items:
            self.query_one("#step", Static).update(
                _("Nothing is overdue or due within a week. Support owes you no answer yet.")
            )
        else:
            self._describe(0)

    def _describe(self, row: int) -> None:
        item = self.items[row]
        urgent = _(" ([b]urgent[/b])") if item.urgent else ""
        if item.kind is DueKind.follow_up:
            ref = _(" ref {ref}").format(ref=item.reference) if item.reference else ""
            basis = " " + aside(item.basis) if item.basis else ""
            what = _("waits on {channel}{ref}{basis}").format(
                channel=channel_label(item.channel or ""), ref=ref, basis=basis
            )
        elif item.kind is DueKind.may_escalate:
            what = _("may go further")
        else:
            what = _("has a last day")
        self.query_one("#step", Static).update(
            f"[b]{escape(item.title)}[/b]{urgent} {escape(what)}\n→ {escape(item.next_step)}"
        )

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.items):
            self._describe(event.cursor_row)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_case()

    def action_open_case(self) -> None:
        """Open the selected case."""
        table = self.query_one(DataTable)
        if table.row_count:
            self.post_message(OpenCase(self.items[table.cursor_row].case_id))

    def action_back(self) -> None:
        """Back to the open tickets."""
        self.dismiss()
