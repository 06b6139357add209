"""The transcript splitter: the shapes people paste, and never a character lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recorder.domain.transcripts import (
    Speaker,
    answered_in_session,
    describe_turns,
    split_transcript,
)

SHAPES = {
    "bracket": "[{at}] {name}: {text}",
    "paren": "{name} ({at}): {text}",
    "leading": "{at} {name}: {text}",
    "plain": "{name}: {text}",
}


@pytest.mark.parametrize(
    ("transcript", "expected"),
    [
        (
            "[10:32] Anna: Hello, how can I help?\n[10:33] You: My withdrawal is pending\n",
            [("agent", "Anna", "10:32"), ("me", "You", "10:33")],
        ),
        (
            "Anna (10:32 AM): Hi\nMe (10:33 AM): pending\n",
            [("agent", "Anna", "10:32 AM"), ("me", "Me", "10:33 AM")],
        ),
        (
            "10:32:15 Anna Lee: hi\n10:33:00 Bob: it is pending\n",
            [("agent", "Anna Lee", "10:32:15"), ("me", "Bob", "10:33:00")],
        ),
        ("客服：您好\n我：我的充值没到账\n", [("agent", "客服", None), ("me", "我", None)]),
        ("客服: 您好\n我: 没到账\n", [("agent", "客服", None), ("me", "我", None)]),
    ],
)
def test_the_shapes_people_paste(transcript: str, expected: list[tuple[str, str, str]]) -> None:
    turns = split_transcript(transcript, me=["Bob"])
    assert turns is not None
    assert [(t.speaker.value, t.name, t.at) for t in turns] == expected


def test_lines_that_start_no_turn_continue_the_one_before() -> None:
    turns = split_transcript("You: my withdrawal\nis pending\n\nsince Friday\nAnna: checking")
    assert turns is not None
    assert turns[0].text == "my withdrawal\nis pending\n\nsince Friday"


@pytest.mark.parametrize(
    "text",
    [
        "My withdrawal is pending since Friday.",
        "Dear support,\nYou: are slow",  # text before the first turn
        "You: hello\nMe: anyone?",  # only the user speaks
        "Note: called at 10:00",  # one turn
    ],
)
def test_what_is_not_a_transcript_is_kept_whole(text: str) -> None:
    assert split_transcript(text) is None


def test_answered_in_session_means_support_spoke_after_the_users_last_turn() -> None:
    def turns(*speakers: str) -> list[dict[str, str]]:
        return [{"speaker": s, "text": "x", "name": s} for s in speakers]

    assert answered_in_session(turns("me", "agent"))
    assert answered_in_session(turns("agent", "me", "agent", "agent"))
    assert not answered_in_session(turns("agent", "me"))
    assert not answered_in_session(turns("me", "agent", "me"))


def test_turns_are_described_saying_who_spoke() -> None:
    turns = split_transcript("[10:32] Anna: Hi\n[10:33] You: pending\nsince Friday")
    assert turns is not None
    assert describe_turns([t.to_json() for t in turns]) == (
        "10:32  Anna (support): Hi\n10:33  You (you): pending\n       since Friday"
    )


_WORDS = st.text(
    alphabet=st.sampled_from([*"abcdefghij klmnop.,!?'-", "充", "值", "到", "账"]),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() and s == s.strip())
_TURN = st.tuples(
    st.sampled_from([("me", "You"), ("me", "我"), ("agent", "Anna"), ("agent", "Support Bot")]),
    st.sampled_from(["10:32", "9:05 AM", "23:59:01"]),
    st.lists(_WORDS, min_size=1, max_size=3),
)


@given(st.lists(_TURN, min_size=2, max_size=8), st.sampled_from(sorted(SHAPES)))
def test_a_rendered_conversation_splits_back_into_its_turns(
    turns: list[tuple[tuple[str, str], str, list[str]]], shape: str
) -> None:
    if len({speaker for (speaker, _), _, _ in turns}) < 2:
        return  # one side only: not a conversation (tested above)
    text = "\n".join(
        SHAPES[shape].format(at=at, name=name, text="\n".join(lines))
        for (_, name), at, lines in turns
    )
    split = split_transcript(text)
    assert split is not None
    assert [(t.speaker.value, t.name, t.text) for t in split] == [
        (speaker, name, "\n".join(lines)) for (speaker, name), _, lines in turns
    ]
    assert "".join(t.raw for t in split) == text


@given(st.text(max_size=400))
def test_splitting_never_loses_a_character(text: str) -> None:
    turns = split_transcript(text)
    if turns is not None:
        assert "".join(t.raw for t in turns) == text
        assert {t.speaker for t in turns} == {Speaker.me, Speaker.agent}


@given(
    st.lists(
        st.tuples(st.sampled_from(["You", "Anna", "客服", "我", "Agent Max"]), _WORDS),
        min_size=1,
        max_size=10,
    ),
    st.text(alphabet=" \n\t", max_size=4),
)
def test_never_loses_a_character_of_a_conversation_with_blank_lines(
    turns: list[tuple[str, str]], lead: str
) -> None:
    text = lead + "\n".join(f"{name}: {said}" for name, said in turns)
    split = split_transcript(text)
    if split is not None:
        assert "".join(t.raw for t in split) == text
