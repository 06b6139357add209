"""Identifiers named in free text: TxIDs, addresses, order and ticket numbers."""

from __future__ import annotations

from recorder.domain.identifiers import Kind, find_identifiers, named_reference

TXID = "0x" + "ab" * 32
ADDRESS = "0x" + "12" * 20


def test_each_kind_is_found_once_with_its_key() -> None:
    text = (
        f"My withdrawal {TXID} to {ADDRESS} is pending (order #771203, Ticket No. 4412209). "
        f"Again: {TXID.upper()[2:]}. 订单号：A88123 工单号 998877"
    )
    found = [(n.kind, n.value, n.key) for n in find_identifiers(text)]
    assert found == [
        (Kind.txid, TXID, TXID[2:]),
        (Kind.address, ADDRESS, ADDRESS[2:]),
        (Kind.order, "771203", "771203"),
        (Kind.order, "A88123", "a88123"),
        (Kind.reference, "4412209", "4412209"),
        (Kind.reference, "998877", "998877"),
    ]


def test_words_after_a_label_are_not_numbers() -> None:
    assert find_identifiers("order status unknown; case closed; request received") == []


def test_the_one_reference_an_acknowledgement_names() -> None:
    assert named_reference("Your request (7001234) has been received.") == "7001234"
    assert named_reference("Case ID: 88123 and ticket 99812") is None  # two: which one?
    assert named_reference("We received your message.") is None
