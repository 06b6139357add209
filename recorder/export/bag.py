"""Writing an export: a BagIt bag (RFC 8493, with the Library of Congress `bagit`
package), its zip, or one file alone.

Everything is written beside the destination under a temporary name and renamed
into place at the end, so that a failure leaves nothing behind, and an existing
destination is never overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from recorder.domain.errors import InputError
from recorder.domain.i18n import ENGLISH, _, speaking
from recorder.domain.vocabulary import EMAIL_MEDIA_TYPE
from recorder.export.evidence import KINDS, Evidence
from recorder.export.formats import FORMATS
from recorder.export.table import CsvPage
from recorder.export.timeline import (
    HtmlPage,
    MarkdownPage,
    Page,
    pieces,
    render,
)
from recorder.export.unzip import zip_bag

Progress = Callable[[str, int, int], None]
"""Told (what, done, total) as an export goes on."""

READABLE: dict[str, Callable[[Evidence, str], Page]] = {
    "timeline.html": lambda evidence, version: HtmlPage(
        evidence,
        version,
        link=lambda a: attachment_path(a["sha256"], a["name"], a["media_type"]),
    ),
    "timeline.md": MarkdownPage,
    "contacts.csv": CsvPage,
}
"""The readable files of a bag, each made from the records alone (verify makes them
again and compares them byte for byte)."""

TAG_FILES = frozenset(
    {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"}
)
"""What a recorder bag holds beside data/."""


def safe_name(name: str) -> str:
    """A file name made safe: no separators, no leading dot, printable, at most 100."""
    cleaned = unicodedata.normalize("NFKC", name)
    cleaned = re.sub(r"[^\w.\-]+", "_", cleaned).strip("._") or "file"
    return cleaned[:100]


def attachment_path(sha256: str, name: str, media_type: str = "") -> str:
    """Where an attachment lies in the bag, under data/: an email (an imported message,
    byte for byte) in emails/, any other file in attachments/."""
    folder = "emails" if media_type == EMAIL_MEDIA_TYPE else "attachments"
    return f"{folder}/{sha256}-{safe_name(name)}"


def fingerprint_of(bag: Path) -> str:
    """The bag's fingerprint: the SHA-256 of its tag manifest."""
    return hashlib.sha256((bag / "tagmanifest-sha256.txt").read_bytes()).hexdigest()


@dataclass(frozen=True)
class Written:
    """What an export wrote."""

    path: Path
    fingerprint: str | None
    """The bag's fingerprint (None for a single file)."""
    anchor: str | None = None
    """The short fingerprint of the chain head the export anchored in the store."""


def refuse_existing(dest: Path) -> None:
    if dest.exists() or dest.is_symlink():
        raise InputError(
            _("{dest} already exists; expected a new path (an export never overwrites)").format(
                dest=dest
            )
        )


def partial_prefix(dest: Path) -> str:
    """How the temporary folder of an export to `dest` by this process is named:
    `.NAME.PID.<random>.partial`, beside `dest`."""
    return f".{dest.name}.{os.getpid()}."


@contextlib.contextmanager
def _sibling_dir(dest: Path) -> Iterator[Path]:
    """A private temporary directory beside `dest`, removed unless renamed away."""
    parent = dest.parent
    if not parent.is_dir():
        raise InputError(
            _("{parent} is not a directory; expected an existing folder to export into").format(
                parent=parent
            )
        )
    try:
        tmp = Path(tempfile.mkdtemp(prefix=partial_prefix(dest), suffix=".partial", dir=parent))
    except OSError as exc:
        raise InputError(
            _("cannot write to {parent}: {reason}").format(
                parent=parent, reason=exc.strerror or exc
            )
        ) from None
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def make_private(path: Path) -> None:
    """Folders 0700 and files 0600, whatever the umask: an export is the user's
    evidence, and stays theirs until they share it."""
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        item.chmod(0o700 if item.is_dir() else 0o600)


