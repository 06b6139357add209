"""The language recorder speaks to its user: gettext catalogs, chosen once per run.

Every user-facing string goes through `_()` (or `ngettext()` where a number decides
its form) when it is shown. A string defined at import time (a table of labels, an
action's tooltip) is marked with `N_()` and translated where it is used, so that the
language can be chosen after the modules are imported. The catalogs live in
`recorder/locale/` and are managed with Babel (`make catalogs`, CONTRIBUTING.md).

What is an interface stays English whatever the language: JSON keys and values, the
values typed on the command line (`--channel email`), the audit chain and the
evidence's records.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LANG_ENV = "RECORDER_LANG"
DOMAIN = "recorder"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = {ENGLISH: "English", CHINESE: "简体中文"}
"""The languages recorder speaks, by code, each named in itself."""

SYSTEM_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where a system names its language, in gettext's order."""

_CHINESE_SIMPLIFIED = ("zh_cn", "zh_sg", "zh_hans", "zh_my")


def language_of(value: str) -> str | None:
    """The language recorder speaks for a locale name (`zh_CN.UTF-8`, `zh-Hans`,
    `en_GB`, `C`), or None where it speaks none that fits."""
    name = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if name in ("", "c", "posix") or name == "en" or name.startswith("en_"):
        return ENGLISH
    if name == "zh" or name.startswith(_CHINESE_SIMPLIFIED):
        return CHINESE
    return None


def system_language(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The language the system asks for (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`),
    English where it asks for one recorder does not speak."""
    for variable in SYSTEM_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        for part in value.split(":") if variable == "LANGUAGE" else [value]:
            found = language_of(part)
            if found is not None:
                return found
        if variable != "LANGUAGE":  # the first of the others that is set decides
            return ENGLISH
    return ENGLISH


def chosen_language(saved: str | None = None) -> str:
    """The language of this run: `RECORDER_LANG`, else the one chosen in the TUI
    (`saved`), else the system's. A `RECORDER_LANG` recorder does not speak is a
    ValueError that says what was expected."""
    asked = os.environ.get(LANG_ENV, "").strip()
    if asked:
        found = language_of(asked)
        if found is None:  # a ValueError: recorder.domain.errors speaks through this module
            raise ValueError(
                f"{LANG_ENV}={asked!r} is not a language recorder speaks; "
                f"expected one of: {', '.join(LANGUAGES)}"
            )
        return found
    chosen = language_of(saved) if saved else None
    return chosen or system_language()


def _catalog(code: str) -> gettext.NullTranslations:
    if code == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


class _Speaker:
    """The language in use and its catalog (English needs none: its strings are the
    catalog's keys, and are given back as they are)."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.catalog = _catalog(code)
        self.gettext = self.catalog.gettext


_default: _Speaker | None = None
_here: ContextVar[_Speaker | None] = ContextVar("recorder_language", default=None)
"""A language used for a while in one thread or task (`speaking`), over the default."""


def use(code: str) -> None:
    """Speak `code` from now on, in every thread that does not speak another."""
    global _default
    _default = _Speaker(code)


def _speaker() -> _Speaker:
    here = _here.get()
    if here is not None:
        return here
    return _default or _start()


def _start() -> _Speaker:
    """The language of a run that did not choose one (recorder used as a library):
    the environment's, English where it names none recorder speaks. The command line
    chooses first, and says so when RECORDER_LANG names a language it does not."""
    global _default
    try:
        code = chosen_language()
    except ValueError:
        code = ENGLISH
    _default = _Speaker(code)
    return _default


def current() -> str:
    """The code of the language in use (`en`, `zh_CN`)."""
    return _speaker().code


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak `code` in this thread (or task) while the block runs: an export made in
    the language a user asked for, a bag verified in the language it was made in."""
    token = _here.set(_Speaker(code))
    try:
        yield
    finally:
        _here.reset(token)


def _(message: str) -> str:
    """`message` in the language in use (the empty string stays empty: gettext would
    give the catalog's header for it)."""
    return _speaker().gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that `count` asks for, in the language in use."""
    return _speaker().catalog.ngettext(singular, plural, count)


def aside(text: str) -> str:
    """`text` in parentheses as the language in use writes them: `(72h)`, `（72h）`."""
    return _("({aside})").format(aside=text)


def N_(message: str) -> str:
    """Mark `message` for the catalog where it is defined; `_()` translates it where it
    is shown."""
    return message
