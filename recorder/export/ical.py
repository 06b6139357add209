"""An iCalendar file of pending follow-ups and escalation deadlines (the icalendar package).

Each entry has a UID made from what it is about, so that importing a newer file into a
calendar updates the entries rather than adding them twice.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event

from recorder.read.reports import DueItem

PRODID = "-//recorder//follow-ups//EN"


def follow_up_calendar(items: list[DueItem], *, now: datetime) -> bytes:
    """The calendar: a 15-minute entry at each follow-up and escalation date."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "recorder: follow-ups")
    for item in items:
        ref = f" (ref {item.reference})" if item.reference else ""
        calendar.add_component(
            _event(
                uid=f"follow-up-case-{item.case_id}@recorder",
                at=item.expected_by,
                summary=f"Follow up: {item.platform} {item.title}{ref}",
                description=item.next_step,
                now=now,
            )
        )
        rung = item.escalation
        if rung is None:
            continue
        for kind, at, what in (
            ("earliest", rung.earliest, f"May take case #{item.case_id} to {rung.next}"),
            ("latest", rung.latest, f"Last day to take case #{item.case_id} to {rung.next}"),
        ):
            if at is not None:
                calendar.add_component(
                    _event(
                        uid=f"escalation-case-{item.case_id}-{kind}@recorder",
                        at=at,
                        summary=what,
                        description=f"{rung.rung} since {rung.since:%d %b %Y}. {rung.source}",
                        now=now,
                    )
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
    """Write the file whole or not at all (a newer calendar replaces an older one)."""
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(path)
