"""Platforms' business calendars: public holidays from the `holidays` package, kept as data.

Building a country's holidays takes the `holidays` package about 80 ms to import and
compute, too long for every `recorder log`. So a platform keeps its holiday dates for
HOLIDAY_YEARS, computed when it is added or its holidays change; a date outside them
is computed when needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.domain.windows import Calendar, calendar_for

HOLIDAY_YEARS = range(2015, 2046)
"""The years whose holidays a platform keeps."""


def holiday_dates(country: str, subdivision: str | None, years: Iterable[int]) -> list[str]:
    """The public holidays of a country (and subdivision) in these years, as ISO dates."""
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError:
        raise InputError(
            _(
                "unknown holiday country {country!r}; expected a code such as US, GB, DE or AU"
            ).format(country=country)
        ) from None
    except Exception as exc:  # the package's error for an unknown subdivision
        raise InputError(
            _(
                "unknown subdivision {subdivision!r} of {country}; expected e.g. US-NY ({exc})"
            ).format(subdivision=subdivision, country=country, exc=exc)
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


def calendar_of(platform: Any, moments: Iterable[datetime] = ()) -> Calendar:
    """The business calendar of a platform, good for the years of these moments.

    `platform` is anything that has a platform's calendar fields (`timezone`,
    `holiday_country`, `holiday_subdivision`, `holiday_dates`, `closed_dates`): a stored
    row, a view, or an exported record (a mapping).
    """
    if isinstance(platform, Mapping):
        fields = platform
    else:
        fields = {name: getattr(platform, name) for name in _CALENDAR_FIELDS}
    return platform_calendar(
        fields["timezone"],
        fields["holiday_country"],
        fields["holiday_subdivision"],
        fields["holiday_dates"],
        fields["closed_dates"],
        years={m.year for m in moments},
    )


_CALENDAR_FIELDS = (
    "timezone",
    "holiday_country",
    "holiday_subdivision",
    "holiday_dates",
    "closed_dates",
)


def closed_dates(values: Iterable[str]) -> list[str]:
    """The user's own closed dates, checked and sorted."""
    out: set[str] = set()
    for value in values:
        try:
            out.add(date.fromisoformat(value.strip()).isoformat())
        except ValueError:
            raise InputError(
                _("cannot read the date {value!r}; expected YYYY-MM-DD").format(value=value)
            ) from None
    return sorted(out)
