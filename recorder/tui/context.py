"""What every screen and dialog is given by the app: the store and the user's zone, and
the typed way to reach them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any, ClassVar, TypeVar

from textual import events, on
from textual.app import App
from textual.binding import BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from recorder.access import StoreAccess
from recorder.tui.actions import HELP, speak_bindings

ResultT = TypeVar("ResultT")

HELP_FIRST = replace(HELP, action="app.help").binding()
"""The help key, bound on each screen so that the footer shows it first."""

NARROW = 80
"""Terminals narrower than this get a footer without the command palette's key."""


@dataclass
class Remembered:
    """What a session of the TUI remembers between screens."""

    last_export: tuple[str, str] | None = None
    """The path and fingerprint of the last export: the verify dialog starts from them."""


@dataclass(frozen=True)
class Context:
    """The app's store and the user's time zone, in which times are shown and read."""

    access: StoreAccess
    zone: tzinfo
    remembered: Remembered = field(default_factory=lambda: Remembered())
    """What this session remembers between screens."""

    def now(self) -> datetime:
        """The store's clock (a fixed one in tests and snapshots)."""
        return self.access.clock.now()


class HasContext:
    """An app that hands its screens a Context (RecorderApp is one)."""

    context: Context


def context_of(app: App[Any]) -> Context:
    """The Context of the app a screen is on."""
    if not isinstance(app, HasContext):
        raise TypeError(f"{type(app).__name__} gives its screens no Context")
    return app.context


class RecorderScreen(Screen[ResultT]):
    """A screen of recorder's: it reads and writes through `self.context`."""

    # Textual lists a screen's keys before the app's, so the app's "? Help" came last
    # and was the first cut on a narrow terminal: every screen names it first instead.
    BINDINGS: ClassVar[list[BindingType]] = [HELP_FIRST]

    def __init__(self, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        speak_bindings(self)

    @property
    def context(self) -> Context:
        """The store and the user's zone."""
        return context_of(self.app)

    @on(events.Resize)
    def _footer_fits(self, event: events.Resize) -> None:
        """On a narrow terminal the footer leaves out the palette's key (^p still opens
        it, and ? lists every key): the keys it would hide under it show instead."""
        for footer in self.query(Footer):
            footer.show_command_palette = event.size.width >= NARROW


class RecorderDialog(ModalScreen[ResultT]):
    """A dialog of recorder's: it reads and writes through `self.context`."""

    def __init__(self, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        speak_bindings(self)

    @property
    def context(self) -> Context:
        """The store and the user's zone."""
        return context_of(self.app)
