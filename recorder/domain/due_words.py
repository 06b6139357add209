"""How a due time and its window are said to people, in the language in use: "the
platform's window: 72h", "support promised an answer within 5 个工作日"."""

from __future__ import annotations

import functools

from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _, current, ngettext
from recorder.domain.windows import Unit, parse_window


def describe_basis(basis: str | None, window: str | None, *, user_set: bool = False) -> str:
    """How a due time was reached, for people: "set by you", "platform's window: 72h"."""
    if user_set:
        return _("set by you")
    if basis is None or window is None:
        return ""
    said = {
        "window": N_("the platform's window: {window}"),
        "rule": N_("the rules' time to answer a complaint: {window}"),
        "default": N_("default wait, the platform states none: {window}"),
        "promise": N_("support promised an answer within {window}"),
    }.get(basis)
    return _(said).format(window=window_words(window)) if said else window


def window_words(text: str) -> str:
    """A window as stored ("72h", "5 business days") in the language in use: business
    days in words ("5 个工作日"), elapsed time as written."""
    return _window_words(text, current())


@functools.lru_cache(maxsize=256)
def _window_words(text: str, language: str) -> str:
    """`window_words`, read once per window and language: a store has few windows,
    and `recorder due` writes one per line."""
    try:
        window = parse_window(text)
    except InputError:
        return text
    if window.unit is Unit.business_days:
        return ngettext("{count} business day", "{count} business days", window.amount).format(
            count=window.amount
        )
    return text
