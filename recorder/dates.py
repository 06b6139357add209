"""Reading the times users type, in their own time zone (python-dateutil)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recorder.errors import InputError

TZ_ENV = "RECORDER_TZ"
WHEN_FORMS = "'2026-11-20 14:05', '20 Nov 2026 2:05pm', ISO 8601 with offset, or 'now'"


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called `name`; refuse an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {name!r}; expected an IANA name such as 'America/New_York'"
        ) from None


def local_zone() -> tzinfo:
    """The user's time zone: `RECORDER_TZ` if set, else the system's."""
    name = os.environ.get(TZ_ENV)
    if name:
        return zone(name)
    from dateutil import tz

    local: tzinfo = tz.tzlocal()
    return local


def parse_when(text: str, *, now: datetime, local: tzinfo) -> datetime:
    """Read a time as a user types it; a time without an offset is in `local`.

    Returns an aware datetime in UTC. Parts left out are taken from today in `local`
    ("14:05" is today at 14:05).
    """
    cleaned = text.strip()
    if cleaned.lower() == "now":
        return now.astimezone(UTC)
    if not cleaned:
        raise InputError(f"empty time; expected {WHEN_FORMS}")
    # Imported here: the parser is only needed when someone typed a time.
    from dateutil import parser as dateparser

    today = now.astimezone(local).replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        parsed = dateparser.parse(cleaned, default=today.replace(tzinfo=None))
    except (dateparser.ParserError, ValueError, OverflowError):
        raise InputError(f"cannot read the time {text!r}; expected {WHEN_FORMS}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=local)
    return parsed.astimezone(UTC)
