"""Platforms in the write path: adding one, editing one (its cases follow), and the
built-in presets of `platforms.toml`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict

from recorder.domain.calendars import HOLIDAY_YEARS, closed_dates, holiday_dates
from recorder.domain.dates import zone
from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _
from recorder.domain.vocabulary import Channel, parse_choice, platform_key
from recorder.store.lookups import find_platform, platform_by_name
from recorder.store.models import Platform
from recorder.store.session import Tx
from recorder.write.audit import create, update
from recorder.write.derived import rederive_platform
from recorder.write.fields import (
    domains_of,
    holidays_of,
    jurisdiction,
    short_text,
    windows_of,
)


def add_platform(
    tx: Tx,
    *,
    name: str,
    domains: Sequence[str] = (),
    addresses: Sequence[str] = (),
    timezone: str = "UTC",
    holidays: str | None = None,
    windows: Mapping[str, str] | None = None,
    jurisdiction: str | None = None,
    closed: Sequence[str] = (),
    notes: str = "",
) -> Platform:
    """Add a platform; its name must be new, whatever its case."""
    clean_name = short_text(name, N_("platform name"), max_len=100, required=True)
    assert clean_name is not None
    if platform_by_name(tx.session, clean_name) is not None:
        raise InputError(
            _("a platform called {clean_name!r} already exists").format(clean_name=clean_name)
        )
    platform = Platform(
        name=clean_name,
        name_key=platform_key(clean_name),
        domains=domains_of(domains, "domain"),
        addresses=domains_of(addresses, "address"),
        timezone=zone(timezone).key,
        closed_dates=closed_dates(closed),
        windows=windows_of(windows or {}),
        jurisdiction=_jurisdiction(jurisdiction),
        notes=(notes or "").strip(),
        created_at=tx.now,
        **_holiday_columns(holidays),
    )
    create(tx, platform)
    return platform


_jurisdiction = jurisdiction  # the keyword argument of add_platform shadows the checker


class PlatformEdit(TypedDict, total=False):
    """A change to a platform: only the fields given change.

    `windows` are merged into the platform's (a window of "none" removes one);
    `closed` replaces the user's closed dates; `holidays` is COUNTRY or
    COUNTRY-SUBDIVISION ("" for none).
    """

    windows: Mapping[str, str]
    timezone: str
    holidays: str | None
    jurisdiction: str | None
    closed: Sequence[str]
    domains: Sequence[str]
    addresses: Sequence[str]
    ticket_patterns: Sequence[str]
    notes: str | None


def _holiday_columns(value: str | None) -> dict[str, Any]:
    country, sub = holidays_of(value)
    return {
        "holiday_country": country,
        "holiday_subdivision": sub,
        "holiday_dates": holiday_dates(country, sub, HOLIDAY_YEARS) if country else [],
    }


def _merged_windows(platform: Platform, given: Mapping[str, str]) -> dict[str, Any]:
    merged = dict(platform.windows)
    for channel, text in given.items():
        if text.strip().lower() == "none":
            merged.pop(parse_choice(Channel, channel, N_("channel")).value, None)
        else:
            merged.update(windows_of({channel: text}))
    return {"windows": merged}


_PLATFORM_EDITS: dict[str, Callable[[Platform, Any], dict[str, Any]]] = {
    "windows": _merged_windows,
    "timezone": lambda _, v: {"timezone": zone(v).key},
    "holidays": lambda _, v: _holiday_columns(v),
    "jurisdiction": lambda _, v: {"jurisdiction": _jurisdiction(v)},
    "closed": lambda _, v: {"closed_dates": closed_dates(v)},
    "domains": lambda _, v: {"domains": domains_of(v, "domain")},
    "addresses": lambda _, v: {"addresses": domains_of(v, "address")},
    "notes": lambda _, v: {"notes": (v or "").strip()},
    "ticket_patterns": lambda _, v: {"ticket_patterns": _ticket_patterns(v)},
}


def _ticket_patterns(values: Sequence[str]) -> list[str]:
    """A platform's own ticket-number patterns, each a regular expression; one that is
    not is refused with why."""
    from recorder.domain.tickets import own_pattern

    kept = [v.strip() for v in values if v.strip()]
    for pattern in kept:
        try:
            own_pattern(pattern)
        except ValueError as error:
            raise InputError(
                _("ticket pattern {error}; expected e.g. 'GEM-(\\d{{6}})'").format(error=error)
            ) from None
    return kept


"""The columns each field of a PlatformEdit sets, checked."""

_CALENDAR_COLUMNS = frozenset(
    {"windows", "timezone", "holiday_dates", "closed_dates", "jurisdiction"}
)


def edit_platform(tx: Tx, name: str, changes: PlatformEdit) -> Platform:
    """Change a platform; its contacts' due times and its cases' follow-ups follow."""
    platform = find_platform(tx.session, name)
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        clean.update(_PLATFORM_EDITS[key](platform, value))
    if update(tx, platform, clean) and _CALENDAR_COLUMNS & set(clean):
        rederive_platform(tx, platform)
    return platform


def presets() -> list[dict[str, Any]]:
    """The built-in platforms of `platforms.toml`."""
    import tomllib
    from importlib import resources

    text = resources.files("recorder").joinpath("platforms.toml").read_text("utf-8")
    found: list[dict[str, Any]] = tomllib.loads(text)["platform"]
    return found


def load_presets(tx: Tx) -> list[Platform]:
    """Add the built-in platforms of `platforms.toml` that the store does not have yet."""
    added = []
    for preset in presets():
        if platform_by_name(tx.session, preset["name"]) is None:
            added.append(
                add_platform(
                    tx,
                    name=preset["name"],
                    domains=preset.get("domains", []),
                    addresses=preset.get("addresses", []),
                    timezone=preset.get("timezone", "UTC"),
                    holidays=preset.get("holidays"),
                    windows=preset.get("windows", {}),
                    jurisdiction=preset.get("jurisdiction"),
                    notes=preset.get("notes", ""),
                )
            )
    return added
