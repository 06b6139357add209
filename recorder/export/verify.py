"""`recorder verify`: is a bag (or its zip) exactly what recorder exported?

Checks, each problem named by file and record:
- the BagIt manifests: every file listed is there with the SHA-256 listed, and no
  file is there that is not listed (tag files included: bag-info.txt is covered);
- data/records.json against the export schema;
- data/audit.jsonl: each event follows the one before it, from the first to the head
  hash that records.json and bag-info.txt name, and each full event's hash covers it;
- replaying the audit events gives exactly the records of records.json, so an edited
  record is caught even when the manifests were recomputed to hide it;
- every attachment of records.json is in data/attachments with its SHA-256;
- with a fingerprint, the tag manifest's SHA-256: a consistent rewrite of the whole
  bag is caught too.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from recorder.domain.chain import GENESIS_HASH, compare_records, event_hash, replay
from recorder.domain.errors import InputError
from recorder.export.bag import attachment_path, fingerprint_of
from recorder.export.evidence import FORMAT, KINDS

MAX_SCHEMA_PROBLEMS = 20


@dataclass
class Report:
    """What verifying found."""

    problems: list[str] = field(default_factory=list)
    fingerprint: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    events: int = 0
    head: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        """Whether nothing was found wrong."""
        return not self.problems

    def summary(self) -> str:
        """The OK line."""
        counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in self.counts.items())
        return (
            f"OK: {counts}; audit chain of {self.events} events to head {self.head[:16]}…; "
            f"fingerprint {self.fingerprint}"
        )


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The bag's folder: `path` itself, or where its zip was unpacked."""
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise InputError(f"{path} does not exist; expected a bag folder or its zip")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path} is neither a folder nor a zip file; expected a bag or its zip")
    with (
        tempfile.TemporaryDirectory(prefix="recorder-verify-") as tmp,
        zipfile.ZipFile(path) as archive,
    ):
        for name in archive.namelist():
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts or "\\" in name:
                raise InputError(f"{path}: unsafe file name {name!r} in the zip; refusing it")
        archive.extractall(tmp)
        root = Path(tmp)
        found = [p.parent for p in root.glob("*/bagit.txt")] + (
            [root] if (root / "bagit.txt").exists() else []
        )
        if len(found) != 1:
            raise InputError(f"{path}: no bag inside (expected one folder with bagit.txt)")
        yield found[0]


def verify(path: Path, *, fingerprint: str | None = None, processes: int = 2) -> Report:
    """Verify the bag (folder or zip) at `path`."""
    with opened(path) as root:
        return _verify(root, fingerprint, processes)


def _verify(root: Path, fingerprint: str | None, processes: int) -> Report:
    import bagit

    report = Report()
    try:
        bag = bagit.Bag(str(root))
    except bagit.BagError as exc:
        report.problems.append(f"{root.name}: not a valid BagIt bag: {exc}")
        return report
    if "sha256" not in bag.algorithms:
        report.problems.append("manifest-sha256.txt: missing; recorder's bags list SHA-256")
        return report
    missing, extra = bag.compare_manifests_with_fs()
    report.problems += [f"{p}: listed in the manifest but missing" for p in sorted(missing)]
    report.problems += [f"{p}: not in the manifest (added after export)" for p in sorted(extra)]
    listed = {p: h["sha256"].lower() for p, h in bag.entries.items() if "sha256" in h}
    present = [p for p in listed if p not in missing and (root / p).is_file()]
    found = _hashes(root, present, processes)
    report.problems += [
        f"{p}: its contents changed (SHA-256 does not match the manifest)"
        for p in present
        if found[p] != listed[p]
    ]
    tagmanifest = root / "tagmanifest-sha256.txt"
    if tagmanifest.is_file():
        report.fingerprint = fingerprint_of(root)
    if fingerprint is not None and report.fingerprint != fingerprint.strip().lower():
        report.problems.append(
            "tagmanifest-sha256.txt: the fingerprint is not the one given; "
            "the bag is not the one that was exported"
        )
    document = _load_records(root, report)
    events = _load_events(root, report)
    if document is None or events is None:
        return report
    _check_schema(document, report)
    _check_chain(events, document, bag.info, report)
    _check_replay(events, document, report)
    _check_attachments(document, found, report)
    report.counts = {
        kind: len(document.get(kind, [])) for kind in ("cases", "contacts", "attachments")
    }
    return report


