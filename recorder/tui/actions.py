"""One definition per user action: its key, footer label, tooltip and palette entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.binding import Binding

from recorder.domain.i18n import N_, _

if TYPE_CHECKING:
    from textual.dom import DOMNode


@dataclass(frozen=True)
class UserAction:
    """Something a user can do, from which its binding and palette command are made.

    Attributes:
        id: the binding id, by which users can remap the key.
        key: the default key.
        action: the Textual action it runs on its screen (or the app).
        label: the footer's short label.
        tooltip: what it does, in a sentence; also the palette's help text.
        palette: the command palette's title, `area: verb`.
        show: whether the footer shows it.
        priority: whether it works even while an input has the focus.
    """

    id: str
    key: str
    action: str
    label: str
    tooltip: str
    palette: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        """The Textual binding of this action."""
        return Binding(
            self.key,
            self.action,
            self.label,
            show=self.show,
            tooltip=self.tooltip,
            id=self.id,
            priority=self.priority,
        )


def bindings(actions: Iterable[UserAction]) -> list[Binding]:
    """The bindings of a screen's actions, their texts still in English: Textual makes
    them when the class is defined, and `speak_bindings` translates them for each
    screen made."""
    return [action.binding() for action in actions]


ENGLISH_BINDINGS = "_recorder_english_bindings"
"""The attribute that keeps a node's bindings as its class wrote them, to translate
again when the language changes in a running app (the app's own, since screens are
made again)."""


def speak_bindings(node: DOMNode) -> None:
    """Give a screen (or the app) its keys' labels and tooltips in the language in use.

    Textual copies a class's bindings into each node it makes (`_bindings`); the copy
    is translated here, so that the footer, the tooltips and the help speak the
    language chosen when the screen is made, not when its module was imported.
    """
    table = node._bindings.key_to_bindings
    english: dict[str, list[Binding]] | None = getattr(node, ENGLISH_BINDINGS, None)
    if english is None:
        english = {key: list(found) for key, found in table.items()}
        setattr(node, ENGLISH_BINDINGS, english)
    for key, found in english.items():
        table[key] = [
            replace(
                binding,
                description=_(binding.description) if binding.description else "",
                tooltip=_(binding.tooltip) if binding.tooltip else "",
            )
            for binding in found
        ]


def act(
    name: str,
    key: str,
    label: str,
    tooltip: str,
    palette: str,
    *,
    action: str | None = None,
    show: bool = True,
    priority: bool = False,
) -> UserAction:
    """Define an action; its Textual action is its name unless given."""
    return UserAction(name, key, action or name, label, tooltip, palette, show, priority)


HELP = act("help", "question_mark", N_("Help"), N_("List every key"), N_("App: show the keys"))
THEME = act(
    "theme",
    "ctrl+t",
    N_("Theme"),
    N_("Switch between dark and light"),
    N_("App: dark or light"),
    action="toggle_dark",
    show=False,
)
QUIT = act(
    "quit", "ctrl+q", N_("Quit"), N_("Leave recorder"), N_("App: quit"), show=False, priority=True
)
LANGUAGE = act(
    "language",
    "ctrl+l",
    N_("Language"),
    N_("Choose the language recorder speaks (语言)"),
    N_("App: language (语言)"),
    action="choose_language",
    show=False,
)
APP_ACTIONS = (HELP, THEME, LANGUAGE, QUIT)

LOG = act(
    "log_contact",
    "n",
    N_("Log"),
    N_("Log a contact: a chat, a ticket, an email"),
    N_("Tickets: log a contact"),
)
OPEN_CASE = act(
    "open_case", "enter", N_("Open"), N_("Read the case's whole history"), N_("Tickets: open case")
)
FILTER = act(
    "filter",
    "slash",
    N_("Filter"),
    N_("Type to filter by title, platform or reference"),
    N_("Tickets: filter"),
)
SORT = act(
    "sort", "s", N_("Sort"), N_("Sort by the next column"), N_("Tickets: sort by the next column")
)
SHOW_ALL = act(
    "show_all",
    "a",
    N_("All/open"),
    N_("Show resolved and closed cases too, or not"),
    N_("Tickets: show all or open cases"),
)
DUE = act(
    "due",
    "u",
    N_("Due"),
    N_("What is overdue or due within a week, and what to do next"),
    N_("Tickets: what is due"),
)
REFRESH = act(
    "refresh", "r", N_("Refresh"), N_("Read the store again"), N_("Tickets: refresh"), show=False
)
EXPORT = act(
    "export",
    "e",
    N_("Export"),
    N_("Export the history as evidence (a bag anyone can verify)"),
    N_("Tickets: export evidence"),
)
VERIFY = act(
    "verify",
    "v",
    N_("Verify"),
    N_("Check that an exported bag is exactly what was exported"),
    N_("Tickets: verify a bag"),
    show=False,
)
IMPORT = act(
    "import_mail",
    "i",
    N_("Import"),
    N_("Import emails and mailboxes, or fetch new mail"),
    N_("Tickets: import emails"),
)
SEARCH = act(
    "search",
    "f",
    N_("Find"),
    N_("Search every case and contact: words, Chinese, part of a TxID or ticket number"),
    N_("Tickets: search everything"),
)
TICKETS_ACTIONS = (
    LOG,
    OPEN_CASE,
    DUE,
    SEARCH,
    FILTER,
    SORT,
    SHOW_ALL,
    IMPORT,
    EXPORT,
    VERIFY,
    REFRESH,
)
SEARCH_ACTIONS = (
    act("back", "escape", N_("Back"), N_("Back to the list"), N_("Search: back to the list")),
    act(
        "open_result",
        "enter",
        N_("Open"),
        N_("Open the case at the contact found"),
        N_("Search: open the result"),
        priority=True,
    ),
    act(
        "to_results",
        "down",
        N_("Results"),
        N_("Move to the results"),
        N_("Search: results"),
        show=False,
    ),
)
DUE_ACTIONS = (
    act("back", "escape", N_("Back"), N_("Back to the list"), N_("Due: back to the list")),
    act("open_case", "enter", N_("Open"), N_("Open the case"), N_("Due: open case"), priority=True),
)

BACK = act("back", "escape", N_("Back"), N_("Back to the list"), N_("Case: back to the list"))
ADD_CONTACT = act(
    "add_contact", "n", N_("Log"), N_("Log a contact in this case"), N_("Case: log a contact")
)
READ = act(
    "read_contact",
    "enter",
    N_("Read"),
    N_("Read the contact's full text"),
    N_("Case: read contact"),
    show=False,
)
WAIT_SUPPORT = act(
    "waiting_on_support",
    "w",
    N_("Waits: them"),
    N_("Mark the case as waiting on support"),
    N_("Case: waiting on support"),
    action="status('waiting_on_support')",
)
WAIT_ME = act(
    "waiting_on_me",
    "m",
    N_("Waits: me"),
    N_("Mark the case as waiting on you"),
    N_("Case: waiting on me"),
    action="status('waiting_on_me')",
)
RESOLVE = act(
    "resolve",
    "x",
    N_("Resolve"),
    N_("Mark the case resolved"),
    N_("Case: resolve"),
    action="status('resolved')",
)
REOPEN = act(
    "reopen",
    "o",
    N_("Reopen"),
    N_("Open the case again"),
    N_("Case: reopen"),
    action="status('open')",
    show=False,
)
EDIT_CASE = act(
    "edit_case", "e", N_("Edit"), N_("Edit the case's title and identifiers"), N_("Case: edit")
)
DELETE_CONTACT = act(
    "delete_contact",
    "d",
    N_("Delete"),
    N_("Delete the selected contact"),
    N_("Case: delete contact"),
    show=False,
)
NOT_DUPLICATE = act(
    "not_duplicate",
    "f",
    N_("Not a dup"),
    N_("Dismiss the duplicate warnings of this case: it is not a repeat"),
    N_("Case: not a duplicate"),
    show=False,
)
MERGE = act(
    "merge",
    "M",
    N_("Merge"),
    N_("Merge this case into the earlier case its duplicate warning names (U undoes it)"),
    N_("Case: merge into the earlier case"),
)
UNMERGE = act(
    "unmerge",
    "U",
    N_("Unmerge"),
    N_("Undo the merge of this case: its contacts come back"),
    N_("Case: undo the merge"),
)
TRUST_SENDER = act(
    "trust_sender",
    "t",
    N_("Trust sender"),
    N_("Trust the sender of the selected message although its address is not the platform's"),
    N_("Case: trust the sender"),
    show=False,
)
EXPORT_CASE = act(
    "export_case",
    "ctrl+e",
    N_("Export"),
    N_("Export this case as evidence"),
    N_("Case: export as evidence"),
    show=False,
)
REDACT_CONTACT = act(
    "redact_contact",
    "R",
    N_("Redact"),
    N_("Mask the secrets the selected contact holds, in the record itself"),
    N_("Case: redact secrets"),
    show=False,
)
CASE_ACTIONS = (
    BACK,
    ADD_CONTACT,
    READ,
    WAIT_SUPPORT,
    WAIT_ME,
    RESOLVE,
    REOPEN,
    EDIT_CASE,
    DELETE_CONTACT,
    NOT_DUPLICATE,
    MERGE,
    UNMERGE,
    TRUST_SENDER,
    REDACT_CONTACT,
    EXPORT_CASE,
)

SAVE = act(
    "save",
    "ctrl+s",
    N_("Save"),
    N_("Save, once every field is valid"),
    N_("Form: save"),
    priority=True,
)
CANCEL = act(
    "cancel",
    "escape",
    N_("Cancel"),
    N_("Leave without saving anything"),
    N_("Form: cancel"),
    priority=True,
)
EARLIER_CASE = act(
    "earlier_case",
    "ctrl+o",
    N_("Earlier case"),
    N_("Open the case a duplicate warning names"),
    N_("Form: open the earlier case"),
    priority=True,
)
REDACT_DRAFT = act(
    "redact_draft",
    "ctrl+r",
    N_("Redact"),
    N_("Mask the secrets the warnings name, before saving"),
    N_("Form: redact secrets"),
    priority=True,
    show=False,
)
INTO_EARLIER_CASE = act(
    "into_earlier_case",
    "ctrl+g",
    N_("Into that case"),
    N_("Log this contact into the case a duplicate warning names, instead"),
    N_("Form: log into the earlier case"),
    priority=True,
    show=False,
)
FORM_ACTIONS = (SAVE, CANCEL, EARLIER_CASE, INTO_EARLIER_CASE, REDACT_DRAFT)

CLOSE = act("close", "escape", N_("Close"), N_("Close"), N_("Close"), priority=True)
OPEN_ATTACHMENT = act(
    "open_attachment",
    "o",
    N_("Open file"),
    N_("Open the highlighted attachment with the system's program for it"),
    N_("Contact: open attachment"),
)
