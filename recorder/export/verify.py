"""`recorder verify`: is a bag (or its zip) exactly what recorder exported?

Checks, each problem named by file and record:
- the BagIt manifests: every file listed is there with the SHA-256 listed, and no
  file is there that is not listed (tag files included: bag-info.txt is covered);
- the bag holds only what recorder writes: no other file at its root, in data/ or
  among the attachments, even one the manifests were made to list;
- data/records.json against the export schema;
- data/audit.jsonl: each event follows the one before it, from the first to the head
  hash that records.json and bag-info.txt name, and each full event's hash covers it
  (a field masked by redaction stands as its digest, which the hash covers);
- replaying the audit events gives exactly the records of records.json, so an edited
  record is caught even when the manifests were recomputed to hide it;
- every attachment of records.json is in data/attachments with its SHA-256;
- the readable files (timeline.html, timeline.md, contacts.csv) and bag-info.txt's
  claims are made again from the records and must be the same, byte for byte;
- with a fingerprint, the tag manifest's SHA-256: a consistent rewrite of the whole
  bag is caught too.

Without a fingerprint the result says so: the bag is *consistent* (every file agrees
with the records and their audit chain), not proven *identical* to what was exported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from recorder.domain.chain import (
    GENESIS_HASH,
    body_of,
    compare_records,
    event_hash,
    fingerprint_digits,
    replay,
)
from recorder.domain.errors import InputError
from recorder.export.bag import READABLE, TAG_FILES, attachment_path, fingerprint_of
from recorder.export.evidence import FORMAT, KINDS
from recorder.export.rederive import Rendering, claim_problems, evidence_of
from recorder.export.timestamps import check_bag_timestamps
from recorder.export.unzip import opened

MAX_SCHEMA_PROBLEMS = 20

CHANGED = "its contents changed (SHA-256 does not match the manifest)"


@dataclass
class Report:
    """What verifying found.

    Attributes:
        problems: one line per thing found wrong; none means the bag verified.
        notes: what the check could not prove, one line each (said with the OK).
        identical: whether a fingerprint was given and matched: the bag is the one
            exported, not only consistent with itself.
    """

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fingerprint: str = ""
    identical: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    events: int = 0
    head: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        """Whether nothing was found wrong."""
        return not self.problems

    @property
    def level(self) -> str:
        """What an OK proves, in words."""
        if self.identical:
            return f"identical to the export with fingerprint {self.fingerprint}"
        return (
            f"consistent (fingerprint {self.fingerprint}; give the one printed at export "
            "with --fingerprint to prove the bag is that export)"
        )

    def summary(self) -> str:
        """The OK line."""
        counts = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in self.counts.items())
        return (
            f"OK: {counts}; audit chain of {self.events} events to head {self.head[:16]}…; "
            f"{self.level}"
        )


def verify(
    path: Path,
    *,
    fingerprint: str | None = None,
    processes: int = 2,
    tsa_ca: bytes | None = None,
) -> Report:
    """Verify the bag (folder or zip) at `path`; `tsa_ca` is a CA certificate the user
    trusts for the timestamps in it."""
    with opened(path) as root:
        return _verify(root, fingerprint, processes, tsa_ca)


def _verify(root: Path, fingerprint: str | None, processes: int, tsa_ca: bytes | None) -> Report:
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
    if (root / "tagmanifest-sha256.txt").is_file():
        report.fingerprint = fingerprint_of(root)
    report.identical = fingerprint is not None and report.fingerprint == fingerprint_digits(
        fingerprint
    )
    # Another process makes the readable files again from the records, while threads
    # hash the files (hashlib lets go of the interpreter) and this thread checks the
    # records and the chain. The rendering starts first, before any thread runs (a
    # process forked beside running threads may inherit a lock one of them held), and
    # before the checks: it takes as long as all of them together. Its result is used
    # only if every check passes.
    rendering: Rendering | None = None
    document = _load_records(root, report)
    try:
        if document is not None and not report.identical:
            rendering = _start_rendering(document, processes)
        with ThreadPoolExecutor(max_workers=max(1, processes)) as pool:
            hashing = {p: pool.submit(_hash_file, root / p) for p in present}
            events = _load_events(root, report)
            if document is not None and events is not None:
                _check_records(root, document, events, bag.info, report)
            found = {p: future.result() for p, future in hashing.items()}
        changed = [f"{p}: {CHANGED}" for p in present if found[p] != listed[p]]
        report.problems[len(missing) + len(extra) : len(missing) + len(extra)] = changed
        if fingerprint is not None and not report.identical:
            report.problems.append(
                "tagmanifest-sha256.txt: the fingerprint is not the one given; "
                "the bag is not the one that was exported"
            )
        if document is None or events is None:
            return report
        _check_attachments(document, found, report)
        if rendering is not None and report.ok:  # only from records that passed all above
            report.problems += [
                f"data/{name}: differs from what its records give (changed after export)"
                for name, digest in rendering.result().items()
                if listed.get(f"data/{name}") not in (None, digest)
            ]
    finally:
        if rendering is not None:
            rendering.close()
    problems, notes = check_bag_timestamps(
        root / "data" / "timestamps", [str(e["hash"]) for e in events], tsa_ca=tsa_ca
    )
    report.problems += problems
    report.notes += notes
    report.counts = {
        kind: len(document.get(kind, [])) for kind in ("cases", "contacts", "attachments")
    }
    return report


def _start_rendering(document: dict[str, Any], processes: int) -> Rendering | None:
    """The readable files being made again from the records (None where this recorder
    cannot: another version made them, or the header cannot be read)."""
    from recorder.export.make import recorder_version

    if str(document.get("recorder_version")) != recorder_version():
        return None
    try:
        evidence = evidence_of(document, [])  # the readable files do not show the chain
    except InputError:
        return None  # said by the checks
    return Rendering(evidence, recorder_version(), fork=processes > 1)


def _check_records(
    root: Path,
    document: dict[str, Any],
    events: list[dict[str, Any]],
    info: dict[str, Any],
    report: Report,
) -> None:
    """Every check of the records, the chain and bag-info's claims."""
    from recorder.export.make import recorder_version

    _check_schema(document, report)
    _check_layout(root, document, report)
    _check_chain(events, document, info, report)
    _check_replay(events, document, report)
    if report.problems:
        return
    try:
        evidence = evidence_of(document, events)
    except InputError as exc:
        report.problems.append(str(exc))
        return
    version = str(document.get("recorder_version"))
    report.problems += claim_problems(evidence, version, info)
    if version != recorder_version():
        report.notes.append(
            f"the readable files were made by recorder {version}, which this one "
            f"({recorder_version()}) cannot make again: their manifest alone vouches for them"
        )


