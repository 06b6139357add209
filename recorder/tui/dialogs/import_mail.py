"""ImportScreen: emails and mailboxes from disk, or the user's IMAP mailbox, into their
cases (recorder.ingest), in a worker with a progress bar.

The outcome puts sender warnings first: a message that is not from the platform is
the one the user must not act on.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, ProgressBar, Select, Static

from recorder.domain.errors import InputError, RecorderError
from recorder.domain.i18n import N_, _
from recorder.tui.dialogs.forms import FormDialog
from recorder.tui.workers import WorkerResult

if TYPE_CHECKING:
    from recorder.ingest.importer import Options, Outcome
    from recorder.store.session import Store

SHOWN = 5
"""Warnings and refusals listed in the dialog; the rest are counted."""


def paths_of(text: str) -> list[Path]:
    """Paths as typed: separated by spaces, quoted when they hold one, `~` expanded."""
    try:
        parts = shlex.split(text)
    except ValueError as error:
        raise InputError(
            _("cannot read the paths ({error}); quote a path with spaces").format(error=error)
        ) from None
    return [Path(part).expanduser() for part in parts]


def summary(outcomes: list[Outcome]) -> tuple[str, bool]:
    """The dialog's account of an import, in markup, and whether it needs the user's eye
    (a sender warning, or nothing imported at all)."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("imported", "present", "refused")}
    if not outcomes:
        return _("Nothing new to import."), False
    lines = [
        _("[b]{imported} imported[/b], {present} already present, {refused} refused").format(
            imported=counts["imported"], present=counts["present"], refused=counts["refused"]
        )
    ]
    warned = [o for o in outcomes if o.warnings]
    for outcome in warned[:SHOWN]:
        lines.append("[b $error]⚠ " + escape(outcome.subject or outcome.origin) + "[/]")
        lines.append(f"  {escape(outcome.warnings[0])}")
    refused = [o for o in outcomes if o.status == "refused"]
    for outcome in refused[: max(0, SHOWN - len(warned))]:
        lines.append(
            _("refused {name}: {reason}").format(
                name=escape(Path(outcome.origin).name), reason=escape(outcome.reason or "")
            )
        )
    more = len(warned) + len(refused) - SHOWN
    if more > 0:
        lines.append(
            _("… and {more} more (recorder import --json lists them all)").format(more=more)
        )
    return "\n".join(lines), bool(warned) or counts["imported"] == 0


class ImportScreen(FormDialog):
    """Which files, or the mailbox; which platform; then the import and its outcome."""

    DEFAULT_CSS = """
    ImportScreen > Vertical { width: 80; max-height: 24; }
    ImportScreen #result { max-height: 12; }
    """

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("ctrl+s", "run", N_("Import"), id="import_run", tooltip=N_("Start the import")),
        Binding("escape", "close", N_("Close"), id="import_close", tooltip=N_("Close")),
    ]

    @dataclass
    class Progress(WorkerResult):
        """How far the import is."""

        done: int
        total: int

    @dataclass
    class Done(WorkerResult):
        """What the import came to, or (`error`) why nothing was imported."""

        outcomes: list[Outcome]
        error: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.running = False

    def compose(self) -> ComposeResult:
        """The paths or the mailbox, the platform, the progress and the outcome."""
        with Vertical():
            yield Static(_("[b]Import emails[/b] (.eml files, mbox files, Maildir folders)"))
            with Horizontal(classes="row"):
                yield Label(_("Files"), classes="label")
                yield Input(placeholder=_("paths, separated by spaces"), id="paths", compact=True)
            with Horizontal(classes="row"):
                yield Label("", classes="label")
                with Vertical(classes="choices"):
                    yield Checkbox(
                        _("Fetch from my mailbox now (as set by recorder fetch)"),
                        id="fetch",
                        compact=True,
                    )
            with Horizontal(classes="row"):
                yield Label(_("Platform"), classes="label")
                yield Select[str]([], prompt=_("From the sender"), id="platform", compact=True)
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(_("ctrl+s imports · escape closes"), id="result")

    def action_run(self) -> None:
        """Check the choices and start the import in a worker."""
        from recorder.ingest.importer import Options

        if self.running:
            return
        fetch = self.query_one("#fetch", Checkbox).value
        try:
            paths = paths_of(self.query_one("#paths", Input).value)
            if not paths and not fetch:
                raise InputError(_("name the files to import, or tick the mailbox"))
        except RecorderError as exc:
            self._say(_("Nothing was imported: {error}").format(error=escape(str(exc))), error=True)
            return
        choose = self.query_one("#platform", Select)
        options = Options(
            platform=None if choose.is_blank() else str(choose.value), local=self.context.zone
        )
        self.running = True
        self._say(_("Importing…"))
        self._import(paths, fetch, options)

    @work(thread=True, exclusive=True, group="import")
    def _import(self, paths: list[Path], fetch: bool, options: Options) -> None:
        from recorder.ingest.importer import import_messages
        from recorder.ingest.sources import sources_of

        def tell(done: int, total: int) -> None:
            self.post_message(self.Progress(done, total))

        store = self.context.access.store()
        outcomes: list[Outcome] = []
        try:
            if paths:
                sources = sources_of(paths)
                total = sum(source.count() for source in sources)
                raws = (raw for source in sources for raw in source.messages())
                outcomes += import_messages(store, raws, options, total=total, tell=tell)
            if fetch:
                outcomes += _fetch(store, options, tell)
        except RecorderError as exc:
            self.post_message(self.Done(outcomes, str(exc)))
            return
        self.post_message(self.Done(outcomes))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(total=max(message.total, 1), progress=message.done)

    @on(Done)
    def _done(self, message: Done) -> None:
        self.running = False
        if message.error is not None:
            before = (
                _(" ({count} done before)").format(count=len(message.outcomes))
                if message.outcomes
                else ""
            )
            self._say(
                _("Import stopped{before}: {error}").format(
                    before=before, error=escape(message.error)
                ),
                error=True,
            )
            return
        bar = self.query_one(ProgressBar)
        bar.update(progress=bar.total or 1)
        text, attention = summary(message.outcomes)
        self._say(text, error=attention and any(o.warnings for o in message.outcomes))
        imported = sum(o.status == "imported" for o in message.outcomes)
        self.notify(_("{imported} imported").format(imported=imported), timeout=5)


def _fetch(store: Store, options: Options, tell: Callable[[int, int], None]) -> list[Outcome]:
    from recorder.ingest.imap import fetch, password_of, saved_account

    account = saved_account(store)
    return fetch(store, account, password_of(account), options, tell=tell)
