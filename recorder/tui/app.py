"""RecorderApp: the terminal UI over one store, and where its screens lead."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.filter import LineFilter
from textual.screen import Screen

from recorder.access import StoreAccess
from recorder.domain.dates import local_zone, zone_name
from recorder.domain.i18n import N_, _, current, use
from recorder.process import long_running
from recorder.tui.actions import APP_ACTIONS, UserAction, bindings, speak_bindings
from recorder.tui.context import Context, HasContext
from recorder.tui.filters import DropControls
from recorder.tui.messages import (
    ExportEvidence,
    ImportMail,
    LogContact,
    OpenCase,
    OpenStore,
    ReadContact,
    SearchRecord,
    ShowDue,
    VerifyBag,
)

if TYPE_CHECKING:
    from recorder.tui.screens.case import CaseScreen


TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
    N_("palette"),
    N_("Open the command palette"),
)
"""The titles and help of the palette's commands that Textual offers, for the catalog."""


class RecorderApp(HasContext, App[None]):
    """recorder's terminal UI. It is given its store; it never finds one by itself.

    Screens post the messages of `recorder.tui.messages`; the app opens the screen
    each asks for, so that no screen imports another.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "recorder"
    ACTIONS: ClassVar[tuple[UserAction, ...]] = APP_ACTIONS
    BINDINGS = bindings(APP_ACTIONS)  # type: ignore[assignment]

    def __init__(self, access: StoreAccess, *, subtitle: str = "") -> None:
        super().__init__()
        speak_bindings(self)
        zone = local_zone()
        self.context = Context(access, zone)
        self._subtitle = subtitle
        self._name_the_zone()
        self._store_requested = False
        self._case_screen: CaseScreen | None = None
        """The case view, kept once made: making its widgets again took more than half
        of opening a case."""
        self._drop_controls = DropControls()

    def _name_the_zone(self) -> None:
        """The one place the TUI names the zone its times are in (the rows leave it out)."""
        where = self._subtitle or self.access.where.shown
        zone = zone_name(self.context.zone)
        self.sub_title = _("{where} · times in {zone}").format(where=where, zone=zone)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, and the one that drops stored control characters."""
        return [*super().get_line_filters(), self._drop_controls]

    @property
    def access(self) -> StoreAccess:
        """The store this app shows."""
        return self.context.access

    def on_mount(self) -> None:
        """Show the open tickets."""
        from recorder.tui.screens.tickets import TicketsScreen

        self.push_screen(TicketsScreen())

    @on(OpenStore)
    def open_store(self) -> None:
        """Open the full store (SQLAlchemy, the write path) in the background, once.

        Asked for when the first screen has been painted: importing SQLAlchemy takes the
        interpreter for longer than Textual takes to start, so it must not come first.
        """
        if not self._store_requested:
            self._store_requested = True
            long_running()  # the app has started: see recorder.process
            self._open_store()

    @work(thread=True, exit_on_error=False, group="store")
    def _open_store(self) -> None:
        self.access.store()

    @on(OpenCase)
    def _open_case(self, message: OpenCase) -> None:
        from recorder.tui.screens.case import CaseScreen

        screen = self._case_screen
        if screen is not None and screen not in self.screen_stack:
            screen.show_case(message.case_id, at_contact=message.contact_id)
        else:  # the first case, or one opened from a case (which stays under it)
            screen = CaseScreen(message.case_id, at_contact=message.contact_id)
            if self._case_screen is None:
                self._case_screen = screen
                self.install_screen(screen, name="case")
        self.push_screen(screen)

    @on(SearchRecord)
    def _search(self) -> None:
        from recorder.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    @on(LogContact)
    def _log_contact(self, message: LogContact) -> None:
        from recorder.tui.screens.log_contact import LogContactScreen

        self.push_screen(LogContactScreen(platform=message.platform, case_id=message.case_id))

    @on(ReadContact)
    def _read_contact(self, message: ReadContact) -> None:
        from recorder.tui.screens.contact import ContactScreen

        self.push_screen(ContactScreen(message.contact))

    @on(ShowDue)
    def _show_due(self) -> None:
        from recorder.tui.screens.due import DueScreen

        self.push_screen(DueScreen())

    @on(ExportEvidence)
    def _export(self, message: ExportEvidence) -> None:
        from recorder.tui.dialogs.export import ExportScreen

        self.push_screen(ExportScreen(case_id=message.case_id))

    @on(ImportMail)
    def _import(self) -> None:
        from recorder.tui.dialogs.import_mail import ImportScreen

        self.push_screen(ImportScreen())

    @on(VerifyBag)
    def _verify(self) -> None:
        from recorder.tui.dialogs.export import VerifyScreen

        self.push_screen(VerifyScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every action of the screen below it, and the app's."""
        for command in super().get_system_commands(screen):  # Textual's, in English
            yield command._replace(title=_(command.title), help=_(command.help))
        for action in getattr(screen, "ACTIONS", ()):
            yield SystemCommand(
                _(action.palette), _(action.tooltip), partial(screen.run_action, action.action)
            )
        for action in APP_ACTIONS:
            yield SystemCommand(
                _(action.palette), _(action.tooltip), partial(self.run_action, action.action)
            )

    def action_command_palette(self) -> None:
        """Textual's command palette, its prompt in the language in use."""
        from textual.command import CommandPalette

        if self.use_command_palette and self.screen.id != "--command-palette":
            prompt = _("Search for commands…")
            self.push_screen(CommandPalette(id="--command-palette", placeholder=prompt))

    def action_help(self) -> None:
        """Show the keys of the current screen and of the app; a notice shown meanwhile
        would lie over them, so it goes (it was only a notice)."""
        from recorder.tui.dialogs.help import HelpScreen

        self.clear_notifications()
        self.push_screen(HelpScreen(getattr(self.screen, "ACTIONS", ())))

    def action_choose_language(self) -> None:
        """Choose the language recorder speaks; the choice is kept for the next runs."""
        from recorder.tui.dialogs.language import LanguageScreen

        self.push_screen(LanguageScreen(current()), self._speak)

    def _speak(self, code: str | None) -> None:
        """Speak `code` from now on: every screen is made again in it, from the open
        tickets. A form with something typed in it is never thrown away for that."""
        if code is None or code == current():
            return
        if any(getattr(screen, "_typed", lambda: False)() for screen in self.screen_stack):
            self.notify(
                _("Save or leave the form first: a new language makes every screen again"),
                severity="warning",
            )
            return
        from recorder.store.locations import save_language
        from recorder.tui.screens.tickets import TicketsScreen

        try:
            save_language(code)
        except OSError as exc:
            self.notify(
                _("The language could not be kept for next time: {error}").format(
                    error=exc.strerror or exc
                ),
                severity="warning",
            )
        use(code)
        speak_bindings(self)
        self._name_the_zone()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if self._case_screen is not None and self._case_screen not in self.screen_stack:
            self.uninstall_screen(self._case_screen)
        self._case_screen = None
        self.switch_screen(TicketsScreen())

    def action_toggle_dark(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def on_unmount(self) -> None:
        """Release the store."""
        self.access.close()
