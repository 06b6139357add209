"""LogContactScreen: log one contact, in an existing case or a new one, in seconds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label, Select, Static, TextArea

from recorder.attachments import check_source
from recorder.dates import parse_when, zone
from recorder.duplicates import Finding
from recorder.errors import RecorderError
from recorder.queries import list_cases, list_platforms
from recorder.tui.actions import FORM_ACTIONS, UserAction, bindings
from recorder.tui.workers import deliver
from recorder.vocabulary import OPEN_STATUSES, Channel, Direction

if TYPE_CHECKING:
    from recorder.tui.app import RecorderApp

NEW = "__new__"
"""The choice that makes a new platform or case."""

CHECK_DELAY = 0.4
"""Seconds of quiet typing after which the form is checked for duplicates."""

CASES_SHOWN = 50
"""How many open cases of a platform the case choice lists, the most recent first."""


@dataclass
class Entry:
    """What the form holds once every field is valid: all the write path needs."""

    platform: str
    new_platform_tz: str | None
    case_id: int | None
    title: str
    identifiers: dict[str, str | None]
    priority: str
    contact: dict[str, Any]
    follow_up: str | None = None
    """A follow-up the user typed; read in the transaction, on the platform's calendar."""
    attach: list[Path] = field(default_factory=list)


def row(label: str, *widgets: Widget, name: str) -> ComposeResult:
    """A labelled line of the form, with the line below it for its error."""
    with Horizontal(classes="row", id=f"{name}-row"):
        yield Label(label, classes="label")
        yield from widgets
    yield Static("", classes="error hidden", id=f"{name}-error")


