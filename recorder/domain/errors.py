"""The errors the core raises for the interfaces to show as one line."""

from __future__ import annotations

from recorder.domain.i18n import _


class RecorderError(Exception):
    """A problem the user can act on; its message is one line that says what was expected."""


class InputError(RecorderError):
    """Input that was refused: a value that cannot be read, or that breaks a rule."""


class NotFoundError(RecorderError):
    """A platform, case or contact named by the user does not exist."""


class StoreError(RecorderError):
    """The store cannot be opened, upgraded or copied."""


def unknown_platform(name: str, known: list[str]) -> NotFoundError:
    """The error for a platform name that matches none."""
    return NotFoundError(
        _(
            "no platform called {name!r}; known: {known} (add one with 'recorder platform add')"
        ).format(name=name, known=", ".join(known) or _("none"))
    )


def unknown_case(case_id: int) -> NotFoundError:
    """The error for a case id that matches none."""
    return NotFoundError(
        _("no case #{case_id}; 'recorder list --all' shows the cases").format(case_id=case_id)
    )
