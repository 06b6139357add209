"""Where emails come from on disk: `.eml` files, mbox files and Maildir folders, each
message as its raw bytes with a name that says where it was found."""

from __future__ import annotations

import mailbox
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from recorder.domain.errors import InputError
from recorder.domain.i18n import _

MAX_MESSAGE_BYTES = 50 * 1000 * 1000
"""The largest message imported (50 MB: above what mail servers accept)."""


@dataclass(frozen=True)
class Raw:
    """One message as found: its bytes, or why they could not be read."""

    origin: str
    """Where it was found: a file, or a mailbox and the message's place in it."""
    data: bytes | None
    problem: str | None = None
    delivered: datetime | None = None
    """When the mailbox got it (an mbox "From " line, IMAP's INTERNALDATE): the time
    of a message that has no Date header."""


@dataclass(frozen=True)
class Source:
    """A path given to `recorder import`, and how its messages are read."""

    path: Path
    kind: str
    """eml, mbox or maildir."""

    def count(self) -> int:
        """How many messages it holds (for the progress bar)."""
        if self.kind == "eml":
            return 1
        return len(self._mailbox().keys())

    def messages(self) -> Iterator[Raw]:
        """Each message's raw bytes, in the mailbox's order."""
        if self.kind == "eml":
            yield _read_file(self.path, str(self.path))
            return
        box = self._mailbox()
        for n, key in enumerate(box.iterkeys(), start=1):
            origin = f"{self.path} #{n}" if self.kind == "mbox" else f"{self.path}/{key}"
            try:
                if isinstance(box, mailbox.mbox):
                    data = box.get_bytes(key, from_=True)
                else:
                    data = box.get_bytes(key)
            except (OSError, KeyError) as error:
                yield Raw(
                    origin,
                    None,
                    _("cannot be read ({kind})").format(kind=error.__class__.__name__),
                )
                continue
            delivered = None
            if self.kind == "mbox" and data.startswith(b"From "):
                line, _sep, data = data.partition(b"\n")
                delivered = _from_line_time(line)
            yield _sized(origin, data, delivered)

    def _mailbox(self) -> mailbox.Mailbox[Any]:
        if self.kind == "mbox":
            return mailbox.mbox(self.path, create=False)
        return mailbox.Maildir(self.path, factory=None, create=False)


def _read_file(path: Path, origin: str) -> Raw:
    try:
        size = path.stat().st_size
        if size > MAX_MESSAGE_BYTES:
            return Raw(origin, None, _too_large(size))
        return Raw(origin, path.read_bytes())
    except OSError as error:
        return Raw(
            origin, None, _("cannot be read ({value})").format(value=error.strerror or error)
        )


def _sized(origin: str, data: bytes, delivered: datetime | None = None) -> Raw:
    if len(data) > MAX_MESSAGE_BYTES:
        return Raw(origin, None, _too_large(len(data)))
    return Raw(origin, data, delivered=delivered)


_FROM_LINE = re.compile(rb"^From \S+\s+(\w{3} \w{3}\s+\d{1,2} \d{1,2}:\d{2}:\d{2} \d{4})")


def _from_line_time(line: bytes) -> datetime | None:
    """The time of an mbox "From " line (asctime, in UTC by convention), or None."""
    found = _FROM_LINE.match(line)
    if found is None:
        return None
    try:
        text = " ".join(found.group(1).decode("ascii").split())
        return datetime.strptime(text, "%a %b %d %H:%M:%S %Y").replace(tzinfo=UTC)
    except ValueError:
        return None


def _too_large(size: int) -> str:
    return _("is {value:.0f} MB; messages of up to {value2} MB are imported").format(
        value=size / 1e6, value2=MAX_MESSAGE_BYTES // 10**6
    )


def sources_of(paths: Sequence[Path]) -> list[Source]:
    """What each path is; one line naming the first that is none of them."""
    found = []
    for path in paths:
        if path.is_dir():
            if all((path / sub).is_dir() for sub in ("cur", "new")):
                found.append(Source(path, "maildir"))
                continue
            raise InputError(
                _(
                    "{path!r} is a folder but not a Maildir (no cur/ and new/ in it); "
                    "expected .eml files, mbox files or Maildir folders"
                ).format(path=str(path))
            )
        if not path.is_file():
            raise InputError(
                _("{path!r} does not exist; expected an email file or mailbox").format(
                    path=str(path)
                )
            )
        try:
            with path.open("rb") as handle:
                head = handle.read(5)
        except OSError as error:
            raise InputError(
                _("{path!r} cannot be read ({strerror})").format(
                    path=str(path), strerror=error.strerror
                )
            ) from None
        found.append(Source(path, "mbox" if head == b"From " else "eml"))
    return found
