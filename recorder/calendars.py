"""Platforms' business calendars: public holidays from the `holidays` package, kept as data.

Building a country's holidays takes the `holidays` package about 80 ms to import and
compute, too long for every `recorder log`. So a platform keeps its holiday dates for
HOLIDAY_YEARS, computed when it is added or its holidays change; a date outside them
is computed when needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from recorder.errors import InputError
from recorder.windows import Calendar, calendar_for

HOLIDAY_YEARS = range(2015, 2046)
"""The years whose holidays a platform keeps."""


def holiday_dates(country: str, subdivision: str | None, years: Iterable[int]) -> list[str]:
    """The public holidays of a country (and subdivision) in these years, as ISO dates."""
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        raise InputError(
            f"unknown holiday country {country!r}; expected a code such as US, GB, DE or AU"
        ) from None
    except Exception as exc:  # the package's error for an unknown subdivision
        raise InputError(
            f"unknown subdivision {subdivision!r} of {country}; expected e.g. US-NY ({exc})"
        ) from None
    return sorted(day.isoformat() for day in found)


def platform_calendar(
    timezone: str,
    country: str | None,
    subdivision: str | None,
    kept: Iterable[str],
    closed: Iterable[str],
    *,
    years: Iterable[int] = (),
) -> Calendar:
    """The calendar of a platform, from its stored values.

    `years` are the years the caller's dates fall in; holidays of any outside
    HOLIDAY_YEARS are computed now.
    """
    days = set(kept) | set(closed)
    missing = [y for y in years if y not in HOLIDAY_YEARS]
    if country and missing:
        # A window can reach into the next year; take that one too.
        wanted = sorted({*missing, *(y + 1 for y in missing)})
        days.update(holiday_dates(country, subdivision, wanted))
    return calendar_for(timezone, days)


def closed_dates(values: Iterable[str]) -> list[str]:
    """The user's own closed dates, checked and sorted."""
    out: set[str] = set()
    for value in values:
        try:
            out.add(date.fromisoformat(value.strip()).isoformat())
        except ValueError:
            raise InputError(f"cannot read the date {value!r}; expected YYYY-MM-DD") from None
    return sorted(out)