def _hashes(root: Path, paths: list[str], processes: int) -> dict[str, str]:
    def one(relative: str) -> tuple[str, str]:
        with (root / relative).open("rb") as handle:
            return relative, hashlib.file_digest(handle, "sha256").hexdigest()

    with ThreadPoolExecutor(max_workers=max(1, processes)) as pool:
        return dict(pool.map(one, paths))


def _load_records(root: Path, report: Report) -> dict[str, Any] | None:
    path = root / "data" / "records.json"
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        report.problems.append("data/records.json: missing; expected recorder's records")
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        report.problems.append(f"data/records.json: not valid JSON ({exc})")
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        report.problems.append(f"data/records.json: not a {FORMAT} document")
        return None
    return document


def _load_events(root: Path, report: Report) -> list[dict[str, Any]] | None:
    path = root / "data" / "audit.jsonl"
    events: list[dict[str, Any]] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    event = json.loads(line)
                except ValueError:
                    report.problems.append(f"data/audit.jsonl: line {number} is not JSON")
                    return None
                if not isinstance(event, dict) or not {"hash", "prev_hash"} <= set(event):
                    report.problems.append(f"data/audit.jsonl: line {number} is not an event")
                    return None
                events.append(event)
    except FileNotFoundError:
        report.problems.append("data/audit.jsonl: missing; expected the audit chain")
        return None
    except UnicodeDecodeError:
        report.problems.append("data/audit.jsonl: not UTF-8")
        return None
    return events


@lru_cache(maxsize=1)
def _compiled() -> Callable[[Any], Any]:
    import fastjsonschema

    from recorder.export.schema import load_schema

    validate: Callable[[Any], Any] = fastjsonschema.compile(load_schema())
    return validate


def _check_schema(document: dict[str, Any], report: Report) -> None:
    # fastjsonschema compiles the schema to code (20x faster on 100k contacts) but
    # stops at the first problem; jsonschema then lists them all.
    import fastjsonschema

    try:
        _compiled()(document)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    from jsonschema import Draft7Validator

    from recorder.export.schema import load_schema

    validator = Draft7Validator(load_schema(), format_checker=Draft7Validator.FORMAT_CHECKER)
    for n, error in enumerate(validator.iter_errors(document)):
        if n == MAX_SCHEMA_PROBLEMS:
            report.problems.append("data/records.json: more schema problems not shown")
            break
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        report.problems.append(f"data/records.json: {where}: {error.message}")


def _check_chain(
    events: list[dict[str, Any]], document: dict[str, Any], info: dict[str, Any], report: Report
) -> None:
    prev = GENESIS_HASH
    for event in events:
        name = f"data/audit.jsonl: event {event.get('id')}"
        if event["prev_hash"] != prev:
            report.problems.append(f"{name}: does not follow the event before it")
        if not event.get("elided") and not event.get("redacted"):
            body = {k: event.get(k) for k in ("action", "at", "change", "entity", "entity_id")}
            if event_hash(event["prev_hash"], body) != event["hash"]:
                what = f"{event.get('entity')} #{event.get('entity_id')}"
                report.problems.append(f"{name} ({what}): its hash does not match its content")
        prev = event["hash"]
    report.events, report.head = len(events), prev
    if document.get("audit_head") != prev:
        report.problems.append(
            "data/records.json: audit_head is not the last hash of data/audit.jsonl"
        )
    if info.get("Audit-Head-Hash") != prev:
        report.problems.append("bag-info.txt: Audit-Head-Hash is not the last hash of the chain")


def _check_replay(events: list[dict[str, Any]], document: dict[str, Any], report: Report) -> None:
    history = replay(events)
    for kind in KINDS:
        report.problems += compare_records(
            document.get(kind, []),
            history.get(kind, {}),
            lambda record_id, kind=kind: f"data/records.json: {kind} #{record_id}",  # type: ignore[misc]
        )


def _check_attachments(document: dict[str, Any], found: dict[str, str], report: Report) -> None:
    for attachment in document.get("attachments", []):
        if not isinstance(attachment, dict) or "sha256" not in attachment:
            continue
        where = "data/" + attachment_path(attachment["sha256"], str(attachment.get("name", "")))
        whose = f"attachment #{attachment.get('id')} of contact #{attachment.get('contact_id')}"
        name = f"{where} ({whose})"
        if where not in found:
            report.problems.append(f"{name}: missing")
        elif found[where] != attachment["sha256"]:
            report.problems.append(f"{name}: its SHA-256 is not the recorded one")