WRITE_BUFFER = 1 << 16
"""Characters gathered before each write of a file made piece by piece."""


def _write(path: Path, made: Iterable[str]) -> None:
    """Write a file's pieces as they come, in UTF-8."""
    _write_all({path.name: path}, ((path.name, piece) for piece in made))


def _write_all(paths: dict[str, Path], made: Iterable[tuple[str, str]]) -> None:
    """Write files from (name, piece) pairs as they come, a file's pieces gathered into
    writes of about WRITE_BUFFER characters."""
    with contextlib.ExitStack() as stack:
        files = {
            name: stack.enter_context(path.open("w", encoding="utf-8", newline=""))
            for name, path in paths.items()
        }
        gathered: dict[str, list[str]] = {name: [] for name in paths}
        sizes = dict.fromkeys(paths, 0)
        for name, piece in made:
            gathered[name].append(piece)
            sizes[name] += len(piece)
            if sizes[name] >= WRITE_BUFFER:
                files[name].write("".join(gathered[name]))
                gathered[name].clear()
                sizes[name] = 0
        for name, pending in gathered.items():
            files[name].write("".join(pending))


def write_pages(evidence: Evidence, version: str, folder: Path, names: Iterable[str]) -> None:
    """Write readable files of a bag into `folder`, in one pass over the stories."""
    pages = {name: READABLE[name](evidence, version) for name in names}
    _write_all({name: folder / name for name in pages}, render(evidence, pages))


def audit_lines(evidence: Evidence) -> Iterator[str]:
    """audit.jsonl: one event a line, in chain order, keys sorted. A full event's change
    is the canonical JSON text the store keeps, written as it is (not decoded and
    encoded again: a 100k-contact history is mostly that text)."""
    dumps = json.dumps
    for event in evidence.records.events():
        if event.get("elided"):
            yield dumps(event, sort_keys=True, ensure_ascii=False) + "\n"
            continue
        redacted = ',"redacted":true' if event.get("redacted") else ""
        scheme = event.get("scheme", 1)
        version = f',"v":{scheme}' if scheme != 1 else ""
        member = (
            f'"member":{dumps(event.get("member"), ensure_ascii=False)},' if scheme >= 3 else ""
        )
        yield (
            f'{{"action":{dumps(event["action"])},"at":{dumps(event["at"])},'
            f'"change":{event["change_json"]},"entity":{dumps(event["entity"])},'
            f'"entity_id":{event["entity_id"]},"hash":{dumps(event["hash"])},'
            f'"id":{event["id"]},{member}"prev_hash":{dumps(event["prev_hash"])}{redacted}'
            f"{version}}}\n"
        )


def records_json(evidence: Evidence, version: str) -> Iterator[str]:
    """records.json: the document, each record on a line of its own, record by record."""
    header = evidence.header(version)
    last = len(header) + len(KINDS) - 1
    yield "{"
    for n, (key, value) in enumerate(header.items()):
        comma = "," if n < last else ""
        if isinstance(value, list) and value and isinstance(value[0], dict):
            yield from _listed(key, (json.dumps(v, ensure_ascii=False) for v in value), comma)
        else:
            yield f"\n {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}"
    for n, kind in enumerate(KINDS, start=len(header)):
        comma = "," if n < last else ""
        if evidence.count(kind):
            yield from _listed(kind, evidence.records.lines(kind), comma)
        else:
            yield f"\n {json.dumps(kind)}: []{comma}"
    yield "\n}\n"


def _joined(parts: Iterable[str], between: str) -> Iterator[str]:
    """The text `between.join(parts)`, piece by piece."""
    first = True
    for part in parts:
        yield part if first else between + part
        first = False


def _listed(key: str, rows: Iterable[str], comma: str) -> Iterator[str]:
    """A list of objects in records.json: one a line."""
    yield f"\n {json.dumps(key)}: ["
    yield from _joined((f"\n  {row}" for row in rows), ",")
    yield f"\n ]{comma}"


