"""Reading the times users type, in their own time zone (python-dateutil)."""

from __future__ import annotations

import os
import warnings
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recorder.domain.errors import InputError

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
    """The user's time zone: `RECORDER_TZ` if set, else the system's.

    The system's is found as an IANA zone where it can be (`TZ`, or what
    /etc/localtime links to), else through python-dateutil.
    """
    name = os.environ.get(TZ_ENV)
    if name:
        return zone(name)
    system = _system_zone()
    if system is not None:
        return system
    from dateutil import tz

    local: tzinfo = tz.tzlocal()
    return local


def _system_zone() -> ZoneInfo | None:
    """The system's zone by its IANA name, or None where it has none that can be found."""
    name = os.environ.get("TZ", "").removeprefix(":")
    if not name:
        try:
            target = os.path.realpath("/etc/localtime")
        except OSError:
            return None
        marker = "/zoneinfo/"
        if marker not in target:
            return None
        name = target.split(marker, 1)[1]
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


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
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            parsed = dateparser.parse(cleaned, default=today.replace(tzinfo=None))
        except (dateparser.ParserError, ValueError, OverflowError):
            raise InputError(f"cannot read the time {text!r}; expected {WHEN_FORMS}") from None
    if any(issubclass(w.category, dateparser.UnknownTimezoneWarning) for w in said):
        raise InputError(
            f"the time {text!r} names a time zone recorder does not know; expected an "
            "offset such as +08:00 or UTC, or no zone (your own is used)"
        )
    return checked_moment(parsed, text, local)


EARLIEST_YEAR, LATEST_YEAR = 1970, 2100
"""The years a contact or a follow-up may fall in."""


def checked_moment(parsed: datetime, text: str, local: tzinfo) -> datetime:
    """A time read from `text` in UTC; one without an offset is in `local`. Refuses a
    year out of range and a local time that does not exist (the hour skipped when the
    clocks move forward)."""
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise InputError(
            f"the time {text!r} is in the year {parsed.year}; expected a year between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        wall = parsed.replace(tzinfo=None)
        parsed = wall.replace(tzinfo=local)
        if parsed.astimezone(UTC).astimezone(local).replace(tzinfo=None) != wall:
            raise InputError(
                f"{wall:%Y-%m-%d %H:%M} does not exist in {local} (the clocks moved forward "
                "then); expected a time before or after the change"
            )
    return parsed.astimezone(UTC)
