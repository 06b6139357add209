"""ExportScreen and VerifyScreen: the evidence export and its check, over recorder.export.

The export runs in a worker with a progress bar; the screen stays responsive and, at
the end, shows the fingerprint to keep or send separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, ProgressBar, Select, Static

from recorder.domain.dates import parse_when
from recorder.domain.errors import InputError, RecorderError
from recorder.domain.i18n import N_, _
from recorder.tui.context import Context
from recorder.tui.dialogs.forms import FormDialog
from recorder.tui.workers import WorkerResult

if TYPE_CHECKING:
    from recorder.export.evidence import Filters

ANY = "__any__"


def default_destination(context: Context) -> str:
    """A new folder in the home directory, named by the time."""
    now = context.now().astimezone(context.zone)
    return f"~/recorder-export-{now:%Y%m%d-%H%M}"


def _ids(text: str) -> tuple[int, ...]:
    cleaned = text.replace(",", " ").replace("#", " ").split()
    if not all(part.isdigit() for part in cleaned):
        raise InputError(
            _("cannot read cases {text!r}; expected case ids such as 3, 7").format(text=text)
        )
    return tuple(int(part) for part in cleaned)


class ExportScreen(FormDialog):
    """Which cases, which filters, redact or not, zip or not, and where to."""

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("ctrl+s", "run", N_("Export"), id="export_run", tooltip=N_("Start the export")),
        Binding("escape", "close", N_("Close"), id="export_close", tooltip=N_("Close")),
    ]

    @dataclass
    class Progress(WorkerResult):
        """How far the export is."""

        what: str
        done: int
        total: int

    @dataclass
    class Exported(WorkerResult):
        """Where the export went and its fingerprint, or (`error`) why nothing was."""

        path: str
        fingerprint: str
        error: str | None = None
        anchor: str = ""
        """The short fingerprint of the audit chain's head, as anchored in the store."""

    def __init__(self, case_id: int | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.running = False

    def compose(self) -> ComposeResult:
        """The choices, the progress bar, and the outcome."""
        with Vertical():
            yield Static(_("[b]Export the history as evidence[/b] (a BagIt bag)"))
            with Horizontal(classes="row"):
                yield Label(_("Cases"), classes="label")
                yield Input(
                    "" if self.case_id is None else str(self.case_id),
                    placeholder=_("all; or ids, e.g. 3, 7"),
                    id="cases",
                    compact=True,
                )
            with Horizontal(classes="row"):
                yield Label(_("Platform"), classes="label")
                yield Select[str]([], prompt=_("Any platform"), id="platform", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Contacts"), classes="label")
                yield Input(placeholder=_("since (any)"), id="since", compact=True)
                yield Input(placeholder=_("until (any)"), id="until", compact=True)
            with Horizontal(classes="row"):
                yield Label("", classes="label")
                with Vertical(classes="choices"):
                    yield Checkbox(
                        _("Redact secrets, emails, card and bank numbers"),
                        id="redact",
                        compact=True,
                    )
                    yield Checkbox(_("One zip file"), id="zip", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Save to"), classes="label")
                yield Input(default_destination(self.context), id="dest", compact=True)
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(_("ctrl+s exports · escape closes"), id="result")

    def _choices(self) -> tuple[Filters, Path] | list[str]:
        """The filters and the destination, or every problem with them at once."""
        from recorder.export.evidence import Filters

        problems: list[str] = []
        now, zone = self.context.now(), self.context.zone
        cases: tuple[int, ...] = ()
        try:
            cases = _ids(self.query_one("#cases", Input).value)
        except RecorderError:
            problems.append(_("Cases: expected case ids such as 3, 7, or nothing for all."))
        times: dict[str, datetime | None] = {}
        for name in ("since", "until"):
            text = self.query_one(f"#{name}", Input).value.strip()
            try:
                times[name] = parse_when(text, now=now, local=zone) if text else None
            except RecorderError as exc:
                problems.append(f"{name.capitalize()}: {exc}.")
        since, until = times.get("since"), times.get("until")
        if since is not None and until is not None and since > until:
            problems.append(_("Since is after until: expected the earlier time first."))
        dest = self.query_one("#dest", Input).value.strip()
        if not dest:
            problems.append(_("Save to is empty: expected a new folder or file."))
        if problems:
            return problems
        choose = self.query_one("#platform", Select)
        filters = Filters(
            cases=cases,
            platform=None if choose.is_blank() else str(choose.value),
            since=since,
            until=until,
        )
        return filters, Path(dest).expanduser()

    def action_run(self) -> None:
        """Check every choice, say every problem at once, or start the export."""
        if self.running:
            return
        choices = self._choices()
        if isinstance(choices, list):
            said = "\n".join(escape(p) for p in choices)
            self._say(_("Nothing was exported:\n{said}").format(said=said), error=True)
            return
        filters, dest = choices
        self.running = True
        self._say(_("Exporting…"))
        self._export(
            filters,
            dest,
            self.query_one("#redact", Checkbox).value,
            self.query_one("#zip", Checkbox).value,
        )

    @work(thread=True, exclusive=True, group="export")
    def _export(self, filters: Filters, dest: Path, redact: bool, as_zip: bool) -> None:
        from recorder.export.make import export

        def tell(what: str, done: int, total: int) -> None:
            self.post_message(self.Progress(what, done, total))

        try:
            written = export(
                self.context.access.store(),
                dest,
                filters,
                redact=redact,
                as_zip=as_zip,
                progress=tell,
            )
        except RecorderError as exc:
            self.post_message(self.Exported("", "", str(exc)))
            return
        self.post_message(
            self.Exported(str(written.path), written.fingerprint or "", anchor=written.anchor or "")
        )

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(total=max(message.total, 1), progress=message.done)
        self._say(f"{message.what.capitalize()}…")

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.running = False
        if message.error is not None:
            self._say(
                _("Nothing was exported: {error}").format(error=escape(message.error)), error=True
            )
            return
        path, fingerprint = message.path, message.fingerprint
        bar = self.query_one(ProgressBar)
        bar.update(progress=bar.total or 1)
        anchored = (
            _("\nThe store's audit chain is anchored at [b]{anchor}[/b]: keep it too.").format(
                anchor=message.anchor
            )
            if message.anchor
            else ""
        )
        self._say(
            _(
                "[b]Exported[/b] to {path}\nFingerprint (keep it, or send it "
                "separately):\n[b]{fingerprint}[/b]{anchored}"
            ).format(path=escape(path), fingerprint=fingerprint, anchored=anchored)
        )
        self.context.remembered.last_export = (path, fingerprint)
        self.notify(_("Exported to {path}").format(path=path), timeout=5)


class VerifyScreen(FormDialog):
    """Check a bag (or its zip): what, if anything, was changed since it was made."""

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("ctrl+s", "run", N_("Verify"), id="verify_run", tooltip=N_("Verify the bag")),
        Binding("escape", "close", N_("Close"), id="verify_close", tooltip=N_("Close")),
    ]

    def compose(self) -> ComposeResult:
        """The bag, its fingerprint, and what verifying found: the last export's, to
        begin with."""
        last = self.context.remembered.last_export or ("", "")
        with Vertical():
            yield Static(_("[b]Verify an exported bag[/b]"))
            with Horizontal(classes="row"):
                yield Label(_("Bag"), classes="label")
                yield Input(last[0], placeholder=_("folder or zip"), id="path", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Fingerprint"), classes="label")
                yield Input(last[1], placeholder=_("optional"), id="fingerprint", compact=True)
            yield Static(_("ctrl+s verifies · escape closes"), id="result")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        """Verify in a worker."""
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self._say(_("Name the bag: its folder or its zip file."), error=True)
            return
        fingerprint = self.query_one("#fingerprint", Input).value.strip() or None
        self._say(_("Verifying…"))
        self._verify(Path(path).expanduser(), fingerprint)

    @work(thread=True, exclusive=True, group="verify")
    def _verify(self, path: Path, fingerprint: str | None) -> None:
        from recorder.export.verify import verify

        try:
            report = verify(path, fingerprint=fingerprint, processes=1)
        except RecorderError as exc:
            self.post_message(self.Said(escape(str(exc)), error=True))
            return
        if report.ok:
            notes = "".join(_("\nNote: {note}").format(note=escape(note)) for note in report.notes)
            self.post_message(
                self.Said(
                    _("[b]OK[/b]: {details}{notes}").format(
                        details=escape(report.details()), notes=notes
                    )
                )
            )
        else:
            shown = report.problems[:6]
            more = len(report.problems) - len(shown)
            text = "\n".join(escape(p) for p in shown) + (
                _("\n… and {more} more").format(more=more) if more else ""
            )
            self.post_message(self.Said(text, error=True))
