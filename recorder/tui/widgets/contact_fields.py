"""ContactFields: the fields of the log form, laid out in the order a contact is told.

Layout only, and one rule: several lines pasted into a one-line field go into the text,
never cut silently to the first. The screen around it reads the fields by their ids,
checks them and saves.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from recorder.domain.i18n import _
from recorder.domain.vocabulary import CHANNEL_LABELS, Channel, Direction

NEW = "__new__"
"""The choice that makes a new platform or case."""


AUTO_DETECT, AUTO_YES, AUTO_NO = "detect", "yes", "no"
"""The choices of the form's "Their reply" field (an inbound message only)."""

AUTO_ACK = {AUTO_DETECT: None, AUTO_YES: True, AUTO_NO: False}
"""What each choice tells the write path: None lets it recognise an acknowledgement."""


class OneLineInput(Input):
    """An input of one line that hands a paste of several lines on, not its first line."""

    @dataclass
    class Pasted(Message):
        """Several lines were pasted into `field`."""

        field: OneLineInput
        text: str

    def _on_paste(self, event: events.Paste) -> None:
        if len(event.text.strip().splitlines()) > 1:
            event.prevent_default()  # Input's own handler would keep the first line only
            event.stop()
            self.post_message(self.Pasted(self, event.text))


def row(label: str, *widgets: Widget, name: str) -> ComposeResult:
    """A labelled line of the form, with the line below it for its error."""
    with Horizontal(classes="row", id=f"{name}-row"):
        yield Label(label, classes="label")
        yield from widgets
    yield Static("", classes="error hidden", id=f"{name}-error")


class ContactFields(VerticalScroll):
    """Platform, case, its identifiers, then the contact: channel, time, reference, agent,
    subject, text and attachments; each with the line for its error below it."""

    DEFAULT_CSS = """
    ContactFields { padding: 0 1; }
    ContactFields .row { height: auto; }
    ContactFields .label { width: 12; color: $text-muted; }
    ContactFields .label.wide { width: 1fr; }
    ContactFields .row Input, ContactFields .row Select { width: 1fr; }
    ContactFields #when-parsed { width: 1fr; padding: 0 1; color: $text-muted; }
    ContactFields #when { width: 24; }
    ContactFields TextArea { height: 7; }
    ContactFields .error { padding: 0 0 0 12; }
    ContactFields #form-error { padding: 0; }
    """

    def compose(self) -> ComposeResult:
        """The fields, top to bottom."""
        yield from row(_("Platform"), Select[str]([], id="platform", compact=True), name="platform")
        yield from row(
            _("New platform"),
            OneLineInput(placeholder=_("Name, e.g. Kraken"), id="new-platform", compact=True),
            OneLineInput("UTC", placeholder=_("Time zone"), id="new-tz", compact=True),
            name="new-platform",
        )
        yield from row(_("Case"), Select[str]([], id="case", compact=True), name="case")
        yield from row(
            _("Title"),
            OneLineInput(placeholder=_("The problem in a few words"), id="title", compact=True),
            name="title",
        )
        yield from row(
            _("TxID"),
            OneLineInput(placeholder=_("Transaction id"), id="txid", compact=True),
            OneLineInput(placeholder=_("Order number"), id="order_number", compact=True),
            name="ids",
        )
        yield from row(
            _("Account"),
            OneLineInput(placeholder=_("Account email"), id="account_email", compact=True),
            OneLineInput(placeholder=_("Asset"), id="asset", compact=True),
            OneLineInput(placeholder=_("Amount"), id="amount", compact=True),
            name="account",
        )
        yield from row(
            _("Priority"),
            Select[str](
                [(_("Normal"), "normal"), (_("Urgent"), "urgent")],
                value="normal",
                allow_blank=False,
                id="priority",
                compact=True,
            ),
            name="priority",
        )
        yield from row(
            _("Channel"),
            Select[str](
                [(_(CHANNEL_LABELS[c]).replace("_", " "), c.value) for c in Channel],
                value=Channel.chat.value,
                allow_blank=False,
                id="channel",
                compact=True,
            ),
            Select[str](
                [
                    (_("I wrote"), Direction.outbound.value),
                    (_("Support wrote"), Direction.inbound.value),
                ],
                value=Direction.outbound.value,
                allow_blank=False,
                id="direction",
                compact=True,
            ),
            name="channel",
        )
        yield from row(
            _("Their reply"),
            Select[str](
                [
                    (_("recorder tells an automatic reply from an answer"), AUTO_DETECT),
                    (_("automatic acknowledgement: answers nothing"), AUTO_YES),
                    (_("a real answer"), AUTO_NO),
                ],
                value=AUTO_DETECT,
                allow_blank=False,
                id="auto-ack",
                compact=True,
            ),
            Select[str](
                [
                    (_("sender checked against the platform"), "check"),
                    (_("I trust this sender"), "trust"),
                ],
                value="check",
                allow_blank=False,
                id="trust",
                compact=True,
            ),
            name="auto-ack",
        )
        yield from row(
            _("When"),
            OneLineInput("now", id="when", compact=True),
            Static("", id="when-parsed"),
            name="when",
        )
        yield from row(
            _("Follow up"),
            OneLineInput(
                placeholder=_("the platform's promise; or in 3 business days, tomorrow 9am"),
                id="follow-up",
                compact=True,
            ),
            name="follow-up",
        )
        yield from row(
            _("Reference"),
            OneLineInput(
                placeholder=_("Ticket or case number they gave"), id="reference", compact=True
            ),
            name="reference",
        )
        yield from row(
            _("Agent"),
            OneLineInput(placeholder=_("Agent's name"), id="agent", compact=True),
            OneLineInput(placeholder=_("Their address"), id="address", compact=True),
            name="agent",
        )
        yield from row(_("Subject"), OneLineInput(id="subject", compact=True), name="subject")
        yield from row(
            _("You are"),
            OneLineInput(
                placeholder=_("your name in a pasted chat (You, Me and 我 are known)"),
                id="me",
                compact=True,
            ),
            name="me",
        )
        yield Label(_("Text or transcript (paste it here)"), classes="label wide")
        yield TextArea(id="text", soft_wrap=True, tab_behavior="focus")
        yield Static("", classes="error hidden", id="text-error")
        yield from row(
            _("Attach"),
            OneLineInput(placeholder=_("Path of a file, then enter"), id="attach", compact=True),
            name="attach",
        )
        yield Static("", id="attached", classes="hint")
        yield Static("", id="form-error", classes="error hidden")

    @on(OneLineInput.Pasted)
    def _pasted(self, message: OneLineInput.Pasted) -> None:
        """Several lines pasted into a one-line field go into the text, whole."""
        text = self.query_one("#text", TextArea)
        text.insert(message.text.strip("\n") + "\n", text.document.end)
        self.notify(
            _("Several lines cannot go into one field: they were added to the text instead"),
            timeout=5,
        )
