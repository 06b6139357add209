"""One definition per user action: its key, footer label, tooltip and palette entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding


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
    """The bindings of a screen's actions."""
    return [action.binding() for action in actions]


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


HELP = act("help", "question_mark", "Help", "List every key", "App: show the keys")
THEME = act(
    "theme",
    "ctrl+t",
    "Theme",
    "Switch between dark and light",
    "App: dark or light",
    action="toggle_dark",
    show=False,
)
QUIT = act("quit", "ctrl+q", "Quit", "Leave recorder", "App: quit", show=False, priority=True)
APP_ACTIONS = (HELP, THEME, QUIT)

LOG = act(
    "log_contact",
    "n",
    "Log",
    "Log a contact: a chat, a ticket, an email",
    "Tickets: log a contact",
)
OPEN_CASE = act("open_case", "enter", "Open", "Read the case's whole history", "Tickets: open case")
FILTER = act(
    "filter",
    "slash",
    "Filter",
    "Type to filter by title, platform or reference",
    "Tickets: filter",
)
SORT = act("sort", "s", "Sort", "Sort by the next column", "Tickets: sort by the next column")
SHOW_ALL = act(
    "show_all",
    "a",
    "All/open",
    "Show resolved and closed cases too, or not",
    "Tickets: show all or open cases",
)
DUE = act(
    "due",
    "u",
    "Due",
    "What is overdue or due within a week, and what to do next",
    "Tickets: what is due",
)
REFRESH = act("refresh", "r", "Refresh", "Read the store again", "Tickets: refresh", show=False)
EXPORT = act(
    "export",
    "e",
    "Export",
    "Export the history as evidence (a bag anyone can verify)",
    "Tickets: export evidence",
)
VERIFY = act(
    "verify",
    "v",
    "Verify",
    "Check that an exported bag is exactly what was exported",
    "Tickets: verify a bag",
    show=False,
)
IMPORT = act(
    "import_mail",
    "i",
    "Import",
    "Import emails and mailboxes, or fetch new mail",
    "Tickets: import emails",
)
SEARCH = act(
    "search",
    "f",
    "Find",
    "Search every case and contact: words, Chinese, part of a TxID or ticket number",
    "Tickets: search everything",
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
    act("back", "escape", "Back", "Back to the list", "Search: back to the list"),
    act(
        "open_result",
        "enter",
        "Open",
        "Open the case at the contact found",
        "Search: open the result",
        priority=True,
    ),
    act("to_results", "down", "Results", "Move to the results", "Search: results", show=False),
)
DUE_ACTIONS = (
    act("back", "escape", "Back", "Back to the list", "Due: back to the list"),
    act("open_case", "enter", "Open", "Open the case", "Due: open case", priority=True),
)

BACK = act("back", "escape", "Back", "Back to the list", "Case: back to the list")
ADD_CONTACT = act("add_contact", "n", "Log", "Log a contact in this case", "Case: log a contact")
READ = act(
    "read_contact",
    "enter",
    "Read",
    "Read the contact's full text",
    "Case: read contact",
    show=False,
)
WAIT_SUPPORT = act(
    "waiting_on_support",
    "w",
    "Waits: them",
    "Mark the case as waiting on support",
    "Case: waiting on support",
    action="status('waiting_on_support')",
)
WAIT_ME = act(
    "waiting_on_me",
    "m",
    "Waits: me",
    "Mark the case as waiting on you",
    "Case: waiting on me",
    action="status('waiting_on_me')",
)
RESOLVE = act(
    "resolve",
    "x",
    "Resolve",
    "Mark the case resolved",
    "Case: resolve",
    action="status('resolved')",
)
REOPEN = act(
    "reopen",
    "o",
    "Reopen",
    "Open the case again",
    "Case: reopen",
    action="status('open')",
    show=False,
)
EDIT_CASE = act("edit_case", "e", "Edit", "Edit the case's title and identifiers", "Case: edit")
DELETE_CONTACT = act(
    "delete_contact",
    "d",
    "Delete",
    "Delete the selected contact",
    "Case: delete contact",
    show=False,
)
NOT_DUPLICATE = act(
    "not_duplicate",
    "f",
    "Not a dup",
    "Dismiss the duplicate warnings of this case: it is not a repeat",
    "Case: not a duplicate",
    show=False,
)
MERGE = act(
    "merge",
    "M",
    "Merge",
    "Merge this case into the earlier case its duplicate warning names (U undoes it)",
    "Case: merge into the earlier case",
)
UNMERGE = act(
    "unmerge",
    "U",
    "Unmerge",
    "Undo the merge of this case: its contacts come back",
    "Case: undo the merge",
)
TRUST_SENDER = act(
    "trust_sender",
    "t",
    "Trust sender",
    "Trust the sender of the selected message although its address is not the platform's",
    "Case: trust the sender",
    show=False,
)
EXPORT_CASE = act(
    "export_case",
    "ctrl+e",
    "Export",
    "Export this case as evidence",
    "Case: export as evidence",
    show=False,
)
REDACT_CONTACT = act(
    "redact_contact",
    "R",
    "Redact",
    "Mask the secrets the selected contact holds, in the record itself",
    "Case: redact secrets",
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

SAVE = act("save", "ctrl+s", "Save", "Save, once every field is valid", "Form: save", priority=True)
CANCEL = act(
    "cancel", "escape", "Cancel", "Leave without saving anything", "Form: cancel", priority=True
)
EARLIER_CASE = act(
    "earlier_case",
    "ctrl+o",
    "Earlier case",
    "Open the case a duplicate warning names",
    "Form: open the earlier case",
    priority=True,
)
REDACT_DRAFT = act(
    "redact_draft",
    "ctrl+r",
    "Redact",
    "Mask the secrets the warnings name, before saving",
    "Form: redact secrets",
    priority=True,
    show=False,
)
INTO_EARLIER_CASE = act(
    "into_earlier_case",
    "ctrl+g",
    "Into that case",
    "Log this contact into the case a duplicate warning names, instead",
    "Form: log into the earlier case",
    priority=True,
    show=False,
)
FORM_ACTIONS = (SAVE, CANCEL, EARLIER_CASE, INTO_EARLIER_CASE, REDACT_DRAFT)

CLOSE = act("close", "escape", "Close", "Close", "Close", priority=True)
OPEN_ATTACHMENT = act(
    "open_attachment",
    "o",
    "Open file",
    "Open the highlighted attachment with the system's program for it",
    "Contact: open attachment",
)
