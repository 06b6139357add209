"""Reading an email never raises on its content: what CPython's parser cannot take is
read around, and said in `problems`."""

from __future__ import annotations

import base64
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recorder.ingest.messages import NotAnEmail, read_email


def test_a_group_address_does_not_stop_the_reading() -> None:
    email = read_email(b"From: g: ;x@y.example\r\nSubject: hi\r\n\r\nbody\r\n")
    assert email.sender_address == "x@y.example"
    assert email.text == "body\r\n"


def test_a_nul_in_an_rfc_2231_parameter_is_read_around() -> None:
    raw = (
        b"From: a@b.example\r\nContent-Type: application/pdf; name*=us\x00ascii''x.pdf\r\n"
        b"Content-Disposition: attachment; filename*=us\x00ascii''x.pdf\r\n\r\nPDF\r\n"
    )
    email = read_email(raw)
    assert [(a.name, a.data) for a in email.attachments] == [("x.pdf", b"PDF\r\n")]
    assert email.raw == raw  # the evidence is the bytes as given


def test_deep_mime_nesting_is_read_to_a_limit() -> None:
    part = b"--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    raw = b"From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" + part * 3000
    email = read_email(raw)
    assert any("were not read" in p for p in email.problems)


def test_gb2312_is_read_as_gb18030_and_an_unknown_charset_as_utf_8() -> None:
    subject = base64.b64encode("工单".encode("gb2312")).decode()
    raw = (
        f"From: a@b.example\r\nSubject: =?gb2312?B?{subject}?=\r\n"
        "Content-Type: text/plain; charset=gb2312\r\n\r\n"
    ).encode() + "你好，𠀀".encode("gb18030")  # 𠀀 is in GB18030, not in GB2312
    email = read_email(raw)
    assert (email.subject, email.text) == ("工单", "你好，𠀀")
    odd = read_email(
        b"From: a@b.example\r\nContent-Type: text/plain; charset=x-nonsense\r\n\r\n\xe4\xbd\xa0"
    )
    assert odd.text == "你" and "a part's charset 'x-nonsense' is unknown" in odd.problems[0]


def test_wrong_bytes_are_replaced_and_said() -> None:
    email = read_email(
        b"From: a@b.example\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nok\xff"
    )
    assert email.text == "ok\ufffd"
    assert "not valid utf-8" in email.problems[0]


def test_html_alone_is_read_as_text_with_its_layout() -> None:
    raw = (
        b"From: a@b.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><body><p>Hello</p><ul><li>one</li><li>two</li></ul>"
        b"<table><tr><td>TxID</td><td>abc</td></tr></table></body></html>"
    )
    email = read_email(raw)
    assert email.from_html
    lines = [line.strip() for line in email.text.splitlines() if line.strip()]
    assert lines[0] == "Hello"
    assert "* one" in lines and "* two" in lines
    assert any("TxID" in line and "abc" in line for line in lines)


def test_plain_text_is_preferred_to_html() -> None:
    raw = (
        b"From: a@b.example\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n"
        b"--x\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n"
        b"--x\r\nContent-Type: text/plain\r\n\r\nplain\r\n--x--\r\n"
    )
    email = read_email(raw)
    assert email.text.strip() == "plain" and not email.from_html


def test_bytes_that_are_not_an_email_are_refused_in_one_line() -> None:
    for raw in (b"", b"\xd0\xcf\x11\xe0 an Outlook .msg file", b"just words\nand more\n"):
        with pytest.raises(NotAnEmail, match=r"^not an email: expected headers"):
            read_email(raw)


_HEADER = st.sampled_from(
    [b"From", b"To", b"Subject", b"Date", b"Content-Type", b"Content-Disposition",
     b"Content-Transfer-Encoding", b"Reply-To", b"Message-ID", b"References"]
)  # fmt: skip
_VALUE = st.one_of(
    st.binary(max_size=80),
    st.sampled_from(
        [b"g: ;x@y", b"=?utf-8?b?invalid?=", b"=?x-unknown?q?a=FF?=", b"multipart/mixed",
         b"multipart/mixed; boundary=b", b"text/plain; charset*=us\x00ascii''x",
         b"base64", b"quoted-printable", b"attachment; filename*=utf-8''%FF%FE",
         b"Mon, 99 Foo 20260 99:99:99 +9999", b"<a@b> <c@d"]
    ),
)  # fmt: skip


FUZZ = int(os.environ.get("RECORDER_FUZZ", "300"))
"""Malformed messages tried per run (RECORDER_FUZZ=8000 for a longer search)."""


@settings(max_examples=FUZZ, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.tuples(_HEADER, _VALUE), min_size=1, max_size=8),
    body=st.binary(max_size=300),
    nested=st.integers(min_value=0, max_value=60),
)
def test_no_malformed_message_makes_the_reader_raise(
    headers: list[tuple[bytes, bytes]], body: bytes, nested: int
) -> None:
    head = b"".join(name + b": " + value.replace(b"\n", b" ") + b"\r\n" for name, value in headers)
    part = b"--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" * nested
    raw = head + b"\r\n" + part + body
    try:
        email = read_email(raw)
    except NotAnEmail:
        return
    assert email.raw == raw
    assert isinstance(email.text, str) and isinstance(email.subject, str)
    assert email.reply.lead + email.reply.new + email.reply.quoted == email.text


def test_a_message_id_longer_than_a_line_is_kept_cut_the_same_way_each_time() -> None:
    raw = b"From: a@b.example\r\nMessage-ID: <" + b"x" * 5000 + b"@b.example>\r\n\r\nhi\r\n"
    first, second = read_email(raw), read_email(raw)
    assert first.message_id is not None and len(first.message_id) == 998
    assert first.message_id == second.message_id
