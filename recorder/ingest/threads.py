"""Which platform an email is with, who wrote it, and which case it belongs to.

Threading, in order: a ticket number already recorded in one of the platform's
cases; then In-Reply-To/References naming an imported message; then the subject,
without its "Re:"/"回复：" prefixes and helpdesk tags, within the platform. Otherwise
the email opens a case titled from its subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from recorder.domain.i18n import _
from recorder.domain.senders import registrable
from recorder.domain.tickets import find_ticket
from recorder.domain.vocabulary import Direction
from recorder.ingest.messages import Email
from recorder.store.models import Case, Contact, Platform, table_of
from recorder.store.models import Email as EmailRow

_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|rif|tr|回复|答复|转发|回覆|轉寄)\s*(?:\[\d+\])?\s*[:：]\s*"
    r"|\[[^\]]{0,40}\]\s*)+",
    re.IGNORECASE,
)
_TAGS = re.compile(r"\[[^\]]{0,40}#[^\]]{0,40}\]|\[(?:jira|ticket#?)[^\]]*\]", re.IGNORECASE)


def bare_subject(subject: str) -> str:
    """A subject without its reply and forward prefixes ("Re:", "AW:", "回复：") and
    helpdesk tags ("[#4815]", "[Gemini]"), its spaces collapsed."""
    text = _TAGS.sub(" ", subject)
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX.sub("", text)
    return " ".join(text.split())


def subject_key(subject: str | None) -> str:
    """A subject as threads compare it: bare, case folded; "" for one that says
    nothing."""
    return bare_subject(subject).casefold() if subject else ""


def case_title(email: Email) -> str:
    """A new case's title: the bare subject, or who wrote."""
    title = bare_subject(email.subject)
    return (title or f"Email from {email.sender_address or 'an unknown sender'}")[:300]


@dataclass(frozen=True)
class PlatformDomains:
    """A platform and the registrable domains it writes from."""

    id: int
    name: str
    domains: frozenset[str]
    addresses: frozenset[str]
    ticket_patterns: tuple[str, ...]


def platforms_of(session: Session) -> list[PlatformDomains]:
    """Every platform with its registrable domains (read once per import)."""
    table = table_of(Platform)
    rows = session.connection().execute(
        sa.select(
            table.c.id, table.c.name, table.c.domains, table.c.addresses, table.c.ticket_patterns
        )
    )
    return [
        PlatformDomains(
            row.id,
            row.name,
            frozenset(registrable(d)[0] for d in row.domains or () if d.strip()),
            frozenset(a.casefold() for a in row.addresses or ()),
            tuple(row.ticket_patterns or ()),
        )
        for row in rows
    ]


def platform_of_address(
    platforms: Sequence[PlatformDomains], address: str
) -> PlatformDomains | None:
    """The platform an address belongs to (official address or registrable domain)."""
    if "@" not in address:
        return None
    for platform in platforms:
        if address in platform.addresses:
            return platform
    domain = registrable(address.rpartition("@")[2])[0]
    for platform in platforms:
        if domain in platform.domains:
            return platform
    return None


def direction_of(email: Email, mine: Sequence[str], platform: PlatformDomains | None) -> Direction:
    """Outbound when the user wrote it (from one of their addresses, or, with none set,
    to the platform from outside it); inbound otherwise."""
    if email.sender_address in mine:
        return Direction.outbound
    if (
        not mine
        and platform is not None
        and platform_of_address([platform], email.sender_address) is None
    ):
        recipients = (*email.to, *email.cc)
        if any(platform_of_address([platform], r) for r in recipients):
            return Direction.outbound
    return Direction.inbound


class Threads:
    """Finds the case an email continues, in one import's transaction; remembers the
    subjects of the cases it opens or adds to as it goes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._subjects: dict[int, dict[str, int]] = {}

    def case_for(self, email: Email, platform: PlatformDomains) -> tuple[int | None, str]:
        """The case the email continues and why ("ticket 4815"), or None."""
        conn = self.session.connection()
        contacts, cases = table_of(Contact), table_of(Case)
        ticket = find_ticket(
            subject=email.subject,
            body=email.reply.new,
            headers=email.headers,
            reply_to=", ".join(email.reply_to),
            extra=platform.ticket_patterns,
        )
        if ticket is not None:
            found = conn.execute(
                sa.select(contacts.c.case_id)
                .join(cases, cases.c.id == contacts.c.case_id)
                .where(cases.c.platform_id == platform.id, contacts.c.reference == ticket.number)
                .order_by(contacts.c.occurred_at.desc())
                .limit(1)
            ).scalar()
            if found is not None:
                return found, _("ticket {number}").format(number=ticket.number)
        named = [m for m in (email.in_reply_to, *email.references) if m]
        if named:
            emails = table_of(EmailRow)
            found = conn.execute(
                sa.select(contacts.c.case_id)
                .join(emails, emails.c.contact_id == contacts.c.id)
                .where(emails.c.message_id.in_(named))
                .order_by(contacts.c.occurred_at.desc())
                .limit(1)
            ).scalar()
            if found is not None:
                return found, _("a reply to an imported message")
        key = subject_key(email.subject)
        if key:
            found = self._by_subject(platform.id).get(key)
            if found is not None:
                return found, _("the same subject")
        return None, ""

    def remember(self, platform_id: int, subject: str | None, case_id: int) -> None:
        """Note a subject now in a case (one this import opened or added to)."""
        key = subject_key(subject)
        if key:
            self._by_subject(platform_id).setdefault(key, case_id)

    def _by_subject(self, platform_id: int) -> dict[str, int]:
        known = self._subjects.get(platform_id)
        if known is None:
            contacts, cases = table_of(Contact), table_of(Case)
            rows = self.session.connection().execute(
                sa.select(contacts.c.subject, contacts.c.case_id)
                .join(cases, cases.c.id == contacts.c.case_id)
                .where(cases.c.platform_id == platform_id, contacts.c.subject.is_not(None))
                .order_by(contacts.c.occurred_at.desc())
            )
            known = {}
            for subject, case_id in rows:
                key = subject_key(subject)
                if key:
                    known.setdefault(key, case_id)
            self._subjects[platform_id] = known
        return known
