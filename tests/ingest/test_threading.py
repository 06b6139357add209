"""The rules under the import, as plain values: subjects as threads compare them, the
headers that mark an automatic reply or a forged sender, a platform's own tickets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recorder.domain.acknowledgements import automatic_header_reason
from recorder.domain.quoting import split_reply
from recorder.domain.senders import authentication_results_of, check_headers
from recorder.ingest.threads import subject_key
from tests.helpers.cli import ok, run


@pytest.mark.parametrize(
    "subject",
    [
        "BTC withdrawal pending",
        "Re: BTC withdrawal pending",
        "RE: Fwd: BTC  withdrawal pending",
        "AW: [#48151] BTC withdrawal pending",
        "回复：BTC withdrawal pending",
        "Re: BTC withdrawal pending [Ticket#20261124000017]",
    ],
)
def test_replies_and_helpdesk_tags_keep_a_subject_s_thread(subject: str) -> None:
    assert subject_key(subject) == "btc withdrawal pending"


def test_a_different_subject_is_another_thread() -> None:
    assert subject_key("Re: account frozen") != subject_key("BTC withdrawal pending")
    assert subject_key("Re:") == "" and subject_key(None) == ""


@pytest.mark.parametrize(
    ("headers", "automatic"),
    [
        ({"auto-submitted": "auto-replied"}, True),
        ({"auto-submitted": "auto-generated; owner-email=x@y"}, True),
        ({"auto-submitted": "no"}, False),
        ({"x-autoreply": "yes"}, True),
        ({"precedence": "auto_reply"}, True),
        ({"precedence": "bulk"}, False),
        ({}, False),
    ],
)
def test_headers_that_mark_an_automatic_reply(headers: dict[str, str], automatic: bool) -> None:
    assert (automatic_header_reason(headers) is not None) is automatic


def test_authentication_results_are_read_with_their_comments_dropped() -> None:
    server, results = authentication_results_of(
        "mx.google.com; dkim=pass (good (nested)) header.i=@gemini.com; spf=softfail "
        "smtp.mailfrom=x; dmarc=fail (p=REJECT) header.from=gemini.com"
    )
    assert server == "mx.google.com"
    assert results == [("dkim", "pass"), ("spf", "softfail"), ("dmarc", "fail")]


def test_only_the_trusted_provider_s_failures_are_findings() -> None:
    common = {"reply_to": (), "platform": "Gemini", "domains": ["gemini.com"]}
    failed = ["evil.example; dkim=fail", "mx.google.com; dmarc=fail"]
    found = check_headers(authentication_results=failed, trusted_authserv_ids=[], **common)
    assert found == []
    found = check_headers(
        authentication_results=failed, trusted_authserv_ids=["MX.google.com"], **common
    )
    assert [f.kind.value for f in found] == ["authentication"]
    assert "dmarc=fail" in found[0].message
    passed = ["mx.google.com; dkim=pass; spf=pass; dmarc=pass"]
    assert not check_headers(
        authentication_results=passed, trusted_authserv_ids=["mx.google.com"], **common
    )


def test_a_reply_to_at_an_official_domain_is_no_finding() -> None:
    kwargs = {"authentication_results": (), "trusted_authserv_ids": (), "platform": "Gemini"}
    assert not check_headers(reply_to=["support+id1@gemini.com"], domains=["gemini.com"], **kwargs)
    found = check_headers(reply_to=["x@gemini-help.io"], domains=["gemini.com"], **kwargs)
    assert [f.kind.value for f in found] == ["reply_to"]


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("Thanks.\n\nOn Mon, 30 Nov 2026, Support wrote:\n> hi\n", "Thanks.\n\n"),
        ("Thanks.\n\n-----Original Message-----\nFrom: x\n", "Thanks.\n\n"),
        ("好的\n\n在 2026年11月30日 10:00，客服 写道：\n> 你好\n", "好的\n\n"),
        ("ok\n> a\n>\n> b\n", "ok\n"),
        ("##- Please type your reply above this line -##\n\nWe fixed it.\n", "\n\nWe fixed it.\n"),
        ("Done.\n##- Please type your reply above this line -##\nold\n", "Done.\n"),
        ("> only a quote\n", "> only a quote\n"),
    ],
)
def test_what_a_reply_says_is_cut_from_its_history(text: str, new: str) -> None:
    reply = split_reply(text)
    assert reply.new == new
    assert reply.lead + reply.new + reply.quoted == text


def test_a_platform_s_own_ticket_pattern_names_the_reference(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    ok(db, "platform", "edit", "Gemini", "--ticket-pattern", r"GEM-(\d{6})")
    assert json.loads(ok(db, "platform", "show", "Gemini", "--json"))["ticket_patterns"] == [
        r"GEM-(\d{6})"
    ]
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Frozen").strip()
    ok(db, "log", "--case", case, "--channel", "email", "--direction", "in",
       "--address", "support@gemini.com", "--text", "Your case GEM-004211 is open.")  # fmt: skip
    assert json.loads(ok(db, "show", case, "--json"))["contacts"][0]["reference"] == "004211"
    bad = run(db, "platform", "edit", "Gemini", "--ticket-pattern", r"GEM-(\d+")
    assert bad.exit_code == 1 and "is not a regular expression" in bad.stderr


def test_settings_are_checked_kept_and_shown(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    for name, value, said in (
        ("my_addresses", "nope", "'nope' is not an email address"),
        ("trusted_authserv_ids", "not a host!", "'not a host!' is not a host name"),
        ("color", "blue", "no setting is called 'color'"),
        ("imap_account", "imap.example.org", "imap_account is set by `recorder fetch"),
    ):
        result = run(db, "settings", "set", name, value)
        assert result.exit_code == 1 and said in result.stderr, result.stderr
    ok(db, "settings", "set", "my_addresses", "Li@Example.org, li@work.example")
    shown = json.loads(ok(db, "settings", "show", "--json"))
    assert shown["my_addresses"] == ["li@example.org", "li@work.example"]
    assert shown["trusted_authserv_ids"] == []
    ok(db, "settings", "set", "my_addresses", "")
    assert json.loads(ok(db, "settings", "show", "--json"))["my_addresses"] == []
