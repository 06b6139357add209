"""A bag as one zip: written by the export (`zip_bag`), and read for `recorder verify`:
unpacked into a temporary folder, but never further than the bag declares, and never
outside that folder."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from recorder.domain.errors import InputError
from recorder.domain.i18n import _

TAG_FILE_LIMIT = 64 * 1000 * 1000
"""The most a bag's tag file (bagit.txt, bag-info.txt, the manifests) may unpack to."""


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The bag's folder: `path` itself, or where its zip was unpacked.

    A zip is unpacked only as far as its bag declares (bag-info.txt's Payload-Oxum and
    its tag files): a zip that would unpack to more, or whose members hold more than
    their headers say, is refused before it fills the disk.
    """
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise InputError(
            _("{path} does not exist; expected a bag folder or its zip").format(path=path)
        )
    if not zipfile.is_zipfile(path):
        raise InputError(
            _("{path} is neither a folder nor a zip file; expected a bag or its zip").format(
                path=path
            )
        )
    try:
        with (
            tempfile.TemporaryDirectory(prefix="recorder-verify-") as tmp,
            zipfile.ZipFile(path) as archive,
        ):
            _unpack(path, archive, Path(tmp))
            root = Path(tmp)
            found = [p.parent for p in root.glob("*/bagit.txt")] + (
                [root] if (root / "bagit.txt").exists() else []
            )
            if len(found) != 1:
                raise InputError(
                    _("{path}: no bag inside (expected one folder with bagit.txt)").format(
                        path=path
                    )
                )
            yield found[0]
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(
            _("{path}: the zip is damaged ({exc}); expected a whole zip").format(path=path, exc=exc)
        ) from None


def _unpack(path: Path, archive: zipfile.ZipFile, into: Path) -> None:
    members = [m for m in archive.infolist() if not m.is_dir()]
    for member in archive.infolist():
        parts = PurePosixPath(member.filename).parts
        if member.filename.startswith("/") or ".." in parts or "\\" in member.filename:
            raise InputError(
                _("{path}: unsafe file name {filename!r} in the zip; refusing it").format(
                    path=path, filename=member.filename
                )
            )
    tags = [m for m in members if "data" not in PurePosixPath(m.filename).parts]
    info = next((m for m in tags if PurePosixPath(m.filename).name == "bag-info.txt"), None)
    if info is None or info.file_size > TAG_FILE_LIMIT:
        raise InputError(
            _("{path}: no bag-info.txt in the zip; expected a recorder bag").format(path=path)
        )
    oxum = re.search(
        r"^Payload-Oxum:\s*(\d+)\.(\d+)\s*$",
        _read_capped(archive, info).decode("utf-8", "replace"),
        re.MULTILINE,
    )
    if oxum is None:
        raise InputError(
            _("{path}: bag-info.txt has no Payload-Oxum; expected a recorder bag").format(path=path)
        )
    declared = int(oxum.group(1)) + sum(min(m.file_size, TAG_FILE_LIMIT) for m in tags)
    claimed = sum(m.file_size for m in members)
    if claimed > declared:
        raise InputError(
            _(
                "{path}: the zip would unpack to {claimed:,} bytes, more than the "
                "{declared:,} its bag declares; refusing to unpack it"
            ).format(path=path, claimed=claimed, declared=declared)
        )
    free = shutil.disk_usage(into).free
    if claimed > free:
        raise InputError(
            _(
                "{path}: unpacking needs {claimed:,} bytes and {into} has {free:,} "
                "free; verify the unzipped folder instead"
            ).format(path=path, claimed=claimed, into=into, free=free)
        )
    for member in members:
        target = into / member.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, target.open("wb") as sink:
            copied = 0
            while chunk := source.read(1 << 20):
                copied += len(chunk)
                if copied > member.file_size:
                    raise InputError(
                        _(
                            "{path}: {filename} holds more than its header says; refusing to "
                            "unpack it"
                        ).format(path=path, filename=member.filename)
                    )
                sink.write(chunk)


def _read_capped(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    with archive.open(member) as handle:
        return handle.read(TAG_FILE_LIMIT)


def zip_bag(bag_dir: Path, target: Path) -> None:
    """Zip the bag under its own folder name; text deflated, attachments stored as is."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(bag_dir.rglob("*")):
            if path.is_dir():
                continue
            relative = path.relative_to(bag_dir.parent).as_posix()
            stored = "/data/attachments/" in f"/{relative}" or "/data/emails/" in f"/{relative}"
            archive.write(
                path, relative, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            )
