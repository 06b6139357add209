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

import contextlib
import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recorder.domain.chain import (
    GENESIS_HASH,
    body_of,
    compare_records,
    event_hash,
    fingerprint_digits,
)
from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _
from recorder.export.bag import fingerprint_of
from recorder.export.bag_files import attachment_problems, layout_problems
from recorder.export.bag_records import Loaded, checked, load_records
from recorder.export.evidence import KINDS, Evidence
from recorder.export.rederive import Rendering, claim_problems, evidence_of, logged_by_in
from recorder.export.staging import Replay, Staged
from recorder.export.timestamps import check_bag_timestamps
from recorder.export.unzip import opened

MAX_SCHEMA_PROBLEMS = 20

CHANGED = N_("its contents changed (SHA-256 does not match the manifest)")


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
            return _("identical to the export with fingerprint {fingerprint}").format(
                fingerprint=self.fingerprint
            )
        return _(
            "consistent (fingerprint {fingerprint}; give the one printed at export "
            "with --fingerprint to prove the bag is that export)"
        ).format(fingerprint=self.fingerprint)

    def summary(self) -> str:
        """The OK line."""
        return _("OK: {details}").format(details=self.details())

    def details(self) -> str:
        """What the OK line says was found right."""
        counts = _(", ").join(f"{n} {_(kind.replace('_', ' '))}" for kind, n in self.counts.items())
        return _("{counts}; audit chain of {events} events to head {head}…; {level}").format(
            counts=counts, events=self.events, head=self.head[:16], level=self.level
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
        report.problems.append(
            _("{name}: not a valid BagIt bag: {exc}").format(name=root.name, exc=exc)
        )
        return report
    if "sha256" not in bag.algorithms:
        report.problems.append(_("manifest-sha256.txt: missing; recorder's bags list SHA-256"))
        return report
    missing, extra = bag.compare_manifests_with_fs()
    report.problems += [
        _("{p}: listed in the manifest but missing").format(p=p) for p in sorted(missing)
    ]
    report.problems += [
        _("{p}: not in the manifest (added after export)").format(p=p) for p in sorted(extra)
    ]
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
    chain: _Chain | None = None
    staged = Staged.new()
    try:
        loaded = load_records(root / "data" / "records.json", staged)
        report.problems += loaded.problems
        document = loaded.header
        evidence = None if document is None else _evidence(document, staged)
        if isinstance(evidence, Evidence):
            evidence.logged_by = logged_by_in(root / "data" / "audit.jsonl")
        if document is not None and isinstance(evidence, Evidence) and not report.identical:
            rendering = _start_rendering(evidence, document, processes)
        with ThreadPoolExecutor(max_workers=max(1, processes)) as pool:
            hashing = {p: pool.submit(_hash_file, root / p) for p in present}
            chain = _read_chain(root, document or {}, staged, report)
            if document is not None and chain is not None:
                _check_records(root, document, chain, loaded, bag.info, report, evidence, staged)
            found = {p: future.result() for p, future in hashing.items()}
        changed = [f"{p}: {_(CHANGED)}" for p in present if found[p] != listed[p]]
        report.problems[len(missing) + len(extra) : len(missing) + len(extra)] = changed
        if fingerprint is not None and not report.identical:
            report.problems.append(
                _(
                    "tagmanifest-sha256.txt: the fingerprint is not the one given; "
                    "the bag is not the one that was exported"
                )
            )
        if document is None or chain is None:
            return report
        report.problems += attachment_problems(document, staged, found, report.notes)
        if rendering is not None and report.ok:  # only from records that passed all above
            report.problems += [
                _("data/{name}: differs from what its records give (changed after export)").format(
                    name=name
                )
                for name, digest in rendering.result().items()
                if listed.get(f"data/{name}") not in (None, digest)
            ]
        report.counts = {kind: staged.count(kind) for kind in ("cases", "contacts", "attachments")}
    finally:
        if rendering is not None:
            rendering.close()
        if chain is not None:
            chain.replay.close()
        staged.close()
    timestamps = root / "data" / "timestamps"
    problems, notes = check_bag_timestamps(timestamps, chain.hashes, tsa_ca=tsa_ca)
    report.problems += problems
    report.notes += notes
    return report


def _evidence(document: dict[str, Any], staged: Staged) -> Evidence | str:
    """The evidence of records.json (its records staged); or why it cannot be read."""
    try:
        return evidence_of(document, 0, staged)
    except InputError as exc:
        return str(exc)


def _start_rendering(
    evidence: Evidence, document: dict[str, Any], processes: int
) -> Rendering | None:
    """The readable files being made again from the records (None where this recorder
    cannot: another version made them)."""
    from recorder.export.make import recorder_version

    version = recorder_version()
    if str(document.get("recorder_version")) != version:
        return None
    return Rendering(evidence, version, fork=processes > 1)


def _check_records(
    root: Path,
    document: dict[str, Any],
    chain: _Chain,
    loaded: Loaded,
    info: dict[str, Any],
    report: Report,
    evidence: Evidence | str | None,
    staged: Staged,
) -> None:
    """Every check of the records, the chain and bag-info's claims."""
    from recorder.export.make import recorder_version

    # One pass over the records checks them against the schema and their history.
    replayed, noted = _check_replay(chain.replay, document, staged, loaded)
    report.problems += loaded.schema_problems
    report.problems += layout_problems(root, staged)
    report.problems += chain.problems
    report.notes += chain.notes
    report.events, report.head = len(chain.hashes), chain.head
    if document.get("audit_head") != chain.head:
        report.problems.append(
            _("data/records.json: audit_head is not the last hash of data/audit.jsonl")
        )
    if info.get("Audit-Head-Hash") != chain.head:
        report.problems.append(_("bag-info.txt: Audit-Head-Hash is not the last hash of the chain"))
    report.problems += replayed
    report.notes += noted
    if report.problems:
        return
    if not isinstance(evidence, Evidence):
        report.problems.append(evidence or _("data/records.json: its header cannot be read"))
        return
    evidence.records.event_count = len(chain.hashes)
    version = str(document.get("recorder_version"))
    report.problems += claim_problems(evidence, version, info)
    if version != recorder_version():
        report.notes.append(
            _(
                "the readable files were made by recorder {version}, which this one "
                "({ours}) cannot make again: their manifest alone vouches for them"
            ).format(version=version, ours=recorder_version())
        )


def _hash_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class _Chain:
    """audit.jsonl read: each event's hash in order, what is wrong with the links and
    the hashes, and the records the events leave behind."""

    replay: Replay
    hashes: list[str] = field(default_factory=list)
    head: str = GENESIS_HASH
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read_chain(
    root: Path, document: dict[str, Any], staged: Staged, report: Report
) -> _Chain | None:
    """Read audit.jsonl an event at a time: check each link and hash, and replay it.
    None (with the problem said) when the file cannot be read as events."""
    path = root / "data" / "audit.jsonl"
    chain = _Chain(Replay(staged))
    unchecked = 0
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    event = json.loads(line)
                except ValueError:
                    report.problems.append(
                        _("data/audit.jsonl: line {number} is not JSON").format(number=number)
                    )
                    break
                if not isinstance(event, dict) or not {"hash", "prev_hash"} <= set(event):
                    report.problems.append(
                        _("data/audit.jsonl: line {number} is not an event").format(number=number)
                    )
                    break
                unchecked += _check_event(event, chain, document)
                with contextlib.suppress(KeyError, TypeError, AttributeError, ValueError):
                    chain.replay.apply(event)
            else:
                chain.replay.done()
                if unchecked:
                    chain.notes.append(
                        _(
                            "{unchecked} audit events written before recorder hashed each field "
                            "were redacted: their links are checked, their content cannot be"
                        ).format(unchecked=unchecked)
                    )
                return chain
    except FileNotFoundError:
        report.problems.append(_("data/audit.jsonl: missing; expected the audit chain"))
    except UnicodeDecodeError:
        report.problems.append(_("data/audit.jsonl: not UTF-8"))
    chain.replay.close()
    return None


def _check_event(event: dict[str, Any], chain: _Chain, document: dict[str, Any]) -> int:
    """Check one event's link and hash; 1 if its content cannot be checked, else 0."""
    name = _("data/audit.jsonl: event {id}").format(id=event.get("id"))
    if event["prev_hash"] != chain.head:
        chain.problems.append(_("{name}: does not follow the event before it").format(name=name))
    scheme = event.get("v", 1)
    if event.get("redacted") and not document.get("redacted"):
        chain.problems.append(
            _("{name}: marked redacted, but records.json says nothing was redacted").format(
                name=name
            )
        )
    unchecked = 0
    if event.get("elided"):
        pass
    elif event.get("redacted") and scheme == 1:
        unchecked = 1  # masked in place: its hash vouches for an original not here
    else:
        try:
            body = body_of(
                action=event["action"],
                at=event["at"],
                change=event["change"],
                entity=event["entity"],
                entity_id=event["entity_id"],
                scheme=scheme,
                member=event.get("member"),
            )
            matches = event_hash(event["prev_hash"], body) == event["hash"]
        except (KeyError, TypeError, AttributeError):
            matches = False
        if not matches:
            what = f"{event.get('entity')} #{event.get('entity_id')}"
            chain.problems.append(
                _("{name} ({what}): its hash does not match its content").format(
                    name=name, what=what
                )
            )
    chain.head = event["hash"]
    chain.hashes.append(event["hash"])
    return unchecked


def _check_replay(
    replayed: Replay, document: dict[str, Any], staged: Staged, loaded: Loaded
) -> tuple[list[str], list[str]]:
    """What differs between the records and their replayed history (problems, notes);
    each record is checked against the schema as it passes (`checked`)."""
    problems, notes = [], []
    masked = {
        (r.get("kind"), r.get("id"), r.get("field"))
        for r in document.get("redactions", [])
        if isinstance(r, dict)
    }
    if masked and not document.get("redacted"):
        problems.append(_("data/records.json: lists masked fields, but says nothing was redacted"))
    for kind in KINDS:
        problems += compare_records(
            checked(staged, kind, loaded),
            replayed.records(kind),
            lambda record_id, kind=kind: _("data/records.json: {kind} #{record_id}").format(
                kind=kind, record_id=record_id
            ),  # type: ignore[misc]
            masked=lambda record_id, key, kind=kind: (kind, record_id, key) in masked,  # type: ignore[misc]
        )
    if masked:
        named = sorted(f"{kind} #{record_id} {key}" for kind, record_id, key in masked)
        shown = ", ".join(named[:5]) + (
            _(" and {more} more").format(more=len(named) - 5) if len(named) > 5 else ""
        )
        notes.append(
            _(
                "{count} fields were masked by redaction ({shown}): the audit chain "
                "keeps the digest of each original, but what they show now is not "
                "proven"
            ).format(count=len(named), shown=shown)
        )
    return problems, notes
