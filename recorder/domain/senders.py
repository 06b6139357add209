"""Is this message from the platform? Checking a sender against its official domains.

Pure: takes an address (with or without a display name) and what the platform
declares as its own (domains and addresses), and returns the reasons to distrust it.
A message with a finding answers nothing until the user says they trust its sender:
support's answer must come from support, and phishing mail imitates support.

The registrable domain is found with tldextract's bundled Public Suffix List (no
network). Lookalikes are found by edit distance to an official name, by the official
name standing as a label of another domain, by punycode, and by characters of other
scripts that look like Latin ones (confusable-homoglyphs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from recorder.domain.i18n import _

LOOKALIKE_DISTANCE = 2
"""Edits (insert, delete, change a character) within which another name reads as an
official one: gemlni, gemini1, gimini."""


class SenderKind(StrEnum):
    """Why a sender is not to be trusted."""

    not_official = "not_official"
    """The domain is not one of the platform's."""
    lookalike = "lookalike"
    """The domain's name is a few edits from an official one."""
    official_name_elsewhere = "official_name_elsewhere"
    """An official name stands in another domain (gemini.com.security-check.io)."""
    punycode = "punycode"
    """The domain is written in another script (xn--...)."""
    homoglyph = "homoglyph"
    """Characters of another script imitate the official name."""
    display_name = "display_name"
    """The display name claims the platform; the address is elsewhere."""
    reply_to = "reply_to"
    """Replies would go to an address outside the official domains."""
    authentication = "authentication"
    """The user's own mail provider found its DKIM, SPF or DMARC check failed."""


@dataclass(frozen=True)
class SenderFinding:
    """One reason to distrust a sender, said for a person."""

    kind: SenderKind
    message: str

    def to_json(self) -> dict[str, str]:
        """The form kept in the store and printed by `--json`."""
        return {"kind": self.kind.value, "message": self.message}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> SenderFinding:
        """The finding of a stored `to_json`."""
        return cls(SenderKind(value["kind"]), str(value["message"]))


@cache
def _extractor() -> Any:
    # Imported here: only an inbound message with an address needs it (40 ms).
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _host(domain: str) -> str:
    """A domain in its Unicode form (punycode decoded), lower case, no trailing dot."""
    cleaned = domain.strip().strip(".").casefold()
    if "xn--" not in cleaned:
        return cleaned
    import idna

    try:
        return ".".join(
            idna.decode(label) if label.startswith("xn--") else label
            for label in cleaned.split(".")
        )
    except idna.IDNAError:
        return cleaned


def registrable(domain: str) -> tuple[str, str]:
    """The registrable domain (`gemini.com` of `support.gemini.com`) and its name
    (`gemini`); for a bare name, the name twice."""
    found = _extractor()(_host(domain))
    if not found.suffix:
        return found.domain, found.domain
    return f"{found.domain}.{found.suffix}", found.domain


