"""The language the command line speaks: chosen once per run, its help translated."""

from __future__ import annotations

import os
import re
from typing import Any

import click

from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _, ngettext

CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Try '{command} {option}' for help."),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
)
"""The words click writes itself (its help page, its usage errors), for the catalog."""

CLICK_MODULES = ("core", "exceptions", "formatting", "decorators", "parser", "types", "utils")


def speak_click() -> None:
    """Have click write its own words in recorder's language.

    click translates them with the standard library's gettext, bound in each of its
    modules as `_` and `ngettext`, whose language only the environment decides; given
    recorder's functions instead, they follow the language the run chose (and fall
    back to click's English for a word the catalog does not hold).
    """
    import importlib

    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def speak(*, json_wanted: bool = False) -> None:
    """Choose the language of this run (`recorder.domain.i18n.chosen_language`, with
    the one saved in the TUI). With `--json`, English throughout: the document is an
    interface, and the warnings beside it stay as stable as it is."""
    from recorder.domain.i18n import ENGLISH, LANG_ENV, chosen_language, use
    from recorder.store.locations import saved_language

    speak_click()
    if json_wanted:
        use(ENGLISH)
        return
    # The saved choice is read only when the environment leaves the choice open.
    saved = None if os.environ.get(LANG_ENV, "").strip() else saved_language()
    try:
        use(chosen_language(saved))
    except ValueError as exc:
        raise InputError(str(exc)) from None


HELP_IN_ENGLISH = "_recorder_english_help"
"""The attribute that keeps a command's or option's help as written, so that a run
translates from English whatever the last run in this process spoke."""


def speak_command(command: click.Command) -> None:
    """Give a command's help, its options' help and (for a group) its commands' help in
    the language in use. Click reads `help` when it writes the help page; the English
    is kept to translate from again."""
    import inspect

    items: list[Any] = [command, *command.params]
    for item in items:
        if not hasattr(item, HELP_IN_ENGLISH):
            setattr(item, HELP_IN_ENGLISH, (item.help, getattr(item, "short_help", None)))
        help_text, short = getattr(item, HELP_IN_ENGLISH)
        item.help = _joined(_(inspect.cleandoc(help_text))) if help_text else help_text
        if isinstance(item, click.Command):
            item.short_help = _(short) if short else short
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            speak_command(sub)


_LINE_IN_CHINESE = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[^\n])|(?<=[^\n])\n(?=[\u3000-\u9fff\uff00-\uffef])"
)


def _joined(text: str) -> str:
    """A help text whose paragraphs click may wrap again: click joins a paragraph's
    lines with a space, which Chinese puts nowhere, so in Chinese a line break beside
    a Chinese character goes (a blank line between paragraphs stays)."""
    from recorder.domain.i18n import ENGLISH, current

    return text if current() == ENGLISH else _LINE_IN_CHINESE.sub("", text)
