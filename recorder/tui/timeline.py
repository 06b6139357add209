"""What the case view shows of a case: the lines above its timeline, and each
contact's row, cell by cell."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.markup import escape
from rich.text import Text

from recorder.domain.i18n import N_, _, aside, ngettext
from recorder.domain.vocabulary import IDENTIFIER_LABELS, channel_label
from recorder.read.cases import CaseDetail
from recorder.read.contacts import ContactView
from recorder.tui.formatting import STATUS_LABELS, first_line, short_day, short_time
from recorder.tui.widgets.columns import Column

TIMELINE = (
    Column("when", N_("When"), 12),
    Column("dir", "", 1),
    Column("channel", N_("Channel"), 11),
    Column("ref", N_("Ref"), 8, from_width=70),
    Column("due", N_("Answer"), 14),
    Column("agent", N_("Agent"), 8, wide_only=True),
    Column("text", N_("Message"), None),
)


def answer_cell(contact: ContactView, now: datetime, zone: tzinfo) -> Text:
    """For an outbound contact: answered, or by when an answer is due (late stands out)."""
    due = contact.due
    if contact.answered_by == contact.id:
        return Text(_("in session"))  # a conversation support answered in: never late
    if contact.direction != "outbound":
        # Support's promise to come back by a date.
        return Text("" if due is None else _("promise {day}").format(day=short_day(due, zone, now)))
    if contact.answered_by is not None:
        return Text(_("answered"))
    if due is None:
        return Text("-")
    day = short_day(due, zone, now)
    if due <= now:
        return Text(_("late {day}").format(day=day), style="bold red")
    return Text(_("by {day}").format(day=day))


def contact_cells(contact: ContactView, now: datetime, zone: tzinfo) -> dict[str, Text]:
    """A contact's row, cell by cell, as rich Text: nothing in a message can be taken for
    markup, and a message cut by its column ends in "…"."""
    auto = _(" (auto)") if contact.auto_ack else ""
    imported = " ✉" if contact.source == "imported" else ""
    message = Text(overflow="ellipsis", no_wrap=True)
    if contact.distrusted:
        message.append("⚠", style="bold yellow").append(" ")
    if contact.secret_kinds:
        message.append(_("secret"), style="bold red").append(" ")
    if contact.merged_from:
        message.append(_("(from #{case}) ").format(case=contact.merged_from), style="dim")
    if contact.logged_by:
        message.append(f"[{contact.logged_by}] ", style="dim")
    if contact.turns:
        message.append(_("{count} turns: ").format(count=len(contact.turns)), style="dim")
    message.append(first_line(contact.subject or contact.text or _("(no text)"), 200))
    return {
        "when": Text(short_time(contact.occurred_at, zone, now)),
        "dir": Text("⇄" if contact.turns else "→" if contact.direction == "outbound" else "←"),
        "channel": Text(
            channel_label(contact.channel) + imported + auto, overflow="ellipsis", no_wrap=True
        ),
        "ref": Text(contact.reference or "", overflow="ellipsis", no_wrap=True),
        "due": answer_cell(contact, now, zone),
        "agent": Text(contact.agent or "", overflow="ellipsis", no_wrap=True),
        "text": message,
    }


def summary(detail: CaseDetail, now: datetime, zone: tzinfo) -> str:
    """The lines above the timeline: the case, its identifiers, what is due, its rung."""
    ids = "  ".join(
        f"{_(IDENTIFIER_LABELS[key])} {escape(value)}"
        for key, value in detail.identifiers.items()
        if value
    )
    priority = _("  [b]urgent[/b]") if detail.priority == "urgent" else ""
    lines = [
        f"[b]#{detail.id} {escape(detail.title)}[/b]",
        f"{escape(detail.platform)} · {_(STATUS_LABELS[detail.status])}{priority} · "
        + ngettext("{count} contact", "{count} contacts", len(detail.contacts)).format(
            count=len(detail.contacts)
        ),
        ids or _("No identifiers"),
    ]
    if detail.merged_into is not None:
        lines.append(
            _("[b]Merged into #{case}[/b]: its contacts are there now").format(
                case=detail.merged_into
            )
        )
    if detail.merged_cases:
        merged = ", ".join(f"#{i}" for i in detail.merged_cases)
        lines.append(
            _("Merged into this case: {cases} (their contacts are marked)").format(cases=merged)
        )
    raised = detail.warnings()
    for flag in raised[:2]:
        lines.append(f"[b $warning]⚑[/] {escape(flag.message(zone, now))}")
    if len(raised) > 2:
        lines.append(
            "[b $warning]⚑[/] "
            + ngettext(
                "and {count} more possible duplicate",
                "and {count} more possible duplicates",
                len(raised) - 2,
            ).format(count=len(raised) - 2)
        )
    rung = detail.escalation
    if rung is not None:
        dates = [
            _("Escalation: {rung} since {since}").format(
                rung=_(rung.rung), since=short_time(rung.since, zone, now)
            )
        ]
        if rung.earliest is not None:
            dates.append(
                _("{next} from {day}").format(
                    next=escape(_(rung.next)), day=short_time(rung.earliest, zone, now)
                )
            )
        if rung.latest is not None:
            dates.append(_("[b]last day {day}[/b]").format(day=short_time(rung.latest, zone, now)))
        lines.append(_("; ").join(dates))
    step = detail.next_step(now)
    if detail.next_follow_up_at is not None and step is not None:
        late = detail.next_follow_up_at <= now
        when = short_time(detail.next_follow_up_at, zone, now)
        head = (_("[b red]Overdue since {day}[/]") if late else _("Follow up {day}")).format(
            day=when
        )
        waits_on = detail.waits_on
        said = waits_on.due_label() if waits_on else ""
        basis = " " + aside(escape(said)) if said else ""
        lines.append(_("{head}{basis}: {step}").format(head=head, basis=basis, step=escape(step)))
    return "\n".join(lines)