def write_bag(
    evidence: Evidence,
    dest: Path,
    *,
    attachments: FileSource,
    version: str,
    source_organization: str | None = None,
    as_zip: bool = False,
    progress: Progress | None = None,
    parallel: bool = False,
) -> Written:
    """Write the bag (or its zip) at `dest`, which must not exist yet.

    With `parallel` (and where processes can be forked), a second process writes the
    timeline's two files while this one writes the rest: they are the slowest part.
    Only a single-threaded program should ask for it (the CLI does; the TUI does not).
    """
    import bagit

    tell = progress or (lambda what, done, total: None)
    refuse_existing(dest)
    with _sibling_dir(dest) as tmp:
        bag_dir = tmp / (dest.stem if as_zip else dest.name)
        bag_dir.mkdir()
        steps: list[tuple[str, Callable[[], Iterable[str]]]] = [
            ("records.json", lambda: records_json(evidence, version)),
            ("audit.jsonl", lambda: audit_lines(evidence)),
        ]
        total = len(steps) + 1 + evidence.count("attachments") + 1
        pages = _pages_elsewhere(evidence, bag_dir, version) if parallel else None
        try:
            for done, (name, make) in enumerate(steps):
                tell(_("writing {name}").format(name=name), done, total)
                _write(bag_dir / name, make())
            tell(_("writing the timeline"), len(steps), total)
            here = [n for n in READABLE if pages is None or not n.startswith("timeline.")]
            write_pages(evidence, version, bag_dir, here)
            _copy_attachments(evidence, attachments, bag_dir, tell, len(steps) + 1, total)
            _write_timestamps(evidence, bag_dir)
            if pages is not None:
                tell(_("writing the timeline"), total - 2, total)
                pages.result()
        finally:
            if pages is not None:
                pages.close()
        tell(_("hashing the bag"), total - 1, total)
        bagit.make_bag(
            str(bag_dir),
            bag_info=bag_info(evidence, version, source_organization),
            checksums=["sha256"],
            # A pool of processes is forked only where forking is safe (see parallel).
            processes=max(1, min(4, os.cpu_count() or 1)) if parallel else 1,
        )
        fingerprint = fingerprint_of(bag_dir)
        if as_zip:
            partial = tmp / "bag.zip"
            zip_bag(bag_dir, partial)
            make_private(partial)
            refuse_existing(dest)
            partial.rename(dest)
        else:
            make_private(bag_dir)
            refuse_existing(dest)
            bag_dir.rename(dest)
        tell("done", total, total)
    return Written(dest, fingerprint)


_FORKED: tuple[Evidence, str] | None = None
"""What a forked process writes the timeline from (set just before forking it)."""


class _Pages:
    """The timeline being written by a forked process."""

    def __init__(self, pool: Any, future: Any) -> None:
        self.pool, self.future = pool, future

    def close(self) -> None:
        """Wait for the process to end (it ends once its files are written)."""
        global _FORKED
        self.pool.shutdown(wait=True, cancel_futures=True)
        _FORKED = None

    def result(self) -> None:
        self.future.result()


def _pages_elsewhere(evidence: Evidence, bag_dir: Path, version: str) -> _Pages | None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _FORKED
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    evidence.records.finish()  # indexed before the fork: the other process only reads
    _FORKED = (evidence, version)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    return _Pages(pool, pool.submit(_write_pages, str(bag_dir)))


def _write_pages(bag_dir: str) -> None:
    assert _FORKED is not None
    evidence, version = _FORKED
    write_pages(evidence, version, Path(bag_dir), ["timeline.html", "timeline.md"])


def timestamp_path(anchor_id: int, *, ca: bool = False) -> str:
    """Where an anchor's timestamp reply (or its authority's CA certificate) lies in the
    bag, under data/."""
    return f"timestamps/anchor-{anchor_id}." + ("ca.pem" if ca else "tsr")


