"""The language the command line speaks: chosen once per run, its help translated."""

from __future__ import annotations

from typing import Any

import click

from recorder.domain.errors import InputError
from recorder.domain.i18n import _


def speak(*, json_wanted: bool = False) -> None:
    """Choose the language of this run (`recorder.domain.i18n.chosen_language`, with
    the one saved in the TUI). With `--json`, English throughout: the document is an
    interface, and the warnings beside it stay as stable as it is."""
    from recorder.domain.i18n import ENGLISH, chosen_language, use
    from recorder.store.locations import saved_language

    try:
        use(ENGLISH if json_wanted else chosen_language(saved_language()))
    except ValueError as exc:
        raise InputError(str(exc)) from None


_HELP_IN_ENGLISH: dict[int, tuple[str | None, str | None]] = {}
"""Each command's and option's help as written (by id), so that a run translates from
English whatever the last run in this process spoke."""


def speak_command(command: click.Command) -> None:
    """Give a command's help, its options' help and (for a group) its commands' help in
    the language in use. Click reads `help` when it writes the help page; the English
    is kept to translate from again."""
    import inspect

    items: list[Any] = [command, *command.params]
    for item in items:
        english = _HELP_IN_ENGLISH.setdefault(
            id(item), (item.help, getattr(item, "short_help", None))
        )
        help_text, short = english
        item.help = _(inspect.cleandoc(help_text)) if help_text else help_text
        if isinstance(item, click.Command):
            item.short_help = _(short) if short else short
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            speak_command(sub)
