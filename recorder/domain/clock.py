"""The one source of "now": tests and snapshots inject a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """Return the current time, time-zone aware, in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stands still until told to move; for tests and snapshots."""

    at: datetime
    step: timedelta = field(default=timedelta(0))
    """How far the clock moves after each reading (zero: it never moves)."""

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = self.at.astimezone(UTC)

    def now(self) -> datetime:
        """Return the fixed time, then advance it by `step`."""
        current = self.at
        self.at = current + self.step
        return current

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by `delta`."""
        self.at += delta
