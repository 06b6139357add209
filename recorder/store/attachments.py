"""The attachment store on disk: files named by their SHA-256, each stored once."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from recorder.domain.errors import InputError
from recorder.domain.i18n import _

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20

MAX_ATTACHMENT_BYTES = 2 * 1000 * 1000 * 1000
"""The largest file recorder attaches: 2 GB (a long screen recording)."""

CopyProgress = Callable[[str, int, int], None]
"""Told (file name, bytes copied, bytes in all) as a large file is copied in."""


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the attachment store.

    Attributes:
        sha256: hex digest of the content, which is also its name in the store.
        size: size in bytes.
        name: the original file name, as data only.
        media_type: guessed from the name.
        created: whether this copy put the file into the store (False: it was there).
    """

    sha256: str
    size: int
    name: str
    media_type: str
    created: bool


def check_source(path: Path) -> Path:
    """Refuse, with one clear line, a path that is not a readable regular file."""
    if not path.exists():
        raise InputError(
            _("attachment {path!r} does not exist; expected a file").format(path=str(path))
        )
    if path.is_dir():
        raise InputError(
            _("attachment {path!r} is a directory; expected a file").format(path=str(path))
        )
    if not path.is_file():
        raise InputError(_("attachment {path!r} is not a regular file").format(path=str(path)))
    if not os.access(path, os.R_OK):
        raise InputError(_("attachment {path!r} cannot be read").format(path=str(path)))
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise InputError(
            _(
                "attachment {path!r} is {value:.1f} GB; recorder attaches files of up "
                "to {value2} GB"
            ).format(path=str(path), value=size / 1e9, value2=MAX_ATTACHMENT_BYTES // 10**9)
        )
    return path


class AttachmentStore:
    """A directory (mode 0700) of files (mode 0600) named `<aa>/<sha256>`.

    Nothing a user supplies becomes a path here: names are the digests of content.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.progress: CopyProgress | None = None
        """Told how the copy of a file goes (the interfaces show a bar)."""

    def path_of(self, sha256: str) -> Path:
        """Where the file with this digest is kept."""
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def add(self, source: Path, *, journal: Path | None = None) -> StoredFile:
        """Copy `source` into the store, hashing as it copies, and return what was stored.

        A file this copy puts into the store is first written to `journal` (one digest a
        line), so that a process killed before its transaction ends leaves a list of
        what to check rather than files nobody knows of.
        """
        check_source(source)
        total = source.stat().st_size
        with source.open("rb") as src:
            return self._copy(src, source.name, str(source), total, journal)

    def add_bytes(self, data: bytes, name: str, *, journal: Path | None = None) -> StoredFile:
        """Store `data` (an email, a file it carried) as `add` stores a file."""
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise InputError(
                _(
                    "{name!r} is {value:.1f} GB; recorder attaches files of up to {value2} GB"
                ).format(name=name, value=len(data) / 1e9, value2=MAX_ATTACHMENT_BYTES // 10**9)
            )
        return self._copy(io.BytesIO(data), name, name, len(data), journal)

    def add_stream(self, src: BinaryIO, name: str) -> StoredFile:
        """Store what `src` reads (another store's copy of a content) as `add` stores a
        file, without a journal: the caller removes the whole folder if it fails."""
        return self._copy(src, name, name, 0, None)

    def _copy(
        self, src: BinaryIO, name: str, shown: str, total: int, journal: Path | None
    ) -> StoredFile:
        tell = self.progress if self.progress is not None else lambda name, done, total: None
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.root.chmod(0o700)
        digest = hashlib.sha256()
        size = 0
        partial = self.root / f"{INCOMING_PREFIX}{os.getpid()}-{os.urandom(6).hex()}"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as dst:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if size > MAX_ATTACHMENT_BYTES:  # it grew while being copied
                        raise InputError(
                            _(
                                "attachment {shown!r} grew past {value} GB while being copied"
                            ).format(shown=shown, value=MAX_ATTACHMENT_BYTES // 10**9)
                        )
                    dst.write(chunk)
                    tell(name, size, max(total, size))
                dst.flush()
                os.fsync(dst.fileno())
            sha = digest.hexdigest()
            final = self.path_of(sha)
            final.parent.mkdir(exist_ok=True, mode=0o700)
            created = not final.exists()
            if created:
                if journal is not None:
                    _append_line(journal, sha)
                partial.replace(final)
        finally:
            partial.unlink(missing_ok=True)
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StoredFile(sha, size, name, media_type, created)

    def remove(self, sha256: str) -> None:
        """Delete a stored file (only ever one that no attachment row refers to)."""
        self.path_of(sha256).unlink(missing_ok=True)

    def new_journal(self) -> Path:
        """A name for one transaction's journal of the files it put into the store."""
        return self.root / f"{JOURNAL_PREFIX}{os.getpid()}-{os.urandom(6).hex()}"

    def leftovers(self) -> list[Leftover]:
        """Journals and partial copies in the store's folder, with the process that
        made each (what a sweep looks at: one listing of the top folder)."""
        found = []
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        for entry in entries:
            for prefix in (JOURNAL_PREFIX, INCOMING_PREFIX):
                if entry.name.startswith(prefix) and entry.is_file(follow_symlinks=False):
                    pid = entry.name[len(prefix) :].split("-", 1)[0]
                    found.append(
                        Leftover(
                            Path(entry.path),
                            prefix == JOURNAL_PREFIX,
                            int(pid) if pid.isdigit() else 0,
                            entry.stat(follow_symlinks=False).st_mtime,
                        )
                    )
        return found

    def stored(self) -> list[tuple[str, float]]:
        """Every stored file's digest and modification time."""
        found = []
        try:
            folders = [e for e in os.scandir(self.root) if e.is_dir(follow_symlinks=False)]
        except FileNotFoundError:
            return []
        for folder in folders:
            for entry in os.scandir(folder.path):
                if _SHA256.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    found.append((entry.name, entry.stat(follow_symlinks=False).st_mtime))
        return found


JOURNAL_PREFIX = ".pending-"
INCOMING_PREFIX = ".incoming-"


@dataclass(frozen=True)
class Leftover:
    """A journal or a partial copy found in the attachment store's folder."""

    path: Path
    journal: bool
    pid: int
    """The process that made it (0 when its name does not say)."""
    mtime: float


def read_journal(path: Path) -> list[str]:
    """The digests a journal lists (a line cut short by a crash is no digest)."""
    try:
        lines = path.read_text("ascii", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    return [line for line in lines if _SHA256.fullmatch(line)]


def _append_line(path: Path, line: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, f"{line}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
