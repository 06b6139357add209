"""Opening an attachment with the system's own program for it (xdg-open, open, or
Windows' file associations), from a private copy named as the file was.

The attachment store names files by their SHA-256 alone, which tells a viewer nothing
of their type; the copy keeps the original name (as data: only its last part, and
never a path outside the copy's folder) in a folder only the user can read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO

OPENERS = {"linux": "xdg-open", "darwin": "open"}
"""The program that opens a file with its default application, by platform."""


def private_copy(stored: BinaryIO, name: str, sha256: str) -> Path:
    """A copy of a stored file under its original name, in a new folder of the system's
    temporary directory (0700, as mkdtemp makes it); the copy is 0600."""
    folder = Path(tempfile.mkdtemp(prefix="recorder-open-"))
    safe = Path(name.replace("\\", "/")).name.strip() or sha256[:16]
    if safe in (".", ".."):
        safe = sha256[:16]
    target = folder / safe
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, stored:
        shutil.copyfileobj(stored, out)
    return target


def open_with_system(path: Path) -> bool:
    """Hand a file to the system's opener; False when this system has none."""
    if sys.platform == "win32":  # pragma: no cover - recorder's tests run on Linux
        os.startfile(path)  # type: ignore[attr-defined]
        return True
    opener = shutil.which(OPENERS.get(sys.platform, "xdg-open"))
    if opener is None:
        return False
    subprocess.Popen(  # a viewer outlives the call: never waited for
        [opener, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return True
