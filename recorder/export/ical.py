"""An iCalendar file of pending follow-ups and escalation deadlines (the icalendar package).

Each entry has a UID made from what it is about, so that importing a newer file into a
calendar updates the entries rather than adding them twice.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from recorder.domain.dates import shown
from recorder.domain.i18n import _
from recorder.read.reports import DueItem, DueKind

PRODID = "-//recorder//follow-ups//EN"


def follow_up_calendar(items: list[DueItem], *, now: datetime) -> bytes:
    """The calendar: a 15-minute entry at each follow-up and escalation date."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("recorder: follow-ups"))
    for item in items:
        ref = _(" (ref {reference})").format(reference=item.reference) if item.reference else ""
        rung = item.escalation
        if item.kind is DueKind.follow_up:
            uid = f"follow-up-case-{item.case_id}@recorder"
            summary = _("Follow up: {platform} {title}{ref}").format(
                platform=item.platform, title=item.title, ref=ref
            )
            description = item.next_step + (f" ({item.basis})" if item.basis else "")
        else:
            assert rung is not None
            kind = "earliest" if item.kind is DueKind.may_escalate else "latest"
            uid = f"escalation-case-{item.case_id}-{kind}@recorder"
            summary = (
                _("May take case #{case_id} to {next}").format(
                    case_id=item.case_id, next=_(rung.next)
                )
                if item.kind is DueKind.may_escalate
                else _("Last day to take case #{case_id} to {next}").format(
                    case_id=item.case_id, next=_(rung.next)
                )
            )
            description = _("{rung} since {since}. {source}").format(
                rung=_(rung.rung), since=shown(rung.since, "date"), source=rung.source
            )
        calendar.add_component(
            _event(uid=uid, at=item.at, summary=summary, description=description, now=now)
        )
    data: bytes = calendar.to_ical()
    return data


def _event(*, uid: str, at: datetime, summary: str, description: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", at)
    event.add("dtend", at + timedelta(minutes=15))
    event.add("summary", summary)
    event.add("description", description)
    return event


def write_calendar(path: Path, data: bytes) -> None:
    """Write the file whole or not at all (a newer calendar replaces an older one),
    readable by the user alone whatever the umask: it names their cases."""
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
    finally:
        os.close(fd)
    partial.replace(path)
