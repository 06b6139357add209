"""ContactScreen: one contact's full text and its attachments."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.widgets import Footer, Header, OptionList, Static, TextArea

from recorder.domain.dates import shown
from recorder.domain.i18n import _
from recorder.domain.transcripts import describe_turns, summary
from recorder.domain.vocabulary import channel_label
from recorder.read.contacts import ContactView
from recorder.tui.actions import CLOSE, OPEN_ATTACHMENT, UserAction, bindings
from recorder.tui.context import RecorderScreen


def describe(contact: ContactView, zone: tzinfo, now: datetime | None = None) -> str:
    """The contact's header lines; an answer due before `now` and not given is late."""
    local = contact.occurred_at.astimezone(zone)
    if contact.distrusted:
        who = _("Received by {channel}")
    elif contact.direction == "outbound":
        who = _("You wrote by {channel}")
    else:
        who = _("Support answered by {channel}")
    who = who.format(channel=channel_label(contact.channel))
    lines = [f"[b]{who}[/b] · {shown(local, 'full')}"]
    details = [
        (_("Ref"), contact.reference),
        (_("Agent"), contact.agent),
        (_("Address"), contact.address),
        (_("Subject"), contact.subject),
        (_("Logged by"), contact.logged_by),
    ]
    lines.append(
        "  ".join(
            _("{label}: {value}").format(label=label, value=value)
            for label, value in details
            if value
        )
        or ""
    )
    if contact.auto_ack:
        lines.append(
            _("An automatic acknowledgement ({reason}): it answers nothing.").format(
                reason=escape(contact.auto_ack_reason)
            )
            if contact.auto_ack_reason
            else _("An automatic acknowledgement: it answers nothing.")
        )
    if contact.distrusted:
        lines.append(
            "[b $warning]⚠[/] "
            + _("The sender is {warning}.").format(warning=escape(contact.sender_warning()))
        )
    if contact.secret_kinds:
        lines.append(
            "[b $error]⚠[/] "
            + _("{secrets} (R in the case).").format(secrets=escape(contact.secret_warning()))
        )
    if contact.source == "imported":
        kept = any(a.name.endswith(".eml") for a in contact.attachments)
        if contact.source_name:
            imported = (
                _("Imported from {source}; the original email is kept with it, byte for byte.")
                if kept
                else _("Imported from {source}.")
            ).format(source=escape(contact.source_name))
        else:
            imported = (
                _("Imported; the original email is kept with it, byte for byte.")
                if kept
                else _("Imported.")
            )
        lines.append(imported)
    if contact.turns:
        said = summary(contact.turns)
        lines.append(_("{summary}.").format(summary=said[:1].upper() + said[1:]))
    due = contact.due
    if contact.answered_by == contact.id:
        lines.append(_("Answered in the conversation itself: never late."))
    elif contact.direction == "outbound" and contact.answered_by is not None:
        lines.append(_("Answered by contact #{id}.").format(id=contact.answered_by))
    elif contact.direction == "outbound" and due is not None and contact.due_basis != "promise":
        by = shown(due.astimezone(zone), "full")
        late = now is not None and due < now
        lines.append(
            _("[b $error]Late:[/] an answer was due by {day}, and none came.").format(day=by)
            if late
            else _("An answer is due by {day}.").format(day=by)
        )
    if due is not None and contact.due_basis == "promise":
        lines.append(
            _("Support promised an answer within {window}: by {day}.").format(
                window=contact.due_window, day=shown(due.astimezone(zone), "full")
            )
        )
    return "\n".join(line for line in lines if line)


class ContactScreen(RecorderScreen[None]):
    """The full text of a contact (a long transcript scrolls) and its attachments."""

    DEFAULT_CSS = """
    ContactScreen #head { height: auto; padding: 0 1; background: $boost; }
    ContactScreen TextArea { height: 1fr; }
    ContactScreen #files { height: auto; max-height: 6; padding: 0 1; border: none; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = (CLOSE, OPEN_ATTACHMENT)
    BINDINGS = bindings((CLOSE, OPEN_ATTACHMENT))  # type: ignore[assignment]

    def __init__(self, contact: ContactView) -> None:
        super().__init__()
        self.contact = contact

    def compose(self) -> ComposeResult:
        """Header lines, the text, the attachments."""
        yield Header()
        yield Static(describe(self.contact, self.context.zone, self.context.now()), id="head")
        shown = describe_turns(self.contact.turns) if self.contact.turns else self.contact.text
        yield TextArea(shown or _("(no text)"), read_only=True, soft_wrap=True, id="text")
        files = self.contact.attachments
        if files:
            yield OptionList(
                *(
                    _("📎 {name}  {size:,} bytes  sha256 {digest}…").format(
                        name=a.name, size=a.size, digest=a.sha256[:16]
                    )
                    for a in files
                ),
                id="files",
            )
        else:
            yield Static(_("No attachments."), id="files")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Let the arrow keys scroll the text at once."""
        self.query_one(TextArea).focus()

    def action_open_attachment(self) -> None:
        """Open the highlighted attachment (the first, if none is) with the system's
        program for it."""
        files = self.contact.attachments
        if not files:
            self.notify(_("This contact has no attachment to open"), timeout=3)
            return
        listed = self.query_one("#files", OptionList)
        self._open(files[listed.highlighted or 0].name, files[listed.highlighted or 0].sha256)

    @work(thread=True, group="open")
    def _open(self, name: str, sha256: str) -> None:
        from recorder.tui.opener import open_with_system, private_copy

        try:
            stored = self.context.access.store().open_file(sha256)
        except FileNotFoundError:
            self.app.call_from_thread(
                self.notify,
                _("{name} is missing from the attachment store").format(name=name),
                severity="error",
            )
            return
        copy = private_copy(stored, name, sha256)
        said = (
            _("Opened {name}").format(name=copy.name)
            if open_with_system(copy)
            else _("No program to open files here; the file is at {copy}").format(copy=copy)
        )
        self.app.call_from_thread(self.notify, said, timeout=8)

    def action_close(self) -> None:
        """Back to the case."""
        self.dismiss()
