"""A reply pasted from support's mail takes the ticket number its helpdesk wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import ok


@pytest.mark.parametrize(
    ("subject", "text", "reference"),
    [
        ("[#48151] Re: Withdrawal pending", "We are looking into it.", "48151"),
        ("Re: withdrawal [Ticket#20261201000123]", "Please wait.", "20261201000123"),
        ("Re: withdrawal", "Your request (7001234) has been received.", "7001234"),
    ],
)
def test_support_s_reply_gives_its_contact_the_ticket_number(
    tmp_path: Path, subject: str, text: str, reference: str
) -> None:
    db = tmp_path / "store.sqlite3"
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Withdrawal").strip()
    ok(db, "log", "--case", case, "--channel", "email", "--direction", "in",
       "--address", "support@gemini.com", "--subject", subject, "--text", text)  # fmt: skip
    shown = json.loads(ok(db, "show", case, "--json"))
    assert shown["contacts"][-1]["reference"] == reference
