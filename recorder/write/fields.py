"""Checking and cleaning what a user gives the write path: short texts, identifiers,
amounts, emails, times, windows, domains and a contact's fields. Each refusal is one
InputError that says what was expected."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _
from recorder.domain.vocabulary import IDENTIFIER_LABELS, Channel, Direction, parse_choice
from recorder.domain.windows import parse_window


def short_text(value: str | None, what: str, *, max_len: int, required: bool = False) -> str | None:
    """Strip a short text field; refuse it when required and empty, or too long."""
    if value is None:
        cleaned = ""
    else:
        check_utf8(value, what)
        cleaned = " ".join(value.split())
    if not cleaned:
        if required:
            raise InputError(_("{what} is empty; expected some text").format(what=_(what)))
        return None
    if len(cleaned) > max_len:
        raise InputError(
            _("{what} is {count} characters long; at most {max_len} fit").format(
                what=_(what), count=len(cleaned), max_len=max_len
            )
        )
    return cleaned


def check_utf8(value: str, what: str) -> None:
    """Refuse text that cannot be stored as UTF-8 (lone surrogates)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            _("{what} is not valid UTF-8 (character {start}); expected UTF-8 text").format(
                what=_(what), start=exc.start
            )
        ) from None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def email(value: str | None) -> str | None:
    """An account email, or None."""
    cleaned = short_text(value, N_("account email"), max_len=320)
    if cleaned is not None and not _EMAIL.fullmatch(cleaned):
        raise InputError(
            _("account email {cleaned!r} is not an email address").format(cleaned=cleaned)
        )
    return cleaned


def amount(value: str | None) -> str | None:
    """An amount as written ("0.25", "1,200.00"), checked to be a number."""
    cleaned = short_text(value, N_("amount"), max_len=64)
    if cleaned is None:
        return None
    try:
        number = Decimal(cleaned.replace(",", "").replace("_", ""))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InputError(
            _("amount {cleaned!r} is not a number; expected e.g. 0.25 or 1,200.00").format(
                cleaned=cleaned
            )
        )
    return cleaned


def aware(value: datetime, what: str) -> datetime:
    """An aware time in UTC; a time without a zone is refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(_("{what} has no time zone").format(what=_(what)))
    return value.astimezone(UTC)


def holidays_of(value: str | None) -> tuple[str | None, str | None]:
    """`US` or `US-NY` as (country, subdivision); (None, None) for none."""
    if value is None or not value.strip():
        return None, None
    match = re.fullmatch(r"([A-Za-z]{2,3})(?:-([A-Za-z0-9]{1,10}))?", value.strip())
    if match is None:
        raise InputError(
            _(
                "cannot read holidays {value!r}; expected COUNTRY or "
                "COUNTRY-SUBDIVISION, e.g. US or US-NY"
            ).format(value=value)
        )
    country, sub = match.groups()
    return country.upper(), sub.upper() if sub else None


def jurisdiction(value: str | None) -> str | None:
    """A known jurisdiction (a key of escalation.toml), or None."""
    # Imported here: only adding or editing a platform needs the ladders.
    from recorder.domain.escalation import check_jurisdiction

    return check_jurisdiction(value)


def windows_of(windows: Mapping[str, str]) -> dict[str, str]:
    """Response windows by channel, each read and written the one way it is stored."""
    out: dict[str, str] = {}
    for channel, text in windows.items():
        ch = parse_choice(Channel, channel, N_("channel"))
        out[ch.value] = str(parse_window(text))
    return out


def domains_of(values: Iterable[str], what: str) -> list[str]:
    """Domains or addresses, lower-cased, each once."""
    out: list[str] = []
    for value in values:
        cleaned = value.strip().lower()
        if not cleaned or any(c.isspace() for c in cleaned):
            raise InputError(
                _("{what} {value!r} is not valid; expected e.g. gemini.com").format(
                    what=_(what), value=value
                )
            )
        if cleaned not in out:
            out.append(cleaned)
    return out


def identifier(field_name: str, value: str | None) -> str | None:
    """A case identifier (a name in IDENTIFIERS) checked and cleaned."""
    if field_name == "account_email":
        return email(value)
    if field_name == "amount":
        return amount(value)
    limits = {"txid": 200, "order_number": 100, "asset": 32}
    label = IDENTIFIER_LABELS[field_name]
    cleaned = short_text(value, label, max_len=limits[field_name])
    if cleaned is not None and any(c.isspace() for c in cleaned):
        raise InputError(
            _("{label} {cleaned!r} has spaces in it; expected one token").format(
                label=_(label), cleaned=cleaned
            )
        )
    return cleaned.upper() if cleaned is not None and field_name == "asset" else cleaned


def _reference(value: str | None) -> str | None:
    cleaned = short_text(value, N_("reference"), max_len=100)
    if cleaned and any(c.isspace() for c in cleaned):
        raise InputError(
            _("reference {cleaned!r} has spaces in it; expected one token").format(cleaned=cleaned)
        )
    return cleaned


MAX_TEXT_BYTES = 10 * 1000 * 1000
"""The longest text a contact keeps: 10 MB of UTF-8, some thousands of pages. Anything
longer is a file to attach, not a message to read."""


def _text_body(value: str | None) -> str:
    text = value or ""
    check_text_size(text)
    check_utf8(text, N_("text"))
    return text.replace("\r\n", "\n")


def check_text_size(text: str) -> None:
    """Refuse a text longer than MAX_TEXT_BYTES, saying what to do instead."""
    if (
        len(text) * 4 > MAX_TEXT_BYTES
        and len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES
    ):
        raise InputError(
            _(
                "the text is {value:.1f} MB; recorder keeps texts of up to {value2} "
                "MB: attach the file instead"
            ).format(
                value=len(text.encode("utf-8", "surrogatepass")) / 1e6,
                value2=MAX_TEXT_BYTES // 1_000_000,
            )
        )


CONTACT_FIELDS: dict[str, Callable[[Any], Any]] = {
    "channel": lambda v: parse_choice(Channel, v, N_("channel")),
    "direction": lambda v: parse_choice(Direction, v, N_("direction")),
    "occurred_at": lambda v: aware(v, N_("the contact's time")),
    "follow_up_at": lambda v: None if v is None else aware(v, N_("the follow-up time")),
    "reference": _reference,
    "agent": lambda v: short_text(v, N_("agent"), max_len=200),
    "address": lambda v: short_text(v, N_("address"), max_len=320),
    "subject": lambda v: short_text(v, N_("subject"), max_len=500),
    "text": _text_body,
    "auto_ack": bool,
    "sender_trusted": bool,
}
"""How each field of a contact is checked and cleaned, by its name."""


def contact_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A contact's fields checked and cleaned (CONTACT_FIELDS), ready to store."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        clean = CONTACT_FIELDS.get(key)
        if clean is None:
            raise TypeError(_("a contact has no field {key!r}").format(key=key))
        out[key] = clean(value)
    return out