def _skeleton(text: str) -> str:
    """`text` with each character that imitates a Latin one replaced by it."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(text, greedy=True, preferred_aliases=["latin"])
    if not found:
        return text
    out = text
    for item in found:
        latin = [h["c"] for h in item["homoglyphs"] if h["n"].startswith("LATIN")]
        if latin:
            out = out.replace(item["character"], latin[0])
    return out


def _distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def check_sender(
    address: str,
    *,
    platform: str,
    domains: Sequence[str],
    addresses: Sequence[str] = (),
) -> list[SenderFinding]:
    """Reasons to distrust `address` as the platform's, none for a trusted one.

    `address` may carry a display name (`Gemini Support <help@x.com>`). Anything that
    is not an email address (a chat handle, a phone number) is not checked, and neither
    is any address of a platform that declares no domain: there is nothing to hold it
    against.
    """
    from email.utils import parseaddr

    name, email = parseaddr(address)
    if "@" not in email:
        return []
    email = email.casefold()
    official_addresses = {a.casefold() for a in addresses}
    officials = [registrable(d) for d in domains if d.strip()]
    if not officials or email in official_addresses:
        return []
    host = _host(email.rpartition("@")[2])
    mine, label = registrable(host)
    if mine in {domain for domain, _ in officials}:
        return []
    listed = ", ".join(sorted({domain for domain, _ in officials}))
    found = [
        SenderFinding(
            SenderKind.not_official,
            f"{host} is not one of {platform}'s official domains ({listed})",
        )
    ]
    raw_host = email.rpartition("@")[2]
    if "xn--" in raw_host:
        found.append(
            SenderFinding(
                SenderKind.punycode,
                f"{raw_host} is written in another script: it reads {host}",
            )
        )
    for official, official_label in officials:
        skeleton = _skeleton(label)
        if skeleton != label and skeleton == official_label:
            found.append(
                SenderFinding(
                    SenderKind.homoglyph,
                    f"{mine} imitates {official} with characters of another script",
                )
            )
        elif 0 < _distance(label, official_label) <= LOOKALIKE_DISTANCE and len(label) > 3:
            found.append(
                SenderFinding(SenderKind.lookalike, f"{mine} looks like {official} but is not")
            )
        labels = host.split(".")
        if (
            official in host
            or official_label in labels[:-1]
            or (official_label in label and label != official_label)
        ):
            found.append(
                SenderFinding(
                    SenderKind.official_name_elsewhere,
                    f"the address names {official_label}, but the domain is {mine}",
                )
            )
    claims = {platform.casefold(), *(o_label for _, o_label in officials)}
    if name and any(c and c in name.casefold() for c in claims):
        found.append(
            SenderFinding(
                SenderKind.display_name,
                f"the sender calls itself {name!r}, but writes from {host}",
            )
        )
    return _unique(found)


def _unique(findings: list[SenderFinding]) -> list[SenderFinding]:
    seen: set[SenderKind] = set()
    out = []
    for finding in findings:
        if finding.kind not in seen:
            seen.add(finding.kind)
            out.append(finding)
    return out


def describe(findings: Sequence[SenderFinding]) -> str:
    """One line for a person: what is wrong, and what it means."""
    reasons = "; ".join(f.message for f in findings)
    headers_only = all(f.kind in (SenderKind.reply_to, SenderKind.authentication) for f in findings)
    what = (
        _("not to be trusted as the platform's")
        if headers_only
        else (_("not from the platform's official domains"))
    )
    return _(
        "{what} ({reasons}): it answers nothing until you mark the sender "
        "trusted; support never asks for passwords, 2FA codes or seed phrases"
    ).format(what=what, reasons=reasons)


FAILED_RESULTS = {"fail", "softfail", "permerror"}
"""Authentication results that say a message is not from the domain it claims."""


def check_headers(
    *,
    reply_to: Sequence[str],
    authentication_results: Sequence[str],
    trusted_authserv_ids: Sequence[str],
    platform: str,
    domains: Sequence[str],
    addresses: Sequence[str] = (),
) -> list[SenderFinding]:
    """Reasons in an email's headers to distrust it as the platform's.

    A Reply-To outside the official domains sends the user's answer elsewhere. An
    `Authentication-Results` header counts only when the user's own provider added it
    (its authserv-id is one of `trusted_authserv_ids`): anyone can write one.
    """
    found: list[SenderFinding] = []
    for address in reply_to:
        if check_sender(address, platform=platform, domains=domains, addresses=addresses):
            found.append(
                SenderFinding(
                    SenderKind.reply_to,
                    f"replies would go to {address}, outside {platform}'s official domains",
                )
            )
            break
    trusted = {a.strip().casefold() for a in trusted_authserv_ids if a.strip()}
    for header in authentication_results:
        server, results = authentication_results_of(header)
        if server.casefold() not in trusted:
            continue
        failed = [f"{method}={result}" for method, result in results if result in FAILED_RESULTS]
        if failed:
            found.append(
                SenderFinding(
                    SenderKind.authentication,
                    f"your mail provider ({server}) found {', '.join(failed)}: the message "
                    "may not come from the address it shows",
                )
            )
            break
    return found


_COMMENT = re.compile(r"\([^()]*\)")


def authentication_results_of(header: str) -> tuple[str, list[tuple[str, str]]]:
    """The authserv-id of an Authentication-Results header (RFC 8601) and its
    `(method, result)` pairs, in lower case: `("mx.example.net", [("dkim", "pass")])`."""
    text = header
    while True:  # comments may nest: remove the innermost until none is left
        stripped = _COMMENT.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    parts = [p.strip() for p in text.split(";")]
    head = parts[0].split()
    server = head[0] if head else ""
    results = []
    for part in parts[1:]:
        method, equals, rest = part.partition("=")
        if not equals or not rest.split():
            continue
        results.append((method.strip().split("/")[0].casefold(), rest.split()[0].casefold()))
    return server, results
