"""RFC 3161 timestamps of the audit chain's head, from a time-stamping authority (with
the rfc3161-client library): proof, signed by someone other than the user, that the
history up to that head existed at that time. A history rewritten afterwards would
need a new timestamp, with a later time.

What is timestamped is the chain head as its 64 hex digits (ASCII); the token's
message imprint is their SHA-256.
"""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from recorder.domain.errors import InputError
from recorder.domain.i18n import _

TIMEOUT = 30
"""Seconds to wait for the authority."""

MAX_REPLY = 1_000_000
"""The largest reply read from an authority (a token is a few kilobytes)."""


@dataclass(frozen=True)
class Checked:
    """What checking a timestamp token found.

    Attributes:
        at: the time the authority states.
        signer: the authority's name, as its certificate gives it.
        problem: what is wrong, or None.
        signature: whether the signature was checked against a CA certificate.
    """

    at: datetime | None
    signer: str
    problem: str | None
    signature: bool


def message_of(head: str) -> bytes:
    """What a timestamp of the chain head covers."""
    return head.encode("ascii")


def request_timestamp(
    url: str, head: str, *, ca_pem: bytes | None = None
) -> tuple[bytes, datetime]:
    """Ask the authority at `url` to timestamp `head`; the reply (DER) and its time.

    The reply is checked before it is kept: its nonce and imprint, and its signature
    when the authority's CA certificate (`ca_pem`) is given.
    """
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response

    if not url.startswith(("http://", "https://")):
        raise InputError(
            _("time-stamping authority {url!r}: expected an http:// or https:// URL").format(
                url=url
            )
        )
    request = (
        TimestampRequestBuilder()
        .data(message_of(head))
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    posted = urllib.request.Request(
        url,
        data=request.as_bytes(),
        headers={"Content-Type": "application/timestamp-query"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(posted, timeout=TIMEOUT) as answer:
            reply: bytes = answer.read(MAX_REPLY)
    except urllib.error.HTTPError as exc:
        raise InputError(
            _("time-stamping authority {url}: it answered {code} {reason}").format(
                url=url, code=exc.code, reason=exc.reason
            )
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(
            _("time-stamping authority {url}: cannot reach it ({reason})").format(
                url=url, reason=reason
            )
        ) from None
    try:
        response = decode_timestamp_response(reply)
    except ValueError:
        raise InputError(
            _("time-stamping authority {url}: its answer is not a timestamp").format(url=url)
        ) from None
    if response.tst_info.nonce != request.nonce:
        raise InputError(
            _("time-stamping authority {url}: its answer is for another request").format(url=url)
        )
    checked = check_timestamp(reply, head, ca_pem=ca_pem)
    if checked.problem or checked.at is None:
        raise InputError(
            _("time-stamping authority {url}: {problem}").format(url=url, problem=checked.problem)
        )
    return reply, checked.at


def check_timestamp(reply: bytes, head: str, *, ca_pem: bytes | None) -> Checked:
    """Check a kept reply against the chain head it is said to cover; its signature too
    when a CA certificate is given."""
    import hashlib

    from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

    try:
        response = decode_timestamp_response(reply)
        info = response.tst_info
        at = info.gen_time.astimezone(UTC)
    except ValueError:
        return Checked(None, "", _("it is not a timestamp reply"), False)
    signer = _signer(response)
    if info.message_imprint.message != hashlib.sha256(message_of(head)).digest():
        return Checked(at, signer, _("it covers another chain head"), False)
    if ca_pem is None:
        return Checked(at, signer, None, False)
    from cryptography import x509

    try:
        roots = x509.load_pem_x509_certificates(ca_pem)
        builder = VerifierBuilder()
        for root in roots:
            builder = builder.add_root_certificate(root)
        builder.build().verify_message(response, message_of(head))
    except (ValueError, VerificationError) as exc:
        return Checked(at, signer, _("its signature does not verify ({exc})").format(exc=exc), True)
    return Checked(at, signer, None, True)


def _signer(response: Any) -> str:
    from cryptography import x509

    try:
        certificates = [
            x509.load_der_x509_certificate(c) for c in response.signed_data.certificates
        ]
    except ValueError:
        return "an unnamed authority"
    for certificate in certificates:
        names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        if names:
            return str(names[0].value)
    return "an unnamed authority"


def to_text(reply: bytes) -> str:
    """A reply as the store keeps it."""
    return base64.b64encode(reply).decode("ascii")


def from_text(text: str) -> bytes:
    """A reply as the store keeps it, decoded."""
    return base64.b64decode(text.encode("ascii"))


_NAMED = re.compile(r"anchor-(\d+)\.(tsr|ca\.pem)")


def check_bag_timestamps(
    folder: Path, hashes: list[str], *, tsa_ca: bytes | None
) -> tuple[list[str], list[str]]:
    """Check a bag's data/timestamps against its audit chain (`hashes`, in order):
    (problems, notes). Each reply must cover the hash of an event of the chain."""
    import hashlib

    problems: list[str] = []
    notes: list[str] = []
    if not folder.is_dir():
        return problems, notes
    imprints = {hashlib.sha256(message_of(h)).digest(): (n, h) for n, h in enumerate(hashes, 1)}
    for path in sorted(folder.iterdir()):
        name = f"data/timestamps/{path.name}"
        named = _NAMED.fullmatch(path.name)
        if named is None:
            problems.append(_("{name}: not a file recorder exports").format(name=name))
            continue
        if named.group(2) != "tsr":
            continue
        from rfc3161_client import decode_timestamp_response

        reply = path.read_bytes()
        try:
            imprint = decode_timestamp_response(reply).tst_info.message_imprint.message
        except ValueError:
            problems.append(_("{name}: not a timestamp reply").format(name=name))
            continue
        found = imprints.get(imprint)
        if found is None:
            problems.append(_("{name}: covers no event of data/audit.jsonl").format(name=name))
            continue
        event, head = found
        bundled = folder / f"anchor-{named.group(1)}.ca.pem"
        ca = tsa_ca if tsa_ca is not None else (bundled.read_bytes() if bundled.is_file() else None)
        checked = check_timestamp(reply, head, ca_pem=ca)
        if checked.problem:
            problems.append(f"{name}: {checked.problem}")
            continue
        trust = (
            _("signature checked against the CA certificate given")
            if tsa_ca is not None
            else _(
                "signature checked against the CA certificate in the bag; give --tsa-ca "
                "to check it against one you trust"
            )
            if checked.signature
            else _("signature not checked: no CA certificate (give --tsa-ca)")
        )
        notes.append(
            _(
                "the audit chain up to event {event} existed at {at:%Y-%m-%d %H:%M:%S} "
                "UTC, timestamped by {signer} ({trust})"
            ).format(event=event, at=checked.at, signer=checked.signer, trust=trust)
        )
    return problems, notes