class LogContactScreen(Screen[int | None]):
    """The form; ctrl+s saves once every field is valid, escape leaves without a trace."""

    DEFAULT_CSS = """
    LogContactScreen VerticalScroll { padding: 0 1; }
    LogContactScreen .row { height: auto; }
    LogContactScreen .label { width: 12; color: $text-muted; }
    LogContactScreen .label.wide { width: 1fr; }
    LogContactScreen .row Input, LogContactScreen .row Select { width: 1fr; }
    LogContactScreen #when-parsed { width: 1fr; padding: 0 1; color: $text-muted; }
    LogContactScreen #when { width: 24; }
    LogContactScreen TextArea { height: 7; }
    LogContactScreen .error { padding: 0 0 0 12; }
    LogContactScreen #warnings {
        color: $warning; height: auto; max-height: 6; padding: 0 1; background: $boost;
    }
    LogContactScreen #form-error { padding: 0; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = FORM_ACTIONS
    BINDINGS = bindings(FORM_ACTIONS)  # type: ignore[assignment]

    def __init__(self, *, platform: str | None = None, case_id: int | None = None) -> None:
        super().__init__()
        self.preset_platform = platform
        self.preset_case = case_id
        self.cases_by_platform: dict[str, list[tuple[str, int]]] = {}
        self.attachments: list[Path] = []
        self.saving = False
        self.findings: list[Finding] = []
        """What the form would be flagged for if saved now (recorder.flags.draft_findings)."""
        self._check_timer: Any = None
        self.check_pending = False
        """Whether a duplicate check is waiting for the typing to stop."""

    @property
    def recorder(self) -> RecorderApp:
        """The app, with its store and the user's zone."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """The fields, top to bottom in the order a contact is usually told."""
        yield Header()
        with VerticalScroll():
            yield from row(
                "Platform", Select[str]([], id="platform", compact=True), name="platform"
            )
            yield from row(
                "New platform",
                Input(placeholder="Name, e.g. Kraken", id="new-platform", compact=True),
                Input("UTC", placeholder="Time zone", id="new-tz", compact=True),
                name="new-platform",
            )
            yield from row("Case", Select[str]([], id="case", compact=True), name="case")
            yield from row(
                "Title",
                Input(placeholder="The problem in a few words", id="title", compact=True),
                name="title",
            )
            yield from row(
                "TxID",
                Input(placeholder="Transaction id", id="txid", compact=True),
                Input(placeholder="Order number", id="order_number", compact=True),
                name="ids",
            )
            yield from row(
                "Account",
                Input(placeholder="Account email", id="account_email", compact=True),
                Input(placeholder="Asset", id="asset", compact=True),
                Input(placeholder="Amount", id="amount", compact=True),
                name="account",
            )
            yield from row(
                "Priority",
                Select[str](
                    [("Normal", "normal"), ("Urgent", "urgent")],
                    value="normal",
                    allow_blank=False,
                    id="priority",
                    compact=True,
                ),
                name="priority",
            )
            yield from row(
                "Channel",
                Select[str](
                    [(c.value.replace("_", " "), c.value) for c in Channel],
                    value=Channel.chat.value,
                    allow_blank=False,
                    id="channel",
                    compact=True,
                ),
                Select[str](
                    [
                        ("I wrote", Direction.outbound.value),
                        ("Support wrote", Direction.inbound.value),
                    ],
                    value=Direction.outbound.value,
                    allow_blank=False,
                    id="direction",
                    compact=True,
                ),
                name="channel",
            )
            yield from row(
                "When",
                Input("now", id="when", compact=True),
                Static("", id="when-parsed"),
                name="when",
            )
            yield from row(
                "Follow up",
                Input(
                    placeholder="the platform's promise; or in 3 business days, tomorrow 9am",
                    id="follow-up",
                    compact=True,
                ),
                name="follow-up",
            )
            yield from row(
                "Reference",
                Input(placeholder="Ticket or case number they gave", id="reference", compact=True),
                name="reference",
            )
            yield from row(
                "Agent",
                Input(placeholder="Agent's name", id="agent", compact=True),
                Input(placeholder="Their address", id="address", compact=True),
                name="agent",
            )
            yield from row("Subject", Input(id="subject", compact=True), name="subject")
            yield Label("Text or transcript (paste it here)", classes="label wide")
            yield TextArea(id="text", soft_wrap=True, tab_behavior="focus")
            yield Static("", classes="error hidden", id="text-error")
            yield from row(
                "Attach",
                Input(placeholder="Path of a file, then enter", id="attach", compact=True),
                name="attach",
            )
            yield Static("", id="attached", classes="hint")
            yield Static("", id="form-error", classes="error hidden")
        # Below the fields, always in view: the user sees them before saving.
        yield Static("", id="warnings", classes="hidden")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Read the platforms and their open cases; show how "now" reads."""
        self._show_when()
        self._load()

    @work(thread=True, exclusive=True, group="form")
    def _load(self) -> None:
        with self.recorder.access.reader() as reader:
            platforms = [p.name for p in list_platforms(reader)]
            latest = list_cases(reader, statuses=None, limit=1)
            cases = {
                name: [
                    (f"#{c.id} {c.title}", c.id)
                    for c in list_cases(
                        reader, statuses=OPEN_STATUSES, platform=name, limit=CASES_SHOWN
                    )
                ]
                for name in platforms
            }
        usual = latest[0].platform if latest else None
        self.app.call_from_thread(self._loaded, platforms, cases, self.preset_platform or usual)

    def _loaded(
        self, platforms: list[str], cases: dict[str, list[tuple[str, int]]], usual: str | None
    ) -> None:
        self.cases_by_platform = cases
        choose = self.query_one("#platform", Select)
        choose.set_options([(name, name) for name in platforms] + [("+ New platform", NEW)])
        if usual in platforms:
            choose.value = usual
        elif platforms:
            choose.value = platforms[0]
        self._platform_changed()
        self.query_one("#platform" if self.preset_case is None else "#text").focus()

    @on(Select.Changed, "#platform")
    def _platform_changed(self) -> None:
        platform = self.query_one("#platform", Select).value
        self._show("new-platform", platform == NEW)
        options = self.cases_by_platform.get(str(platform), [])
        case = self.query_one("#case", Select)
        case.set_options(
            [(label, str(case_id)) for label, case_id in options] + [("+ New case", NEW)]
        )
        wanted = str(self.preset_case) if self.preset_case is not None else None
        if wanted is not None and any(str(i) == wanted for _, i in options):
            case.value = wanted
        else:
            case.value = NEW if not options else str(options[0][1])
        self._case_changed()

    @on(Select.Changed, "#case")
    def _case_changed(self) -> None:
        new_case = self.query_one("#case", Select).value == NEW
        for name in ("title", "ids", "account", "priority"):
            self._show(name, new_case)

    def _show(self, name: str, visible: bool) -> None:
        self.query_one(f"#{name}-row").set_class(not visible, "hidden")
        if not visible:
            self._error(name, None)

    def _error(self, name: str, message: str | None) -> None:
        error = self.query_one(f"#{name}-error", Static)
        error.update(message or "")
        error.set_class(message is None, "hidden")

    @on(Input.Changed, "#when")
    def _show_when(self) -> None:
        text = self.query_one("#when", Input).value
        parsed = self.query_one("#when-parsed", Static)
        try:
            moment = parse_when(
                text, now=self.recorder.access.clock.now(), local=self.recorder.zone
            )
        except RecorderError as exc:
            parsed.update("")
            self._error("when", str(exc))
            return
        self._error("when", None)
        parsed.update(f"= {moment.astimezone(self.recorder.zone):%a %d %b %Y %H:%M %Z}")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        """Check for duplicates once the typing stops for a moment."""
        if self._check_timer is not None:
            self._check_timer.stop()
        self.check_pending = True
        self._check_timer = self.set_timer(CHECK_DELAY, self._check_now)

    def _check_now(self) -> None:
        self.check_pending = False
        draft = self._draft()
        if draft is not None:
            self._check(*draft)

    def _draft(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The form as the duplicate checks read it, or None while it says too little."""
        choose = self.query_one("#platform", Select)
        case_value = str(self.query_one("#case", Select).value)
        if choose.is_blank() or self.query_one("#case", Select).is_blank():
            return None
        try:
            moment = parse_when(
                self._value("when"), now=self.recorder.access.clock.now(), local=self.recorder.zone
            )
        except RecorderError:
            return None
        new_case = case_value == NEW
        about = {
            "platform": self._value("new-platform") if choose.value == NEW else str(choose.value),
            "case_id": None if new_case else int(case_value),
            "title": self._value("title") if new_case else "",
            "txid": self._value("txid") or None if new_case else None,
            "order_number": self._value("order_number") or None if new_case else None,
        }
        fields = {
            "channel": Channel(str(self.query_one("#channel", Select).value)),
            "direction": Direction(str(self.query_one("#direction", Select).value)),
            "occurred_at": moment,
            "reference": self._value("reference") or None,
            "text": self.query_one("#text", TextArea).text,
        }
        return about, fields

    @work(thread=True, exclusive=True, group="check")
    def _check(self, about: dict[str, Any], fields: dict[str, Any]) -> None:
        from recorder.flags import draft_findings

        try:
            with self.recorder.access.store().read() as session:
                found = draft_findings(session, fields=fields, **about)
        except RecorderError:
            found = []
        deliver(self.app, self._show_findings, found)

    def _show_findings(self, found: list[Finding]) -> None:
        self.findings = found
        warnings = self.query_one("#warnings", Static)
        lines = ["⚠ " + escape(f.message(self.recorder.zone)) for f in found]
        if found:
            lines.append(
                f"[dim]ctrl+o opens case #{found[0].earlier_case_id}; "
                "saving still works: these are warnings[/]"
            )
        warnings.update("\n".join(lines))
        warnings.set_class(not found, "hidden")

    def action_earlier_case(self) -> None:
        """Open the case the first duplicate warning names (escape comes back here)."""
        from recorder.tui.screens.case import CaseScreen

        if self.findings:
            self.app.push_screen(CaseScreen(self.findings[0].earlier_case_id))
        else:
            self.notify("No duplicate warnings: nothing earlier to open", timeout=3)

    @on(Input.Submitted, "#attach")
    def _add_attachment(self) -> None:
        field_ = self.query_one("#attach", Input)
        text = field_.value.strip()
        if not text:
            return
        try:
            path = check_source(Path(text).expanduser())
        except RecorderError as exc:
            self._error("attach", str(exc))
            return
        self._error("attach", None)
        if path not in self.attachments:
            self.attachments.append(path)
        field_.value = ""
        self.query_one("#attached", Static).update(
            "\n".join(f"📎 {p.name}  ({p.parent})" for p in self.attachments)
        )

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _collect(self) -> Entry | None:
        """Read and check every field; show each problem beside its field."""
        problems: dict[str, str] = {}
        choose = self.query_one("#platform", Select)
        platform = str(choose.value)
        new_tz: str | None = None
        if choose.is_blank():
            problems["platform"] = "Choose a platform, or + New platform."
        elif platform == NEW:
            platform = self._value("new-platform")
            new_tz = self._value("new-tz") or "UTC"
            if not platform:
                problems["new-platform"] = "The new platform needs a name."
            else:
                try:
                    zone(new_tz)
                except RecorderError as exc:
                    problems["new-platform"] = str(exc)
        case_value = str(self.query_one("#case", Select).value)
        title = self._value("title")
        if case_value == NEW and not title:
            problems["title"] = "A new case needs a title: the problem in a few words."
        try:
            moment = parse_when(
                self._value("when"), now=self.recorder.access.clock.now(), local=self.recorder.zone
            )
        except RecorderError as exc:
            problems["when"] = str(exc)
        for path in self.attachments:
            try:
                check_source(path)
            except RecorderError as exc:
                problems["attach"] = str(exc)
        if self._value("attach"):
            problems["attach"] = "Press enter to attach the file named here, or clear it."
        for name in ("platform", "new-platform", "title", "when", "attach"):
            self._error(name, problems.get(name))
        if problems:
            return None
        text_area = self.query_one("#text", TextArea)
        return Entry(
            platform=platform,
            new_platform_tz=new_tz,
            case_id=None if case_value == NEW else int(case_value),
            title=title,
            identifiers={
                name: self._value(name) or None
                for name in ("txid", "order_number", "account_email", "asset", "amount")
            },
            priority=str(self.query_one("#priority", Select).value),
            contact={
                "channel": str(self.query_one("#channel", Select).value),
                "direction": str(self.query_one("#direction", Select).value),
                "occurred_at": moment,
                "reference": self._value("reference") or None,
                "agent": self._value("agent") or None,
                "address": self._value("address") or None,
                "subject": self._value("subject") or None,
                "text": text_area.text,
            },
            follow_up=self._value("follow-up") or None,
            attach=list(self.attachments),
        )

    def action_save(self) -> None:
        """Save the contact, once every field is valid."""
        if self.saving:
            return
        entry = self._collect()
        if entry is None:
            self._form_error("Nothing was saved: correct the fields marked above.")
            return
        self.saving = True
        self._form_error(None)
        self._save(entry)

    def _form_error(self, message: str | None) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message or "")
        error.set_class(message is None, "hidden")
        if message:
            self.query_one(VerticalScroll).scroll_end(animate=False)

    @work(thread=True, exclusive=True, group="write")
    def _save(self, entry: Entry) -> None:
        from recorder.records import add_platform, follow_up_time, log_contact, open_case

        try:
            with self.recorder.access.store().write() as tx:
                if entry.new_platform_tz is not None:
                    add_platform(tx, name=entry.platform, timezone=entry.new_platform_tz)
                case_id = entry.case_id
                if case_id is None:
                    case = open_case(
                        tx,
                        platform=entry.platform,
                        title=entry.title,
                        priority=entry.priority,
                        **entry.identifiers,
                    )
                    assert case.id is not None
                    case_id = case.id
                follow_up_at = (
                    None
                    if entry.follow_up is None
                    else follow_up_time(tx, case_id, entry.follow_up, self.recorder.zone)
                )
                contact = log_contact(
                    tx,
                    case_id=case_id,
                    attach=entry.attach,
                    follow_up_at=follow_up_at,
                    **entry.contact,
                )
                flagged, repeated = len(tx.flags), bool(tx.repeats)
        except RecorderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._saved, contact.case_id, contact.id, flagged, repeated)

    def _failed(self, message: str) -> None:
        self.saving = False
        self._form_error(f"Nothing was saved: {message}")

    def _saved(self, case_id: int, contact_id: int | None, flagged: int, repeated: bool) -> None:
        if repeated:
            self.notify(
                f"Already recorded as contact #{contact_id} in case #{case_id} "
                "(same text, same time): not stored again",
                timeout=6,
            )
        else:
            more = f"; {flagged} possible duplicate(s) flagged" if flagged else ""
            self.notify(f"Logged contact #{contact_id} in case #{case_id}{more}", timeout=4)
        self.dismiss(case_id)

    def action_cancel(self) -> None:
        """Leave without saving anything."""
        self.dismiss(None)
