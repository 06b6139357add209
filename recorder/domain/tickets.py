"""The ticket number a helpdesk's message carries, read the way each helpdesk writes it
(`helpdesks.toml`: Zendesk, Request Tracker, Zammad and OTRS, Jira, ServiceNow,
Freshdesk and osTicket), before the generic wordings ("Ticket #123", "工单编号：123")
of recorder.domain.identifiers.

Pure: takes a message's subject, text and headers as plain values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from recorder.domain.i18n import _
from recorder.domain.identifiers import named_reference


@dataclass(frozen=True, slots=True)
class TicketPattern:
    """Where one helpdesk puts its ticket number, and its shape."""

    helpdesk: str
    where: str
    """"subject", "body", "reply-to" or "header:NAME"."""
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Ticket:
    """A ticket number found, and the helpdesk whose pattern found it."""

    number: str
    helpdesk: str


@lru_cache(maxsize=1)
def ticket_patterns() -> tuple[TicketPattern, ...]:
    """The packaged patterns, in the order they are tried."""
    import tomllib
    from importlib import resources

    text = resources.files("recorder.domain").joinpath("helpdesks.toml").read_text("utf-8")
    return tuple(
        TicketPattern(entry["helpdesk"], entry["where"], re.compile(entry["pattern"]))
        for entry in tomllib.loads(text)["ticket"]
    )


def find_ticket(
    *,
    subject: str = "",
    body: str = "",
    headers: Mapping[str, str] | None = None,
    reply_to: str = "",
    extra: Sequence[str] = (),
) -> Ticket | None:
    """The ticket number of a helpdesk's message, or None.

    The platform's own patterns (`extra`: regular expressions whose group 1, or whole
    match, is the number) are tried first, on the subject then the body. A helpdesk's
    own places (a header, the Reply-To address, its subject tag) come next; a body is
    read for the helpdesk patterns, then for the generic wordings.
    """
    for pattern in extra:
        compiled = own_pattern(pattern)
        for text in (subject, body):
            found = compiled.search(text) if text else None
            if found:
                return Ticket(found.group(1 if compiled.groups else 0), "platform")
    named = {name.lower(): value for name, value in (headers or {}).items()}
    for entry in ticket_patterns():
        if entry.where == "subject":
            text = subject
        elif entry.where == "body":
            text = body
        elif entry.where == "reply-to":
            text = reply_to
        else:
            text = named.get(entry.where.removeprefix("header:").lower(), "")
        found = entry.pattern.search(text) if text else None
        if found:
            return Ticket(found.group(1), entry.helpdesk)
    for text in (subject, body):
        generic = named_reference(text) if text else None
        if generic:
            return Ticket(generic, "")
    return None


@lru_cache(maxsize=256)
def own_pattern(pattern: str) -> re.Pattern[str]:
    """A platform's ticket pattern, compiled; ValueError with a person's reason if it is
    not a regular expression."""
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValueError(
            _("'{pattern}' is not a regular expression ({error})").format(
                pattern=pattern, error=error
            )
        ) from None
