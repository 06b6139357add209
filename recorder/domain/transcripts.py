"""Chat transcripts as conversations: who said what, and when, turn by turn.

Pure: splits a pasted or typed transcript into turns for the shapes people have:

    [10:32] Name: text          Name (10:32 AM): text          10:32:15 Name: text
    You: text / Me: text / Agent Name: text                    客服：text / 我：text

Lines that start no turn continue the one before. The user's own turns are those of
"You", "Me", "我" (and the like) or of the name they chose for themselves; every other
speaker is support. A transcript that cannot be split (text before the first turn, or
fewer than two speakers' turns) gives None: it is kept whole, and the user says who
wrote it. Splitting never loses a character: the turns' `raw` parts, joined, are the
transcript exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from recorder.domain.i18n import _


class Speaker(StrEnum):
    """Who said a turn."""

    me = "me"
    agent = "agent"


ME_NAMES = frozenset({"you", "me", "i", "myself", "customer", "user", "我", "本人", "用户", "客户"})
"""Names a transcript gives the user."""

_NAME = r"[^\W\d_][\w .'\u2019-]{0,38}?|客服|我"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
_COLON = r"\s*[:：]"


@lru_cache(maxsize=1)
def _header() -> re.Pattern[str]:
    shapes = (
        rf"\[(?P<t1>{_TIME})\]\s*(?P<n1>{_NAME}){_COLON}",  # [10:32] Name:
        rf"(?P<n2>{_NAME})\s*\((?P<t2>{_TIME})\){_COLON}",  # Name (10:32 AM):
        rf"(?P<t3>{_TIME})\s+(?P<n3>{_NAME}){_COLON}",  # 10:32:15 Name:
        rf"(?P<n4>{_NAME}){_COLON}",  # Name:
    )
    return re.compile(r"^[ \t]*(?:" + "|".join(f"(?:{s})" for s in shapes) + r")[ \t]?")


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of a conversation."""

    speaker: Speaker
    name: str
    """The name the transcript gives the speaker ("Anna", "客服", "You")."""
    at: str | None
    """The time of day as the transcript wrote it ("10:32 AM"), if it did."""
    text: str
    raw: str = ""
    """The turn's lines exactly as in the transcript, header included."""

    def to_json(self) -> dict[str, Any]:
        """The form a contact keeps its turns in."""
        return {"speaker": self.speaker.value, "name": self.name, "at": self.at, "text": self.text}


def _is_me(name: str, me: Iterable[str]) -> bool:
    folded = name.strip().casefold()
    return folded in ME_NAMES or folded in {m.strip().casefold() for m in me if m.strip()}


def split_transcript(text: str, *, me: Iterable[str] = ()) -> list[Turn] | None:
    """The turns of a transcript, or None when it does not read as one.

    `me`: the names the user goes by in it, besides "You", "Me" and "我".
    """
    header = _header()
    mine = tuple(me)
    lead: list[str] = []  # blank lines before the first turn: kept with it
    pieces: list[tuple[str, str | None, list[str]]] = []  # name, time, raw lines
    for line in text.splitlines(keepends=True):
        found = header.match(line)
        name = None
        if found is not None:
            groups = found.groupdict()
            name = next(groups[k] for k in ("n1", "n2", "n3", "n4") if groups[k]).strip()
        if found is not None and name and len(name.split()) <= 4:
            at = next((groups[k] for k in ("t1", "t2", "t3") if groups[k]), None)
            pieces.append((name, at, [line]))
        elif pieces:
            pieces[-1][2].append(line)
        elif line.strip():
            return None  # text before the first turn: not a transcript
        else:
            lead.append(line)
    if len(pieces) < 2:
        return None
    turns = []
    for n, (name, at, lines) in enumerate(pieces):
        raw = "".join(lead if n == 0 else []) + "".join(lines)
        body = header.sub("", lines[0], count=1) + "".join(lines[1:])
        speaker = Speaker.me if _is_me(name, mine) else Speaker.agent
        turns.append(Turn(speaker, name, at, body.strip(), raw))
    if len({t.speaker for t in turns}) < 2:
        return None
    return turns


CONVERSATION_CHANNELS = frozenset({"chat", "phone", "social"})
"""Channels whose text may be a conversation of turns rather than one message."""


def conversation_turns(channel: str, text: str, me: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The turns (as kept) of a chat, call or social thread whose text reads as a
    transcript; nothing for one message, which is kept whole (its direction says who
    wrote it)."""
    if str(channel) not in CONVERSATION_CHANNELS or not text.strip():
        return []
    turns = split_transcript(text, me=me)
    return [] if turns is None else [t.to_json() for t in turns]


def answered_in_session(turns: list[dict[str, Any]]) -> bool:
    """Whether support answered the user in the conversation itself: an agent's turn
    came after the user's last one (or the user never spoke)."""
    last_mine = max(
        (i for i, t in enumerate(turns) if t.get("speaker") == Speaker.me.value), default=-1
    )
    return any(t.get("speaker") == Speaker.agent.value for t in turns[last_mine + 1 :])


def agent_text(turns: list[dict[str, Any]]) -> str:
    """What support said in the conversation, turn after turn."""
    return "\n".join(t.get("text", "") for t in turns if t.get("speaker") == Speaker.agent.value)


def describe_turns(turns: list[dict[str, Any]]) -> str:
    """A conversation as plain lines, each turn saying who spoke (you or support):

    10:32  Anna (support): Hello, how can I help?
    10:33  You (you): My withdrawal is pending
           since Friday.
    """
    lines = []
    for turn in turns:
        who = _("you") if turn.get("speaker") == Speaker.me.value else _("support")
        at = turn.get("at")
        head = f"{at}  " if at else ""
        first, *rest = (turn.get("text") or "").splitlines() or [""]
        lines.append(f"{head}{turn.get('name')} ({who}): {first}")
        lines += [" " * len(head) + line for line in rest]
    return "\n".join(lines)


def summary(turns: list[dict[str, Any]]) -> str:
    """One line about a conversation: its turns, and whether support answered in it."""
    answered = _("support answered in it") if answered_in_session(turns) else _("you spoke last")
    return _("a conversation of {count} turns; {answered}").format(
        count=len(turns), answered=answered
    )
