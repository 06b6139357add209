"""ContactScreen: one contact's full text and its attachments."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.widgets import Footer, Header, OptionList, Static, TextArea

from recorder.domain.transcripts import describe_turns, summary
from recorder.read.contacts import ContactView
from recorder.tui.actions import CLOSE, OPEN_ATTACHMENT, UserAction, bindings
from recorder.tui.context import RecorderScreen


def describe(contact: ContactView, zone: tzinfo, now: datetime | None = None) -> str:
    """The contact's header lines; an answer due before `now` and not given is late."""
    local = contact.occurred_at.astimezone(zone)
    who = "You wrote" if contact.direction == "outbound" else "Support answered"
    if contact.distrusted:
        who = "Received"
    lines = [f"[b]{who} by {contact.channel}[/b] · {local:%a %d %b %Y %H:%M %Z}"]
    details = [
        ("Ref", contact.reference),
        ("Agent", contact.agent),
        ("Address", contact.address),
        ("Subject", contact.subject),
        ("Logged by", contact.logged_by),
    ]
    lines.append("  ".join(f"{label}: {value}" for label, value in details if value) or "")
    if contact.auto_ack:
        why = f" ({escape(contact.auto_ack_reason)})" if contact.auto_ack_reason else ""
        lines.append(f"An automatic acknowledgement{why}: it answers nothing.")
    if contact.distrusted:
        lines.append(f"[b $warning]⚠[/] The sender is {escape(contact.sender_warning())}.")
    if contact.secret_kinds:
        lines.append(f"[b $error]⚠[/] {escape(contact.secret_warning())} (R in the case).")
    if contact.source == "imported":
        origin = f" from {escape(contact.source_name)}" if contact.source_name else ""
        kept = (
            "; the original email is kept with it, byte for byte"
            if any(a.name.endswith(".eml") for a in contact.attachments)
            else ""
        )
        lines.append(f"Imported{origin}{kept}.")
    if contact.turns:
        lines.append(summary(contact.turns).capitalize() + ".")
    due = contact.due
    if contact.answered_by == contact.id:
        lines.append("Answered in the conversation itself: never late.")
    elif contact.direction == "outbound" and contact.answered_by is not None:
        lines.append(f"Answered by contact #{contact.answered_by}.")
    elif contact.direction == "outbound" and due is not None and contact.due_basis != "promise":
        by = f"{due.astimezone(zone):%a %d %b %Y %H:%M %Z}"
        late = now is not None and due < now
        lines.append(
            f"[b $error]Late:[/] an answer was due by {by}, and none came."
            if late
            else f"An answer is due by {by}."
        )
    if due is not None and contact.due_basis == "promise":
        lines.append(
            f"Support promised an answer within {contact.due_window}: "
            f"by {due.astimezone(zone):%a %d %b %Y %H:%M %Z}."
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
        yield TextArea(shown or "(no text)", read_only=True, soft_wrap=True, id="text")
        files = self.contact.attachments
        if files:
            yield OptionList(
                *(f"📎 {a.name}  {a.size:,} bytes  sha256 {a.sha256[:16]}…" for a in files),
                id="files",
            )
        else:
            yield Static("No attachments.", id="files")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Let the arrow keys scroll the text at once."""
        self.query_one(TextArea).focus()

    def action_open_attachment(self) -> None:
        """Open the highlighted attachment (the first, if none is) with the system's
        program for it."""
        files = self.contact.attachments
        if not files:
            self.notify("This contact has no attachment to open", timeout=3)
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
                self.notify, f"{name} is missing from the attachment store", severity="error"
            )
            return
        copy = private_copy(stored, name, sha256)
        said = (
            f"Opened {copy.name}"
            if open_with_system(copy)
            else f"No program to open files here; the file is at {copy}"
        )
        self.app.call_from_thread(self.notify, said, timeout=8)

    def action_close(self) -> None:
        """Back to the case."""
        self.dismiss()
