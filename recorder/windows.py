"""Response windows: what a platform promises for a channel, read from text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from recorder.errors import InputError


class Unit(StrEnum):
    """The units a window can be given in."""

    minutes = "minutes"
    hours = "hours"
    days = "days"
    business_days = "business days"


_SHORT = {Unit.minutes: "m", Unit.hours: "h", Unit.days: "d"}
_UNIT_WORDS = {
    "m": Unit.minutes,
    "min": Unit.minutes,
    "mins": Unit.minutes,
    "minute": Unit.minutes,
    "minutes": Unit.minutes,
    "h": Unit.hours,
    "hr": Unit.hours,
    "hrs": Unit.hours,
    "hour": Unit.hours,
    "hours": Unit.hours,
    "d": Unit.days,
    "day": Unit.days,
    "days": Unit.days,
    "bd": Unit.business_days,
    "business day": Unit.business_days,
    "business days": Unit.business_days,
}
_WINDOW = re.compile(r"(\d{1,4})\s*([a-z]+(?: [a-z]+)?)")

WINDOW_FORMS = "'10m', '72h', '3d' or '5 business days' ('5bd')"


@dataclass(frozen=True)
class Window:
    """A promised response time: an amount of elapsed time or of business days."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        if self.unit is Unit.business_days:
            return f"{self.amount} business day{'s' if self.amount != 1 else ''}"
        return f"{self.amount}{_SHORT[self.unit]}"


def parse_window(text: str) -> Window:
    """Read a window such as `72h` or `5 business days`; refuse anything else."""
    cleaned = " ".join(text.strip().lower().split())
    match = _WINDOW.fullmatch(cleaned)
    unit = _UNIT_WORDS.get(match.group(2)) if match else None
    if match is None or unit is None or int(match.group(1)) == 0:
        raise InputError(f"cannot read the window {text!r}; expected {WINDOW_FORMS}")
    return Window(int(match.group(1)), unit)
