"""What is new in a reply: the text above the quoted history and the helpdesk's marks.

Pure. An email reply carries everything said before it ("On Mon, 30 Nov, Support
wrote:", "-----Original Message-----", lines starting with ">", "在 2026年11月30日
写道："), and a helpdesk's notification begins with its own mark ("##- Please type
your reply above this line -##"). `split_reply` cuts a text into what this message
says and the history it quotes, losing no character: `lead + new + quoted` is the
text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HELPDESK_MARK = re.compile(
    r"^[ \t>]*(?:"
    r"#{1,3}-? ?please (?:type|write|enter) your reply above this line ?-?#{1,3}"
    r"|-{2,} ?(?:please )?(?:reply|respond|type your reply) above this line ?-{2,}"
    r"|_{2,} ?reply above this line ?_{2,}"
    r"|#{1,3}-? ?请在此行(?:以)?上方回复 ?-?#{1,3}"
    r"|-{2,} ?请在此行(?:以)?上方回复 ?-{2,}"
    r")[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
"""A line a helpdesk writes so that a reply typed above it can be told from its history."""

_HISTORY_START = re.compile(
    r"^[ \t]*(?:"
    r"on\b[^\n]{0,200}?(?:\n[^\n]{0,200}?)?\bwrote:[ \t]*"
    r"|-{3,} ?(?:original message|forwarded message|原始邮件|转发的邮件) ?-{3,}"
    r"|_{10,}[ \t]*\n[ \t]*(?:from|发件人)[:：]"
    r"|from:[^\n]*\n[ \t]*(?:sent|date):[^\n]*"
    r"|发件人[:：][^\n]*\n[ \t]*(?:发送时间|时间|日期)[:：][^\n]*"
    r"|在[^\n]{0,120}写道[:：]"
    r"|[^\n]{0,120}于[^\n]{0,60}写道[:：]"
    r")",
    re.IGNORECASE | re.MULTILINE,
)
"""The first line of the history a mail program quotes below a reply."""

_QUOTED_LINE = re.compile(r"^[ \t]*>")


@dataclass(frozen=True)
class Reply:
    """A message's text cut in three: a helpdesk's mark above it, what it says, and the
    history it quotes."""

    lead: str
    new: str
    quoted: str


def split_reply(text: str) -> Reply:
    """Cut `text` where its quoted history begins (`lead + new + quoted == text`).

    A helpdesk mark at the top (support's notification) is itself history: what
    follows is the message. Otherwise the earliest of a mark further down, the line a
    mail program writes above a quote ("On ... wrote:") and a block of ">" lines to the
    end cuts the text. A text that would be left with nothing new is kept whole.
    """
    mark = _HELPDESK_MARK.search(text)
    if mark is not None and not text[: mark.start()].strip():
        # The notification itself: new text follows its mark, history ends it.
        rest = split_reply(text[mark.end() :])
        if not rest.new.strip():
            return Reply("", text, "")
        return Reply(text[: mark.end()] + rest.lead, rest.new, rest.quoted)
    cuts = [_quoted_tail(text)]
    if mark is not None:
        cuts.append(mark.start())
    history = _HISTORY_START.search(text)
    if history is not None and text[: history.start()].strip():
        cuts.append(history.start())
    return _cut(text, min(cuts))


def _quoted_tail(text: str) -> int:
    """Where a trailing block of ">" lines (blank lines between them allowed) begins."""
    lines = text.splitlines(keepends=True)
    start = len(text)
    position = len(text)
    seen_quote = False
    for line in reversed(lines):
        position -= len(line)
        if _QUOTED_LINE.match(line):
            seen_quote = True
            start = position
        elif line.strip():
            break
    return start if seen_quote else len(text)


def _cut(text: str, at: int) -> Reply:
    if not text[:at].strip():
        return Reply("", text, "")
    return Reply("", text[:at], text[at:])
