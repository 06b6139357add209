"""LogContactScreen: log one contact, in an existing case or a new one, in seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Footer, Header, Input, Select, Static, TextArea

from recorder.domain.dates import check_contact_time, parse_when, preview
from recorder.domain.duplicates import Finding
from recorder.domain.errors import RecorderError
from recorder.domain.i18n import _
from recorder.domain.transcripts import CONVERSATION_CHANNELS
from recorder.domain.vocabulary import OPEN_STATUSES, Channel, Direction
from recorder.read.cases import list_cases
from recorder.read.platforms import list_platforms
from recorder.store.attachments import check_source
from recorder.tui.actions import FORM_ACTIONS, UserAction, bindings
from recorder.tui.context import RecorderScreen
from recorder.tui.drafts import DraftNotes, draft_notes, redact_draft, saved_notice, warning_lines
from recorder.tui.entry_form import FIELD_ORDER, collect
from recorder.tui.messages import OpenCase
from recorder.tui.widgets.contact_fields import AUTO_ACK, NEW, ContactFields
from recorder.tui.workers import WorkerResult
from recorder.write.entries import Entry, Logged

CHECK_DELAY = 0.4
"""Seconds of quiet typing after which the form is checked for duplicates."""

CASES_SHOWN = 50
"""How many open cases of a platform the case choice lists, the most recent first."""


class LogContactScreen(RecorderScreen[int | None]):
    """The form; ctrl+s saves once every field is valid, escape leaves without a trace."""

    DEFAULT_CSS = """
    LogContactScreen #warnings {
        color: $warning; height: auto; max-height: 6; padding: 0 1; background: $boost;
    }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = FORM_ACTIONS
    BINDINGS = bindings(FORM_ACTIONS)  # type: ignore[assignment]

    @dataclass
    class Choices(WorkerResult):
        """The platforms and their open cases to choose from, and the one to preselect."""

        platforms: list[str]
        cases: dict[str, list[tuple[str, int]]]
        usual: str | None

    @dataclass
    class Checked(WorkerResult):
        """What the form would be warned of if saved now."""

        notes: DraftNotes

    @dataclass
    class Saved(WorkerResult):
        """What saving wrote, or (`error`) why nothing was."""

        logged: Logged | None
        error: str | None = None

    def __init__(self, *, platform: str | None = None, case_id: int | None = None) -> None:
        super().__init__()
        self.preset_platform = platform
        self.preset_case = case_id
        self.cases_by_platform: dict[str, list[tuple[str, int]]] = {}
        self.attachments: list[Path] = []
        self.saving = False
        self.channel_set = False
        """Whether the user chose the channel (then a case's last one does not replace it)."""
        self.old_confirmed: datetime | None = None
        """A time before 2000 the user saved twice: they mean it."""
        self.findings: list[Finding] = []
        """What the form would be flagged for if saved now (write.checks.draft_findings)."""
        self._check_timer: Any = None
        self.check_pending = False
        """Whether a duplicate check is waiting for the typing to stop."""

    def compose(self) -> ComposeResult:
        """The fields, top to bottom in the order a contact is usually told."""
        yield Header()
        yield ContactFields()
        # Below the fields, always in view: the user sees them before saving.
        yield Static("", id="warnings", classes="hidden")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Read the platforms and their open cases; show how "now" reads."""
        self._show_when()
        self._direction_changed()
        self._load()

    @on(Select.Changed, "#direction")
    @on(Select.Changed, "#channel")
    def _direction_changed(self) -> None:
        """Whether a reply is automatic, and its sender trusted, matter for support's;
        the user's name in a transcript, for a chat or a call."""
        inbound = self.query_one("#direction", Select).value == Direction.inbound.value
        self._show("auto-ack", inbound)
        channel = Channel(str(self.query_one("#channel", Select).value))
        self._show("me", channel in CONVERSATION_CHANNELS)

    @work(thread=True, exclusive=True, group="form")
    def _load(self) -> None:
        with self.context.access.reader() as reader:
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
        self.post_message(self.Choices(platforms, cases, self.preset_platform or usual))

    @on(Choices)
    def _loaded(self, message: Choices) -> None:
        platforms, usual = message.platforms, message.usual
        self.cases_by_platform = message.cases
        choose = self.query_one("#platform", Select)
        choose.set_options([(name, name) for name in platforms] + [(_("+ New platform"), NEW)])
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
            [(label, str(case_id)) for label, case_id in options] + [(_("+ New case"), NEW)]
        )
        # The case the form was opened in, if it is this platform's; else a new case:
        # from the list, `n` is for a new problem (a case's own `n` names its case).
        wanted = str(self.preset_case) if self.preset_case is not None else None
        known = wanted is not None and any(str(i) == wanted for _, i in options)
        case.value = wanted if known and wanted is not None else NEW
        self._case_changed()

    @on(Select.Changed, "#case")
    def _case_changed(self) -> None:
        case = self.query_one("#case", Select)
        for name in ("title", "ids", "account", "priority"):
            self._show(name, case.value == NEW)
        if case.value != NEW and not case.is_blank():
            self._load_defaults(int(str(case.value)))

    @dataclass
    class Defaults(WorkerResult):
        """The channel and reference of a case's last contact."""

        case_id: int
        channel: str | None
        reference: str | None

    @work(thread=True, exclusive=True, group="defaults")
    def _load_defaults(self, case_id: int) -> None:
        from recorder.read.contacts import case_defaults

        with self.context.access.reader() as reader:
            channel, reference = case_defaults(reader, case_id)
        self.post_message(self.Defaults(case_id, channel, reference))

    @on(Defaults)
    def _defaults(self, message: Defaults) -> None:
        """Fill the channel and reference as the case's last contact had them, unless
        the user has set them."""
        if message.stale or str(self.query_one("#case", Select).value) != str(message.case_id):
            return
        channel = self.query_one("#channel", Select)
        if message.channel and not self.channel_set:
            with self.prevent(Select.Changed):
                channel.value = message.channel
            self._direction_changed()
        reference = self.query_one("#reference", Input)
        if message.reference and not reference.value.strip():
            reference.value = message.reference

    @on(Select.Changed, "#channel")
    def _channel_set(self, event: Select.Changed) -> None:
        self.channel_set |= event.select.has_focus_within  # the user's choice, not set up

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
            moment = parse_when(text, now=self.context.now(), local=self.context.zone)
        except RecorderError as exc:
            parsed.update("")
            self._error("when", str(exc))
            return
        try:
            check_contact_time(moment, now=self.context.now(), old_ok=True)
        except RecorderError as exc:
            self._error("when", str(exc))
        else:
            self._error("when", None)
        parsed.update(f"= {preview(moment, self.context.zone)}")

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
                self._value("when"), now=self.context.now(), local=self.context.zone
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
            "address": self._value("address") or None,
            "subject": self._value("subject") or None,
            "text": self.query_one("#text", TextArea).text,
            "auto_ack": AUTO_ACK[str(self.query_one("#auto-ack", Select).value)],
            "me": [self._value("me")] if self._value("me") else [],
        }
        return about, fields

    @work(thread=True, exclusive=True, group="check")
    def _check(self, about: dict[str, Any], fields: dict[str, Any]) -> None:
        self.post_message(self.Checked(draft_notes(self.context.access.store(), about, fields)))

    @on(Checked)
    def _show_findings(self, message: Checked) -> None:
        if message.stale:
            return
        self.findings = message.notes.findings
        lines = warning_lines(message.notes, self.context.zone)
        warnings = self.query_one("#warnings", Static)
        warnings.update("\n".join(lines))
        warnings.set_class(not lines, "hidden")

    def action_into_earlier_case(self) -> None:
        """Log this contact into the case the first duplicate warning names instead."""
        if not self.findings:
            self.notify(_("No duplicate warnings: no earlier case to log into"), timeout=3)
            return
        target = str(self.findings[0].earlier_case_id)
        platform = str(self.query_one("#platform", Select).value)
        if not any(str(i) == target for _, i in self.cases_by_platform.get(platform, [])):
            self.notify(
                _("Case #{target} is not open: ctrl+o opens it").format(target=target), timeout=4
            )
            return
        self.query_one("#case", Select).value = target
        self.notify(_("This contact now goes into case #{target}").format(target=target), timeout=3)

    def action_earlier_case(self) -> None:
        """Open the case the first duplicate warning names (escape comes back here)."""
        if self.findings:
            self.post_message(OpenCase(self.findings[0].earlier_case_id))
        else:
            self.notify(_("No duplicate warnings: nothing earlier to open"), timeout=3)

    def action_redact_draft(self) -> None:
        """Mask the secrets in the subject and text, before anything is saved."""
        text = self.query_one("#text", TextArea)
        subject = self.query_one("#subject", Input)
        masked = redact_draft(subject.value, text.text)
        if masked is None:
            self.notify(_("No secrets to redact in the subject or text"), timeout=3)
            return
        subject.value, new_text, said = masked
        text.load_text(new_text)
        self.notify(said, timeout=4)

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
        """Read and check every field; show each problem beside its field, and move
        the focus to the first of them."""
        collected = collect(
            self,
            now=self.context.now(),
            local=self.context.zone,
            attachments=self.attachments,
            old_confirmed=self.old_confirmed,
        )
        self.old_confirmed = collected.old_confirmed
        for name in FIELD_ORDER:
            self._error(name, collected.problems.get(name))
        first = next((name for name in FIELD_ORDER if name in collected.problems), None)
        if first is not None:
            self.query_one(f"#{first}").focus()
        return collected.entry

    def action_save(self) -> None:
        """Save the contact, once every field is valid."""
        if self.saving:
            return
        entry = self._collect()
        if entry is None:
            self._form_error(_("Nothing was saved: correct the fields marked above."))
            return
        self.saving = True
        self._form_error(None)
        self._save(entry)

    def _form_error(self, message: str | None) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message or "")
        error.set_class(message is None, "hidden")
        if message:
            self.query_one(ContactFields).scroll_end(animate=False)

    @work(thread=True, exclusive=True, group="write")
    def _save(self, entry: Entry) -> None:
        from recorder.write.entries import log_entry

        try:
            with self.context.access.store().write() as tx:
                logged = log_entry(tx, entry)
        except RecorderError as exc:
            self.post_message(self.Saved(None, str(exc)))
            return
        self.post_message(self.Saved(logged))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        logged = message.logged
        if logged is None:
            self.saving = False
            self._form_error(_("Nothing was saved: {error}").format(error=message.error))
            return
        self.notify(saved_notice(logged), timeout=6 if logged.already_recorded else 4)
        self.dismiss(logged.case_id)

    def action_cancel(self) -> None:
        """Close an open list first; leave a form with something typed in it only once
        the user says so."""
        for select in self.query(Select):
            if select.expanded:
                select.expanded = False
                select.focus()
                return
        if not self._typed():
            self.dismiss(None)
            return
        from recorder.tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(_("Leave without saving?\nWhat you typed in this form is lost.")),
            answered,
        )

    def _typed(self) -> bool:
        """Whether the user typed or attached anything the form would lose."""
        inputs = (i for i in self.query(Input) if i.id not in ("when", "new-tz"))
        return bool(
            self.attachments
            or self.query_one("#text", TextArea).text.strip()
            or any(i.value.strip() for i in inputs)
        )
