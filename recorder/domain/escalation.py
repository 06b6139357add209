"""Escalation ladders: which rung a case is on, and when it may or must go to the next.

The ladders are data (escalation.toml), by jurisdiction, each rung with its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from recorder.domain.dates import shown
from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.domain.vocabulary import channel_label
from recorder.domain.windows import Calendar, ContactTimes, expected_by, parse_window


@dataclass(frozen=True)
class Rung:
    """One step of a ladder."""

    channel: str
    title: str
    next: str
    source: str
    answer_within: str | None = None
    final_within: str | None = None
    refer_within_months: int | None = None


@cache
def ladders() -> dict[str, tuple[str, tuple[Rung, ...]]]:
    """Every jurisdiction's name and rungs."""
    import tomllib
    from importlib import resources

    text = resources.files("recorder.domain").joinpath("escalation.toml").read_text("utf-8")
    out: dict[str, tuple[str, tuple[Rung, ...]]] = {}
    for key, ladder in tomllib.loads(text).items():
        rungs = tuple(
            Rung(**{k: v for k, v in rung.items() if k in Rung.__dataclass_fields__})
            for rung in ladder["rungs"]
        )
        out[key] = (ladder["name"], rungs)
    return out


def rule_window(jurisdiction: str | None, channel: str) -> tuple[str, str] | None:
    """The time the jurisdiction's rules give a firm to answer a contact on this
    channel (a complaint, a regulator's case), with the rule's source; None if none."""
    if jurisdiction is None or jurisdiction not in ladders():
        return None
    for rung in ladders()[jurisdiction][1]:
        if rung.channel == channel and rung.answer_within:
            return rung.answer_within, rung.source
    return None


def check_jurisdiction(value: str | None) -> str | None:
    """A known jurisdiction key, upper-cased; refuse others."""
    if value is None or not value.strip():
        return None
    key = value.strip().upper()
    if key not in ladders():
        known = ", ".join(sorted(ladders()))
        raise InputError(
            _("unknown jurisdiction {value!r}; expected one of: {known}").format(
                value=value, known=known
            )
        )
    return key


@dataclass(frozen=True)
class Escalation:
    """Where a case stands on its ladder.

    Attributes:
        rung: the step it is on.
        since: when that step was taken.
        earliest: from when it may go to the next step (the firm's time to answer is
            up, or it gave its final answer), if a rule gives one.
        latest: by when it must go to the next step, if a rule gives one.
        next: what the next step is.
        source: the rule behind the dates.
    """

    rung: str
    since: datetime
    earliest: datetime | None
    latest: datetime | None
    next: str
    source: str

    def to_json(self) -> dict[str, Any]:
        """The `escalation` object of `recorder show --json`."""
        return {
            "rung": self.rung,
            "since": self.since.isoformat(),
            "earliest": None if self.earliest is None else self.earliest.isoformat(),
            "latest": None if self.latest is None else self.latest.isoformat(),
            "next": self.next,
            "source": self.source,
        }


def escalation(
    jurisdiction: str | None,
    contacts: Sequence[tuple[str, ContactTimes]],
    calendar: Calendar,
) -> Escalation | None:
    """The rung a case is on, from its contacts as (channel, times) pairs."""
    if jurisdiction is None or jurisdiction not in ladders():
        return None
    _name, rungs = ladders()[jurisdiction]
    current: tuple[Rung, datetime] | None = None
    for rung in rungs:
        started = [c.occurred_at for channel, c in contacts if channel == rung.channel]
        if started:
            current = (rung, min(started))
    if current is None:
        return None
    rung, since = current
    answer = min(
        (c.occurred_at for _, c in contacts if c.is_answer and c.occurred_at > since),
        default=None,
    )
    earliest = (
        expected_by(since, parse_window(rung.answer_within), calendar)
        if rung.answer_within
        else None
    )
    if answer is not None and (earliest is None or answer < earliest):
        earliest = answer
    latest = None
    if rung.final_within:
        latest = expected_by(since, parse_window(rung.final_within), calendar)
    if rung.refer_within_months and answer is not None:
        from dateutil.relativedelta import relativedelta

        latest = answer + relativedelta(months=rung.refer_within_months)
    return Escalation(rung.title, since, earliest, latest, rung.next, rung.source)


def next_step(
    *,
    channel: str | None,
    reference: str | None,
    unanswered: int,
    overdue: bool,
    rung: Escalation | None,
    now: datetime,
    promised: bool = False,
) -> str:
    """What the user should do next about a case that waits on support.

    The clock is the latest message's own (`overdue`): while it runs, wait, whatever
    earlier messages went unanswered. Then follow up on the same ticket, never open a
    second one; after follow-ups have gone unanswered, complain; after a complaint, the
    ladder says what is next. `promised`: the wait is for an answer support promised.
    """
    if reference:
        ticket = _("ticket {reference}").format(reference=reference)
    else:
        ticket = _("the same {channel}").format(
            channel=channel_label(channel) if channel else _("thread")
        )
    if rung is not None:
        step_next = _(rung.next)
        if rung.earliest is not None and rung.earliest <= now:
            step = _("You may now take it to {next}").format(next=step_next)
        elif rung.earliest is not None:
            step = _(
                "Wait for the answer to your complaint; from {day} you may take it to {next}"
            ).format(day=shown(rung.earliest, "date"), next=step_next)
        else:
            step = _("If the complaint is not resolved, take it to {next}").format(next=step_next)
        if rung.latest is not None:
            step += _(" (by {day} at the latest)").format(day=shown(rung.latest, "date"))
        return step
    if not overdue:
        if promised:
            return _("Wait: support promised an answer; add to {ticket} if you must write").format(
                ticket=ticket
            )
        return _(
            "Wait: {ticket} is inside its promised window; add to it rather than opening a new one"
        ).format(ticket=ticket)
    if promised:
        return _(
            "Support's promised answer is late: follow up on {ticket}, quoting its promise"
        ).format(ticket=ticket)
    if unanswered <= 1:
        return _("Follow up on {ticket}; do not open a new ticket").format(ticket=ticket)
    return _("{count} messages unanswered: file a formal complaint, quoting {ticket}").format(
        count=unanswered, ticket=ticket
    )
