"""SearchScreen: the whole record searched as the user types (recorder.read.search);
enter opens the case at the contact found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from recorder.domain.errors import RecorderError
from recorder.domain.i18n import N_, _
from recorder.domain.vocabulary import channel_label
from recorder.read.search import LIMIT, Hit, search
from recorder.read.search_terms import MARK
from recorder.tui.actions import SEARCH_ACTIONS, UserAction, bindings
from recorder.tui.context import RecorderScreen
from recorder.tui.formatting import short_time
from recorder.tui.messages import OpenCase
from recorder.tui.widgets.columns import Column, fit_columns
from recorder.tui.workers import WorkerResult

PAUSE = 0.15
"""How long the typing must stop before the search runs (seconds)."""

COLUMNS = (
    Column("when", N_("When"), 12),
    Column("case", N_("Case"), 22),
    Column("where", N_("In"), 9, from_width=70),
    Column("snippet", N_("Found"), None),
)


FOUND_IN = {
    "title": N_("title"),
    "txid": N_("txid"),
    "order_number": N_("order number"),
    "account_email": N_("account email"),
    "amount": N_("amount"),
}
"""Where in a case a word was found, as the In column says it."""

LEAD = 10
"""Characters kept before the first match: a narrow column still shows the match."""


def marked(snippet: str) -> Text:
    """A snippet with what matched in bold (its MARKs taken out), starting just before
    the first match."""
    text = Text(overflow="ellipsis", no_wrap=True)
    parts = snippet.split(MARK[0])
    if len(parts) > 1 and len(parts[0]) > LEAD:
        parts[0] = "…" + parts[0][-LEAD:].lstrip("…")
    for n, part in enumerate(parts):
        text.append(part, style="bold reverse" if n % 2 else "")
    return text


def result_cells(hit: Hit, now: datetime, zone: tzinfo) -> dict[str, Text]:
    """A result's row, cell by cell."""
    if hit.contact_id is None:
        where = _(FOUND_IN.get(hit.found_in, hit.found_in.replace("_", " ")))
    else:
        where = channel_label(hit.channel) if hit.channel else ""
    return {
        "when": Text(short_time(hit.occurred_at, zone, now) if hit.occurred_at else _("case")),
        "case": Text(f"#{hit.case_id} {hit.title}", overflow="ellipsis", no_wrap=True),
        "where": Text(where, overflow="ellipsis", no_wrap=True),
        "snippet": marked(hit.snippet),
    }


class SearchScreen(RecorderScreen[None]):
    """A query line above the results, best first."""

    DEFAULT_CSS = """
    SearchScreen #query { height: 1; }
    SearchScreen #said { height: auto; padding: 0 1; color: $text-muted; }
    SearchScreen DataTable { height: 1fr; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = SEARCH_ACTIONS
    BINDINGS = bindings(SEARCH_ACTIONS)  # type: ignore[assignment]
    AUTO_FOCUS = "#query"

    @dataclass
    class Found(WorkerResult):
        """What a query found, or why it could not be run."""

        query: str
        hits: list[Hit]
        error: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Hit] = []
        self.columns_shown: tuple[Column, ...] = ()
        self._timer: Timer | None = None
        self.check_pending = False
        """Whether a search waits for the typing to stop (tests wait for it)."""

    def compose(self) -> ComposeResult:
        """The query, what it found, and the results."""
        yield Header()
        yield Input(
            placeholder=_("words, 中文, part of a TxID or ticket number"), id="query", compact=True
        )
        yield Static(
            _("Type to search every case and contact; enter opens the one found."), id="said"
        )
        yield DataTable(cursor_type="row", zebra_stripes=True, id="results")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Set up the columns."""
        self._fit()

    def on_resize(self) -> None:
        """Show the columns that fit."""
        if self._fit():
            self._fill()

    def _fit(self) -> bool:
        before = self.columns_shown
        self.columns_shown = fit_columns(self.query_one(DataTable), COLUMNS, self.size.width)
        return self.columns_shown != before

    @on(Input.Changed, "#query")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.check_pending = True
        self._timer = self.set_timer(PAUSE, self._run)

    def _run(self) -> None:
        query = self.query_one("#query", Input).value
        if not query.strip():
            self.check_pending = False
            self._show(self.Found("", []))
            return
        self._find(query)

    @work(thread=True, exclusive=True, group="search")
    def _find(self, query: str) -> None:
        try:
            with self.context.access.reader() as reader:
                found = self.Found(query, search(reader, query))
        except RecorderError as exc:
            found = self.Found(query, [], str(exc))
        self.post_message(found)

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.stale:
            return
        self.check_pending = False
        self._show(message)

    def _show(self, message: Found) -> None:
        self.hits = message.hits
        said = self.query_one("#said", Static)
        if message.error:
            said.update(message.error)
        elif not message.query.strip():
            said.update(_("Type to search every case and contact; enter opens the one found."))
        else:
            count = len(self.hits)
            if not count:
                said.update(_("Nothing found."))
            elif count >= LIMIT:
                said.update(_("{count} found (the first {limit})").format(count=count, limit=LIMIT))
            else:
                said.update(_("{count} found").format(count=count))
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        now, zone = self.context.now(), self.context.zone
        for n, hit in enumerate(self.hits):
            cells = result_cells(hit, now, zone)
            table.add_row(*(cells[c.key] for c in self.columns_shown), key=str(n))

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.action_open_result()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open_result()

    def action_open_result(self) -> None:
        """Open the case of the highlighted result, at its contact."""
        table = self.query_one(DataTable)
        if not self.hits:
            return
        hit = self.hits[table.cursor_row if table.row_count else 0]
        self.post_message(OpenCase(hit.case_id, contact_id=hit.contact_id))

    def action_to_results(self) -> None:
        """From the query to the results."""
        self.query_one(DataTable).focus()

    def action_back(self) -> None:
        """Back to the list."""
        self.dismiss()
