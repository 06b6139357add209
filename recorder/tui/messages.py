"""The messages screens send up to the app: where the user wants to go next.

A screen never imports another screen; it posts one of these, which bubbles up to
`RecorderApp`, and the app opens the screen asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from recorder.read.contacts import ContactView


@dataclass
class OpenCase(Message):
    """Show a case's whole history (at one of its contacts, read in full, when given)."""

    case_id: int
    contact_id: int | None = None


@dataclass
class SearchRecord(Message):
    """Open the search of the whole record."""


@dataclass
class LogContact(Message):
    """Open the form to log a contact (in this platform and case, when given)."""

    platform: str | None = None
    case_id: int | None = None


@dataclass
class ReadContact(Message):
    """Show one contact in full."""

    contact: ContactView


@dataclass
class ShowDue(Message):
    """Show what is overdue or due soon."""


@dataclass
class ExportEvidence(Message):
    """Open the export dialog (for one case, when given)."""

    case_id: int | None = None


@dataclass
class VerifyBag(Message):
    """Open the verify dialog."""


class ImportMail(Message):
    """Open the import dialog."""


@dataclass
class OpenStore(Message):
    """Open the full store (SQLAlchemy, the write path) in the background, once: the
    first screen has been painted and the user may soon write."""