def _hash_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


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


def _check_layout(root: Path, document: dict[str, Any], report: Report) -> None:
    """Only what recorder writes, even where the manifests were made to list more."""
    for path in sorted(root.iterdir()):
        if path.name != "data" and path.name not in TAG_FILES:
            report.problems.append(f"{path.name}: not part of a recorder bag (added after export)")
    data = root / "data"
    if not data.is_dir():
        return
    payload = {"records.json", "audit.jsonl", "attachments", "emails", "timestamps", *READABLE}
    for path in sorted(data.iterdir()):
        if path.name not in payload:
            report.problems.append(f"data/{path.name}: not a file recorder exports")
    expected = {
        attachment_path(str(a["sha256"]), str(a.get("name", "")), str(a.get("media_type", "")))
        for a in document.get("attachments", [])
        if isinstance(a, dict) and "sha256" in a
    }
    for folder in ("attachments", "emails"):
        if not (data / folder).is_dir():
            continue
        for path in sorted((data / folder).rglob("*")):
            relative = path.relative_to(data).as_posix()
            if relative not in expected:
                report.problems.append(
                    f"data/{relative}: not an attachment of any exported contact"
                )


def _check_chain(
    events: list[dict[str, Any]], document: dict[str, Any], info: dict[str, Any], report: Report
) -> None:
    prev = GENESIS_HASH
    unchecked = 0
    for event in events:
        name = f"data/audit.jsonl: event {event.get('id')}"
        if event["prev_hash"] != prev:
            report.problems.append(f"{name}: does not follow the event before it")
        scheme = event.get("v", 1)
        if event.get("redacted") and not document.get("redacted"):
            report.problems.append(
                f"{name}: marked redacted, but records.json says nothing was redacted"
            )
        if event.get("elided"):
            pass
        elif event.get("redacted") and scheme == 1:
            unchecked += 1  # masked in place: its hash vouches for an original not here
        else:
            try:
                body = body_of(
                    action=event["action"],
                    at=event["at"],
                    change=event["change"],
                    entity=event["entity"],
                    entity_id=event["entity_id"],
                    scheme=scheme,
                )
                matches = event_hash(event["prev_hash"], body) == event["hash"]
            except (KeyError, TypeError, AttributeError):
                matches = False
            if not matches:
                what = f"{event.get('entity')} #{event.get('entity_id')}"
                report.problems.append(f"{name} ({what}): its hash does not match its content")
        prev = event["hash"]
    if unchecked:
        report.notes.append(
            f"{unchecked} audit events written before recorder hashed each field were "
            "redacted: their links are checked, their content cannot be"
        )
    report.events, report.head = len(events), prev
    if document.get("audit_head") != prev:
        report.problems.append(
            "data/records.json: audit_head is not the last hash of data/audit.jsonl"
        )
    if info.get("Audit-Head-Hash") != prev:
        report.problems.append("bag-info.txt: Audit-Head-Hash is not the last hash of the chain")