def _write_timestamps(evidence: Evidence, bag_dir: Path) -> None:
    if not evidence.timestamps:
        return
    import base64

    (bag_dir / "timestamps").mkdir()
    for stamp in evidence.timestamps:
        reply = base64.b64decode(stamp["reply"])
        (bag_dir / timestamp_path(stamp["anchor"])).write_bytes(reply)
        if stamp["ca"]:
            _write(bag_dir / timestamp_path(stamp["anchor"], ca=True), stamp["ca"])


class FileSource(Protocol):
    """Where attachments' contents are read from (a `Store`: its files, or its database)."""

    def open_file(self, sha256: str) -> io.BufferedReader: ...

    def file_place(self, sha256: str) -> str: ...


def _copy_attachments(
    evidence: Evidence, store: FileSource, bag_dir: Path, tell: Progress, start: int, total: int
) -> None:
    (bag_dir / "attachments").mkdir()
    withheld = set(evidence.withheld)
    for n, attachment in enumerate(evidence.records.each("attachments")):
        if attachment["id"] in withheld:
            continue
        target = bag_dir / attachment_path(
            attachment["sha256"], attachment["name"], attachment["media_type"]
        )
        target.parent.mkdir(exist_ok=True)
        if n % 50 == 0:
            tell(_("copying attachments"), start + n, total)
        if target.exists():
            continue
        sha = attachment["sha256"]
        try:
            source = store.open_file(sha)
        except FileNotFoundError:
            raise InputError(
                _(
                    "attachment #{id} ({name}) is missing from the attachment store "
                    "({place}); nothing was exported"
                ).format(id=attachment["id"], name=attachment["name"], place=store.file_place(sha))
            ) from None
        with source, target.open("xb") as out:
            shutil.copyfileobj(source, out, 1 << 20)


def bag_info(evidence: Evidence, version: str, source: str | None) -> dict[str, str]:
    """bag-info.txt's claims about the export (verify derives them again and compares)."""
    with speaking(ENGLISH):  # archival metadata: one language, whoever exports
        described = evidence.filters.describe()
    info = {
        "Bagging-Date": evidence.generated_at.date().isoformat(),
        "External-Description": (
            "Record of contacts with customer support, exported by recorder: " + described
        ),
        "External-Identifier": f"recorder-export-{evidence.generated_at:%Y%m%dT%H%M%SZ}",
        "Recorder-Version": version,
        "Recorder-Export-Format": "recorder-export v1 (data/records.json, schema export-v1)",
        "Case-Count": str(evidence.count("cases")),
        "Contact-Count": str(evidence.count("contacts")),
        "Attachment-Count": str(evidence.count("attachments")),
        "Audit-Event-Count": str(evidence.event_count),
        "Audit-Head-Hash": evidence.head,
        "Redacted": "; ".join(evidence.redacted) if evidence.redacted else "no",
    }
    if source:
        info["Source-Organization"] = source
    return info


def write_single(evidence: Evidence, dest: Path, fmt: str, *, version: str) -> Written:
    """Write one file of the export alone (json, csv, md or html) at `dest`."""
    makers: dict[str, Callable[[], Iterable[str]]] = {
        "json": lambda: records_json(evidence, version),
        "csv": lambda: pieces(CsvPage(evidence, version)),
        "md": lambda: pieces(MarkdownPage(evidence, version)),
        "html": lambda: pieces(HtmlPage(evidence, version)),
    }
    if fmt not in makers:
        raise InputError(
            _("unknown format {fmt!r}; expected one of: {known}").format(
                fmt=fmt, known=", ".join(FORMATS)
            )
        )
    refuse_existing(dest)
    with _sibling_dir(dest) as tmp:
        partial = tmp / "export"
        _write(partial, makers[fmt]())
        make_private(partial)
        refuse_existing(dest)
        partial.rename(dest)
    return Written(dest, None)
