"""Reading the log form into an `Entry`: every field checked, each problem said beside
its field (recorder.tui.screens.log_contact shows them and saves the entry)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from recorder.domain.dates import OLD_YEAR, check_contact_time, parse_when, zone
from recorder.domain.errors import RecorderError
from recorder.domain.i18n import _
from recorder.domain.vocabulary import IDENTIFIERS, Direction
from recorder.store.attachments import check_source
from recorder.tui.widgets.contact_fields import AUTO_ACK, NEW
from recorder.write.entries import Entry, NewCase, NewPlatform

FIELD_ORDER = ("platform", "new-platform", "title", "when", "attach", "text")
"""The fields that can be in error, top to bottom: the first in error gets the focus."""


@dataclass
class Collected:
    """The form as read: the entry, or the problems that keep it from being one."""

    entry: Entry | None
    problems: dict[str, str] = field(default_factory=dict)
    old_confirmed: datetime | None = None
    """A time before 2000 the user has now been asked about: saving it again confirms it."""


def collect(
    form: Widget,
    *,
    now: datetime,
    local: tzinfo,
    attachments: Sequence[Path],
    old_confirmed: datetime | None,
) -> Collected:
    """Read and check every field of the log form."""

    def value(widget_id: str) -> str:
        return form.query_one(f"#{widget_id}", Input).value.strip()

    def chosen(widget_id: str) -> str:
        return str(form.query_one(f"#{widget_id}", Select).value)

    problems: dict[str, str] = {}
    choose = form.query_one("#platform", Select)
    platform = str(choose.value)
    new_tz: str | None = None
    if choose.is_blank():
        problems["platform"] = _("Choose a platform, or + New platform.")
    elif platform == NEW:
        platform = value("new-platform")
        new_tz = value("new-tz") or "UTC"
        if not platform:
            problems["new-platform"] = _("The new platform needs a name.")
        else:
            try:
                zone(new_tz)
            except RecorderError as exc:
                problems["new-platform"] = str(exc)
    case_value = chosen("case")
    title = value("title")
    if case_value == NEW and not title:
        problems["title"] = _("A new case needs a title: the problem in a few words.")
    moment = None
    try:
        moment = parse_when(value("when"), now=now, local=local)
        check_contact_time(moment, now=now, old_ok=True)
    except RecorderError as exc:
        problems["when"] = str(exc)
    asked = old_confirmed
    unconfirmed = moment is not None and moment.year < OLD_YEAR and moment != old_confirmed
    if unconfirmed and "when" not in problems:
        asked = moment
        problems["when"] = _("Before {year}: if that is right, press ctrl+s again.").format(
            year=OLD_YEAR
        )
    for path in attachments:
        try:
            check_source(path)
        except RecorderError as exc:
            problems["attach"] = str(exc)
    if value("attach"):
        problems["attach"] = _("Press enter to attach the file named here, or clear it.")
    text = form.query_one("#text", TextArea).text
    if not text.strip() and not attachments and not value("reference"):
        problems["text"] = _(
            "A contact needs something to keep: its text, a reference or an attachment."
        )
    if problems or moment is None:
        return Collected(None, problems, asked)
    inbound = chosen("direction") == Direction.inbound.value
    new_case = None
    if case_value == NEW:
        new_case = NewCase(
            platform=platform,
            title=title,
            priority=chosen("priority"),
            identifiers={name: value(name) or None for name in IDENTIFIERS},
        )
    entry = Entry(
        case_id=None if new_case is not None else int(case_value),
        new_case=new_case,
        new_platform=None if new_tz is None else NewPlatform(platform, new_tz),
        channel=chosen("channel"),
        direction=chosen("direction"),
        occurred_at=moment,
        reference=value("reference") or None,
        agent=value("agent") or None,
        address=value("address") or None,
        subject=value("subject") or None,
        text=text,
        auto_ack=AUTO_ACK[chosen("auto-ack")] if inbound else None,
        sender_trusted=inbound and chosen("trust") == "trust",
        me=[value("me")] if value("me") else [],
        follow_up=value("follow-up") or None,
        local=local,
        attach=list(attachments),
        old_ok=moment == old_confirmed,
    )
    return Collected(entry, {}, asked)
