"""The vocabulary of DESIGN.md as enums: plain Python, importable without the database."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _

E = TypeVar("E", bound=StrEnum)


class CaseStatus(StrEnum):
    """Where a case stands."""

    open = "open"
    waiting_on_support = "waiting_on_support"
    waiting_on_me = "waiting_on_me"
    escalated = "escalated"
    resolved = "resolved"
    closed = "closed"

    @property
    def is_open(self) -> bool:
        """Whether the case still needs something to happen ("open tickets")."""
        return self not in (CaseStatus.resolved, CaseStatus.closed)


OPEN_STATUSES: tuple[CaseStatus, ...] = tuple(s for s in CaseStatus if s.is_open)


class Priority(StrEnum):
    """How pressing a case is."""

    normal = "normal"
    urgent = "urgent"


class Channel(StrEnum):
    """The way a contact reached the platform, or came from it."""

    help_center = "help_center"
    chat = "chat"
    ticket = "ticket"
    email = "email"
    phone = "phone"
    social = "social"
    complaint = "complaint"
    regulator = "regulator"


CHANNEL_LABELS: dict[str, str] = {
    Channel.help_center: N_("help_center"),
    Channel.chat: N_("chat"),
    Channel.ticket: N_("ticket"),
    Channel.email: N_("email"),
    Channel.phone: N_("phone"),
    Channel.social: N_("social"),
    Channel.complaint: N_("complaint"),
    Channel.regulator: N_("regulator"),
}
"""A channel as the screens and the evidence name it: its value in English (which the
command line takes too), a word in the language in use once translated."""


STATUS_LABELS: dict[str, str] = {
    "open": N_("open"),
    "waiting_on_support": N_("waiting_on_support"),
    "waiting_on_me": N_("waiting_on_me"),
    "escalated": N_("escalated"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
    "dismissed": N_("dismissed"),
    "confirmed": N_("confirmed"),
}
"""A case's or a duplicate flag's status as the command line and the evidence name it:
its value in English (which the command line takes too), words once translated."""


def status_label(status: str) -> str:
    """A status as people read it, in the language in use (`waiting_on_support`,
    `等客服答复`)."""
    label = STATUS_LABELS.get(status)
    return _(label) if label is not None else status


def channel_label(channel: str) -> str:
    """A channel as people call it, in the language in use (`email`, `邮件`)."""
    label = CHANNEL_LABELS.get(channel)
    return _(label) if label is not None else channel


class Direction(StrEnum):
    """Who spoke: the user (outbound) or support (inbound)."""

    outbound = "outbound"
    inbound = "inbound"


EMAIL_MEDIA_TYPE = "message/rfc822"
"""The media type of an imported email kept byte for byte (an `.eml` attachment)."""


class Source(StrEnum):
    """Where a contact's record came from."""

    typed = "typed"
    imported = "imported"
    demo = "demo"


class AuditAction(StrEnum):
    """What an audit event records."""

    create = "create"
    update = "update"
    delete = "delete"


class AnchorKind(StrEnum):
    """What recorded the audit chain's head (recorder.write.anchors)."""

    export = "export"
    backup = "backup"
    anchor = "anchor"
    """`recorder anchor`: asked for by the user, perhaps with a timestamp."""


class DuplicateKind(StrEnum):
    """Why a submission looks like a repeat of an earlier one."""

    same_reference = "same_reference"
    """The reference number is already in another case."""
    same_identifier = "same_identifier"
    """The TxID or order number is already in another open case."""
    same_message = "same_message"
    """The same message was already sent."""
    still_waiting = "still_waiting"
    """An earlier message in the case is still inside its response window."""
    similar_case = "similar_case"
    """The problem reads like an open case of the same platform."""
    second_ticket = "second_ticket"
    """A new ticket number in a case whose first ticket is still unanswered."""


class FlagStatus(StrEnum):
    """What the user decided about a duplicate flag."""

    open = "open"
    dismissed = "dismissed"
    """Not a duplicate."""
    confirmed = "confirmed"
    """A duplicate indeed."""
    closed = "closed"
    """Moot: its case was merged into another (an unmerge opens it again)."""


IDENTIFIERS = ("txid", "order_number", "account_email", "asset", "amount")
"""The identifier fields of a case, in the order they are shown."""

IDENTIFIER_LABELS = {
    "txid": N_("TxID"),
    "order_number": N_("Order"),
    "account_email": N_("Account"),
    "asset": N_("Asset"),
    "amount": N_("Amount"),
}
"""How each identifier field is named to people (screens, errors, the evidence)."""


def platform_key(name: str) -> str:
    """The form a platform's name is compared in: names are unique whatever their case."""
    return name.strip().casefold()


def parse_choice(enum: type[E], value: Any, what: str) -> E:
    """The member of `enum` with this value; refuse others, listing the allowed ones."""
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InputError(
            _("unknown {what} {value!r}; expected one of: {allowed}").format(
                what=what, value=value, allowed=allowed
            )
        ) from None
