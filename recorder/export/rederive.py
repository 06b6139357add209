"""Making a bag's readable files and bag-info's claims again from its records, for
`recorder verify`: what they must be, byte for byte, if nobody changed them.

Rendering the timeline of a large history is the slowest part of verifying, so it
runs in a forked process while the verifying process hashes files and checks the
chain (as the export writes it: recorder.export.bag).
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from recorder.domain.errors import InputError
from recorder.domain.i18n import ENGLISH, LANGUAGES, _
from recorder.export.bag import READABLE, bag_info
from recorder.export.evidence import Evidence, Filters
from recorder.export.staging import Staged
from recorder.export.timeline import render

BAGIT_CLAIMS = frozenset({"Payload-Oxum", "Bag-Software-Agent"})
"""What the bagit package writes into bag-info.txt beside recorder's claims."""


def evidence_of(document: dict[str, Any], event_count: int, staged: Staged) -> Evidence:
    """The export's evidence as records.json's header says, with its records (already
    staged in `staged`, recorder.export.bag_records) and the number of events
    audit.jsonl holds."""
    try:
        ZoneInfo(str(document.get("time_zone", "UTC")))
        evidence = Evidence(
            records=staged,
            head=str(document["audit_head"]),
            filters=Filters.from_json(document.get("filters")),
            generated_at=datetime.fromisoformat(str(document["generated_at"])),
            time_zone=str(document.get("time_zone", "UTC")),
            redacted=list(document.get("redacted", [])),
            redactions=list(document.get("redactions", [])),
            withheld=[int(i) for i in document.get("withheld", [])],
            language=str(document.get("language", ENGLISH)),
        )
        if evidence.language not in LANGUAGES:
            raise ValueError(evidence.language)
    except (KeyError, TypeError, ValueError):
        raise InputError(_("data/records.json: its header cannot be read")) from None
    staged.event_count = event_count
    staged.finish()
    return evidence


def logged_by_in(audit: Path) -> dict[int, str]:
    """Who logged each contact, as the creating events in audit.jsonl name them (the
    readable files say it; the chain's check vouches for the names). A line at a time,
    and only the lines that can hold a name are decoded."""
    found: dict[int, str] = {}
    try:
        with audit.open("rb") as lines:  # bytes: most lines are passed over undecoded
            for line in lines:
                if b'"member":"' not in line or b'"entity":"contacts"' not in line:
                    continue
                try:
                    event = json.loads(line)
                    if event["action"] == "create" and isinstance(event["member"], str):
                        found.setdefault(int(event["entity_id"]), event["member"])
                except (ValueError, KeyError, TypeError):
                    continue  # the chain's check says what is wrong with it
    except OSError:
        return {}
    return found


def claim_problems(evidence: Evidence, version: str, info: dict[str, Any]) -> list[str]:
    """What bag-info.txt says that the records do not."""
    claims = bag_info(evidence, version, info.get("Source-Organization"))
    problems = [
        f"bag-info.txt: {key} says {info.get(key)!r}; the records say {value!r}"
        for key, value in claims.items()
        if info.get(key) != value
    ]
    problems += [
        f"bag-info.txt: {key} is not a claim recorder makes"
        for key in sorted(set(info) - set(claims) - BAGIT_CLAIMS)
    ]
    return problems


def digests(evidence: Evidence, version: str) -> dict[str, str]:
    """The SHA-256 of each readable file, made again."""
    made = {name: hashlib.sha256() for name in READABLE}
    pages = {name: make(evidence, version) for name, make in READABLE.items()}
    for name, piece in render(evidence, pages):
        made[name].update(piece.encode("utf-8"))
    return {name: digest.hexdigest() for name, digest in made.items()}


_FORKED: tuple[Evidence, str] | None = None
"""What a forked process renders from (set just before forking it)."""


class Rendering:
    """The readable files being made again, in a forked process where one can be."""

    def __init__(self, evidence: Evidence, version: str, *, fork: bool) -> None:
        self._pool: Any = None
        self._future: Future[dict[str, str]] | None = None
        self._here = (evidence, version)
        if fork:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from recorder.process import children_die_with_me

            if "fork" in multiprocessing.get_all_start_methods():
                global _FORKED
                children_die_with_me()
                _FORKED = (evidence, version)
                context = multiprocessing.get_context("fork")
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
                self._future = self._pool.submit(_render_forked)

    def result(self) -> dict[str, str]:
        """The digests (waiting for the other process, or rendering here)."""
        if self._future is not None:
            return self._future.result()
        return digests(*self._here)

    def close(self) -> None:
        """Stop the other process, if any."""
        global _FORKED
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _FORKED = None


def _render_forked() -> dict[str, str]:
    assert _FORKED is not None
    return digests(*_FORKED)
