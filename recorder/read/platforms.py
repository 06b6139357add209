"""Platforms as shown: the list, and one by name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from recorder.domain.errors import unknown_platform
from recorder.domain.vocabulary import platform_key
from recorder.store.readers import Reader
from recorder.store.times import stored_json

if TYPE_CHECKING:
    from recorder.domain.windows import Calendar


@dataclass(slots=True)
class PlatformView:
    """A platform as shown."""

    id: int
    name: str
    domains: list[str]
    addresses: list[str]
    timezone: str
    holiday_country: str | None
    holiday_subdivision: str | None
    windows: dict[str, str]
    notes: str
    jurisdiction: str | None = None
    closed_dates: list[str] = field(default_factory=list)
    holiday_dates: list[str] = field(default_factory=list)
    ticket_patterns: list[str] = field(default_factory=list)

    def calendar(self, moments: Iterable[datetime] = ()) -> Calendar:
        """The platform's business calendar, good for the years of these moments."""
        from recorder.domain.calendars import calendar_of

        return calendar_of(self, moments)

    @property
    def holidays(self) -> str | None:
        """`US` or `US-NY`, or None."""
        if self.holiday_country is None:
            return None
        return "-".join(p for p in (self.holiday_country, self.holiday_subdivision) if p)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `recorder platform show --json`."""
        return {
            "id": self.id,
            "name": self.name,
            "domains": self.domains,
            "addresses": self.addresses,
            "timezone": self.timezone,
            "holidays": self.holidays,
            "windows": self.windows,
            "jurisdiction": self.jurisdiction,
            "closed_dates": self.closed_dates,
            "ticket_patterns": self.ticket_patterns,
            "notes": self.notes,
        }


PLATFORM_COLUMNS = (
    "platforms.id, platforms.name, platforms.domains, platforms.addresses, platforms.timezone,"
    " platforms.holiday_country, platforms.holiday_subdivision, platforms.windows,"
    " platforms.notes, platforms.jurisdiction, platforms.closed_dates, platforms.holiday_dates,"
    " platforms.ticket_patterns"
)


def platform_view(row: Sequence[Any]) -> PlatformView:
    return PlatformView(
        id=row[0],
        name=row[1],
        domains=stored_json(row[2]),
        addresses=stored_json(row[3]),
        timezone=row[4],
        holiday_country=row[5],
        holiday_subdivision=row[6],
        windows=stored_json(row[7]),
        notes=row[8],
        jurisdiction=row[9],
        closed_dates=stored_json(row[10]),
        holiday_dates=stored_json(row[11]),
        ticket_patterns=stored_json(row[12]),
    )


def list_platforms(reader: Reader) -> list[PlatformView]:
    """All platforms by name."""
    sql = f"SELECT {PLATFORM_COLUMNS} FROM platforms ORDER BY platforms.name_key"
    return [platform_view(row) for row in reader.rows(sql)]


def platform_named(reader: Reader, name: str) -> PlatformView:
    """The platform called `name`, whatever its case; NotFoundError otherwise."""
    sql = f"SELECT {PLATFORM_COLUMNS} FROM platforms WHERE platforms.name_key = :key"
    rows = reader.rows(sql, {"key": platform_key(name)})
    if not rows:
        raise unknown_platform(name, [p.name for p in list_platforms(reader)])
    return platform_view(rows[0])
