"""Masking what a recipient of an export does not need to see: seed phrases, private
keys, API secrets, 2FA codes and passwords (recorder.domain.secrets), email addresses
(but not the platforms' own, which are evidence of where a message went), card numbers
(13 to 19 digits that pass the Luhn check), IBANs and bank account numbers. Imported
emails (.eml files, full of addresses and perhaps of secrets) are withheld: records.json
names each with its SHA-256, so that the sender of the bag can still produce it.

Applied to every string of every exported record and audit event. A masked field of
an audit event is replaced by its digest (`{"$sha256": ...}`), which the event's hash
covers (scheme 2, recorder.domain.chain): the redacted bag still verifies link by link
and event by event, and names in records.json each field it masked, whose shown text
is then not proven. Events from before scheme 2 are masked in place and marked
`redacted`; their hashes cannot be checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from recorder.domain.chain import canonical_json, ref
from recorder.domain.i18n import N_, _
from recorder.domain.secrets import SecretKind, mask, scan
from recorder.domain.vocabulary import EMAIL_MEDIA_TYPE
from recorder.export.evidence import KINDS, Evidence

SECRETS_MASKED = {
    SecretKind.seed_phrase: N_("seed phrases"),
    SecretKind.private_key: N_("private keys"),
    SecretKind.api_secret: N_("API secrets"),
    SecretKind.one_time_code: N_("2FA codes"),
    SecretKind.password: N_("passwords"),
}
"""Each kind of secret as the export's summary counts it."""

_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
_CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_ACCOUNT = re.compile(
    r"(?i)\b(account (?:number|no\.?)|acct\.?(?: no\.?)?|routing(?: number)?|sort code|"
    r"账号|卡号)(\s*[:#：]?\s*)([\d][\d -]{3,}\d)"
)


def luhn(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (as card numbers do)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _keep_last(text: str, keep: int = 4) -> str:
    shown = 0
    out = []
    for ch in reversed(text):
        if ch.isalnum():
            out.append(ch if shown < keep else "*")
            shown += 1
        else:
            out.append(ch)
    return "".join(reversed(out))


@dataclass
class Redactor:
    """Masks sensitive values in strings, and counts what it masked."""

    keep_domains: frozenset[str] = frozenset()
    """Email domains left as they are: the platforms' official ones."""
    counts: dict[str, int] = field(default_factory=dict)

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def text(self, value: str, secrets: Mapping[str, SecretKind] | None = None) -> str:
        """The string with its sensitive values masked; `secrets` are pieces found in
        the record it belongs to (a chat's turns quote its text piece by piece, and a
        turn alone may lack the words that make its piece a secret)."""
        if not value:
            return value
        if secrets is None:
            secrets = self._secrets(value)
        for piece in sorted(secrets, key=len, reverse=True):
            value = value.replace(piece, mask(secrets[piece]))
        value = _EMAIL.sub(self._email, value)
        value = _IBAN.sub(self._iban, value)
        value = _ACCOUNT.sub(self._account, value)
        return _CARD.sub(self._card, value)

    def _secrets(self, *texts: str) -> dict[str, SecretKind]:
        """The secrets in some texts, each piece once, counted."""
        found = {text[f.start : f.end]: f.kind for text in texts if text for f in scan(text)}
        for kind in found.values():
            self._count(SECRETS_MASKED[kind])
        return found

    def _email(self, match: re.Match[str]) -> str:
        domain = match.group(2).lower()
        if any(domain == d or domain.endswith("." + d) for d in self.keep_domains):
            return match.group(0)
        self._count(N_("email addresses"))
        return f"{match.group(1)}***@{match.group(2)}"

    def _iban(self, match: re.Match[str]) -> str:
        self._count(N_("IBANs"))
        return _keep_last(match.group(0))

    def _account(self, match: re.Match[str]) -> str:
        self._count(N_("bank account numbers"))
        return match.group(1) + match.group(2) + _keep_last(match.group(3))

    def _card(self, match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if not 13 <= len(digits) <= 19 or not luhn(digits):
            return match.group(0)
        self._count(N_("card numbers"))
        return _keep_last(match.group(0))

    def value(self, value: Any) -> Any:
        """Any JSON value (a record) with every string in it masked, each secret found
        in any of its strings masked in all of them."""
        secrets = self._secrets(*_strings(value))
        return _walk(value, lambda text: self.text(text, secrets))

    def summary(self) -> list[str]:
        """What was masked, in the language of the export: e.g. ["3 email addresses",
        "1 card numbers"]."""
        return [
            _("{count} {what}").format(count=n, what=_(what))
            for what, n in sorted(self.counts.items())
        ]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def _walk(value: Any, fix: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fix(value)
    if isinstance(value, list):
        return [_walk(v, fix) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, fix) for k, v in value.items()}
    return value


def redact_evidence(evidence: Evidence) -> None:
    """Mask every staged record and audit event of the evidence alike, in place.

    Imported emails are withheld; other attachments (screenshots, PDFs) are copied as
    they are, and the bag says so.
    """
    staged = evidence.records
    official = frozenset(
        domain.lower()
        for platform in staged.each("platforms")
        for domain in platform.get("domains") or []
    )
    on_records, on_events = Redactor(official), Redactor(official)
    redactions: list[dict[str, Any]] = []
    for kind in KINDS:

        def masked(record: dict[str, Any], kind: str = kind) -> dict[str, Any]:
            fixed: dict[str, Any] = on_records.value(record)
            redactions.extend(
                {"kind": kind, "id": record["id"], "field": key}
                for key in record
                if fixed[key] != record[key]
            )
            return fixed

        staged.rewrite(kind, masked)
    staged.rewrite_events(lambda event: _masked_event(event, on_events))
    said = on_records.summary() or [_("nothing found to mask")]
    withheld = [a["id"] for a in staged.each("attachments") if a["media_type"] == EMAIL_MEDIA_TYPE]
    if withheld:
        said.append(
            _("{count} emails withheld (their SHA-256 is in records.json)").format(
                count=len(withheld)
            )
        )
    evidence.redacted = [*said, _("other attachments are not redacted")]
    evidence.redactions = redactions
    evidence.withheld = withheld


def _masked_event(event: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    if event.get("elided"):
        return event
    original = json.loads(event["change_json"])
    masked = redactor.value(original)
    if masked == original:
        return event
    if event.get("scheme", 1) < 2:
        return {**event, "change_json": canonical_json(masked), "redacted": True}
    change = {
        side: None
        if original[side] is None
        else {
            key: ref(value) if masked[side][key] != value else value
            for key, value in original[side].items()
        }
        for side in ("before", "after")
    }
    return {**event, "change_json": canonical_json(change)}
