"""Identifiers named in a message: TxIDs, wallet addresses, order and ticket numbers.

Pure: finds them in free text (English and Chinese labels) so that two cases naming
the same TxID or order in their messages are found as alike as two cases whose fields
hold it. Each comes with its key as compared (recorder.domain.duplicates.identifier_key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from recorder.domain.duplicates import identifier_key


class Kind(StrEnum):
    """What an identifier names; only identifiers of one kind are compared."""

    txid = "txid"
    address = "address"
    order = "order"
    reference = "reference"


LABELS = {Kind.txid: "TxID", Kind.address: "address", Kind.order: "order", Kind.reference: "ticket"}
"""How each kind is named in a duplicate warning."""


@dataclass(frozen=True, slots=True)
class Named:
    """One identifier found in a text."""

    kind: Kind
    value: str
    key: str


_B58 = "1-9A-HJ-NP-Za-km-z"
_NUMBER = r"\s*[#:：(]?\s*(?i:number|no\.?|id|#)?\s*[#:：]?\s*"
_SHAPES: tuple[tuple[Kind, str], ...] = (
    # A transaction hash: 64 hex digits (Ethereum with 0x, Bitcoin and most others without).
    (Kind.txid, r"\b(?:0x)?[0-9a-fA-F]{64}\b"),
    # Addresses: EVM, Bitcoin bech32, Tron.
    (Kind.address, r"\b0x[0-9a-fA-F]{40}\b"),
    (Kind.address, r"\bbc1[02-9ac-hj-np-z]{25,87}\b"),
    (Kind.address, rf"\bT[{_B58}]{{33}}\b"),
    # Labelled numbers: "order #771203", "Order ID: A-99812", "订单号：771203".
    (Kind.order, rf"(?i:\border){_NUMBER}([A-Za-z0-9][A-Za-z0-9-]{{4,39}})"),
    (Kind.order, r"订单(?:号|编号)?\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{4,39})"),
    (
        Kind.reference,
        rf"(?i:\b(?:ticket|case|request)){_NUMBER}([A-Za-z0-9]*\d[A-Za-z0-9-]{{3,39}})",
    ),
    (Kind.reference, r"工单(?:号|编号)?\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{3,39})"),
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[Kind, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(shape)) for kind, shape in _SHAPES)


def named_reference(text: str) -> str | None:
    """The one ticket or case number a message names ("Your request (7001234) has been
    received"), or None when it names none or several."""
    found = [n.value for n in find_identifiers(text) if n.kind is Kind.reference]
    return found[0] if len(found) == 1 else None


def find_identifiers(text: str) -> list[Named]:
    """The identifiers named in `text`, each once, in the order found."""
    found: dict[tuple[Kind, str], Named] = {}
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            value = match.group(match.lastindex or 0)
            if kind in (Kind.order, Kind.reference) and not any(ch.isdigit() for ch in value):
                continue  # "order status", "case closed": a word, not a number
            key = identifier_key(value)
            if key is not None and (kind, key) not in found:
                found[(kind, key)] = Named(kind, value, key)
    return list(found.values())


def case_identifiers(txid: str | None, order_number: str | None, text: str) -> list[Named]:
    """What a case or contact names: its TxID and order fields, and its text's."""
    named = [
        Named(kind, value, key)
        for kind, value in ((Kind.txid, txid), (Kind.order, order_number))
        if value and (key := identifier_key(value)) is not None
    ]
    seen = {(n.kind, n.key) for n in named}
    return named + [n for n in find_identifiers(text) if (n.kind, n.key) not in seen]