def _check_replay(events: list[dict[str, Any]], document: dict[str, Any], report: Report) -> None:
    history = replay(events)
    masked = {
        (r.get("kind"), r.get("id"), r.get("field"))
        for r in document.get("redactions", [])
        if isinstance(r, dict)
    }
    if masked and not document.get("redacted"):
        report.problems.append(
            "data/records.json: lists masked fields, but says nothing was redacted"
        )
    for kind in KINDS:
        report.problems += compare_records(
            document.get(kind, []),
            history.get(kind, {}),
            lambda record_id, kind=kind: f"data/records.json: {kind} #{record_id}",  # type: ignore[misc]
            masked=lambda record_id, key, kind=kind: (kind, record_id, key) in masked,  # type: ignore[misc]
        )
    if masked:
        named = sorted(f"{kind} #{record_id} {key}" for kind, record_id, key in masked)
        shown = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
        report.notes.append(
            f"{len(named)} fields were masked by redaction ({shown}): the audit chain keeps "
            "the digest of each original, but what they show now is not proven"
        )


def _check_attachments(document: dict[str, Any], found: dict[str, str], report: Report) -> None:
    withheld = set(document.get("withheld") or [])
    if withheld and not document.get("redacted"):
        report.problems.append(
            "data/records.json: lists withheld files, but says nothing was redacted"
        )
    elif withheld:
        report.notes.append(
            f"{len(withheld)} emails were withheld by redaction: records.json keeps the "
            "SHA-256 of each, so the one who made the bag can still produce them"
        )
    for attachment in document.get("attachments", []):
        if not isinstance(attachment, dict) or "sha256" not in attachment:
            continue
        if attachment.get("id") in withheld:
            continue
        where = "data/" + attachment_path(
            attachment["sha256"],
            str(attachment.get("name", "")),
            str(attachment.get("media_type", "")),
        )
        whose = f"attachment #{attachment.get('id')} of contact #{attachment.get('contact_id')}"
        name = f"{where} ({whose})"
        if where not in found:
            report.problems.append(f"{name}: missing")
        elif found[where] != attachment["sha256"]:
            report.problems.append(f"{name}: its SHA-256 is not the recorded one")
