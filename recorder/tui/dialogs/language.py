"""LanguageScreen: the language recorder speaks, chosen in the TUI and kept for the
next runs (RECORDER_LANG, when set, still decides at start)."""

from __future__ import annotations

import os
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from recorder.domain.i18n import LANG_ENV, LANGUAGES, _
from recorder.tui.actions import CLOSE, UserAction, bindings
from recorder.tui.context import RecorderDialog


class LanguageScreen(RecorderDialog[str | None]):
    """The languages, each named in itself; enter chooses one, escape keeps this one."""

    DEFAULT_CSS = """
    LanguageScreen { align: center middle; }
    LanguageScreen > Vertical { width: 48; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1; }
    LanguageScreen OptionList { height: auto; }
    """

    ACTIONS: ClassVar[tuple[UserAction, ...]] = (CLOSE,)
    BINDINGS = bindings((CLOSE,))  # type: ignore[assignment]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        """The languages, the one in use highlighted."""
        with Vertical():
            yield Static(_("[b]Language[/b] · 语言"))
            choices = [Option(name, id=code) for code, name in LANGUAGES.items()]
            yield OptionList(*choices, id="languages")
            yield Static(_("enter chooses · esc keeps this one"), classes="hint")
            asked = os.environ.get(LANG_ENV)
            if asked:
                yield Static(
                    _(
                        "{variable}={value} is set: it decides when recorder starts; "
                        "this choice is kept for when it is not"
                    ).format(variable=LANG_ENV, value=asked),
                    classes="hint",
                )

    def on_mount(self) -> None:
        """Start on the language in use."""
        options = self.query_one(OptionList)
        options.highlighted = list(LANGUAGES).index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        """Keep the language in use."""
        self.dismiss(None)
