"""The human-readable forms of an export: timeline.html, timeline.md and contacts.csv.

All three are made from the same exported records (after redaction, when asked), so
they say the same thing: each case in the order it was opened, each contact with its
channel, direction, time (in the exporter's zone, named once at the top), reference,
agent, address, text, who logged it (in a store several people keep), when an answer
was due and whether it came in time, the case's escalation rung, its duplicate flags,
and each attachment by name and SHA-256.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from recorder.domain.dates import wall_time
from recorder.domain.due_words import describe_basis
from recorder.domain.i18n import N_, _, aside, speaking
from recorder.domain.transcripts import describe_turns, summary
from recorder.domain.vocabulary import IDENTIFIER_LABELS, channel_label, status_label
from recorder.export.evidence import Evidence
from recorder.export.stories import CaseStory, ContactLine, stories, when_local

TITLE = N_("Support history: evidence export")


def shown_text(contact: dict[str, Any]) -> str:
    """A contact's text as the timeline shows it: a conversation turn by turn, saying
    who spoke (records.json keeps the text exactly as given, and the turns)."""
    turns = contact.get("turns") or []
    return describe_turns(turns) if turns else str(contact["text"])


FLAG_WORDS = {
    "same_reference": N_("same reference as"),
    "same_identifier": N_("same TxID or order number as"),
    "same_message": N_("same message as in"),
    "still_waiting": N_("sent while an earlier message was inside its window, in"),
    "similar_case": N_("reads like"),
    "second_ticket": N_("a new ticket number while the first was unanswered, in"),
}


def flag_line(flag: dict[str, Any]) -> str:
    """A duplicate flag in words."""
    what = _(FLAG_WORDS.get(flag["kind"], flag["kind"]))
    on = _("contact #{id}").format(id=flag["contact_id"]) if flag["contact_id"] else _("the case")
    matched = " " + aside(flag["matched"]) if flag["matched"] else ""
    return _("{on}: {what} case #{case}{matched}; {status}").format(
        on=on,
        what=what,
        case=flag["earlier_case_id"],
        matched=matched,
        status=status_label(flag["status"]),
    )


def _header_facts(story: CaseStory, zone: ZoneInfo) -> list[tuple[str, str]]:
    case = story.case
    facts = [
        (_("Platform"), story.platform["name"]),
        (_("Status"), status_label(case["status"]).replace("_", " ")),
        (_("Priority"), case["priority"]),
        (_("Opened"), when_local(datetime.fromisoformat(case["created_at"]), zone)),
    ]
    facts += [(_(label), case[key]) for key, label in IDENTIFIER_LABELS.items() if case.get(key)]
    if case.get("merged_into_id"):
        facts.append((_("Merged into"), _("case #{id}").format(id=case["merged_into_id"])))
    if story.rung is not None:
        since = when_local(story.rung.since, zone)
        facts.append(
            (_("Escalation"), _("{rung} since {day}").format(rung=_(story.rung.rung), day=since))
        )
    return facts


def _contact_facts(line: ContactLine, zone: ZoneInfo, now: datetime) -> list[tuple[str, str]]:
    if line.facts is None:
        line.facts = _make_contact_facts(line, zone, now)
    return line.facts


def _make_contact_facts(line: ContactLine, zone: ZoneInfo, now: datetime) -> list[tuple[str, str]]:
    c = line.record
    facts = [
        (_("Time"), when_local(datetime.fromisoformat(c["occurred_at"]), zone)),
        (_("Channel"), channel_label(c["channel"]).replace("_", " ")),
        (_("Direction"), _("sent by me") if c["direction"] == "outbound" else _("from support")),
    ]
    for key, label in (
        ("reference", N_("Reference")),
        ("agent", N_("Agent")),
        ("address", N_("Address")),
        ("subject", N_("Subject")),
    ):
        if c.get(key):
            facts.append((_(label), c[key]))
    if line.logged_by:
        facts.append((_("Logged by"), line.logged_by))
    distrusted = bool(c.get("sender_findings")) and not c.get("sender_trusted")
    if c["direction"] != "outbound" and distrusted:
        facts[2] = (_("Direction"), _("received, not from the platform's official domains"))
        reasons = "; ".join(f["message"] for f in c["sender_findings"])
        said = _("not trusted: {reasons}; it answers nothing").format(reasons=reasons)
        facts.append((_("Sender"), said))
    elif c.get("sender_findings"):
        reasons = "; ".join(f["message"] for f in c["sender_findings"])
        facts.append((_("Sender"), _("trusted by me, although {reasons}").format(reasons=reasons)))
    if c["auto_ack"]:
        why = c.get("auto_ack_reason")
        note = (
            _("automatic acknowledgement ({reason})").format(reason=why)
            if why
            else _("automatic acknowledgement")
        )
        facts.append((_("Note"), note))
    turns = c.get("turns") or []
    if turns:
        facts[2] = (_("Direction"), summary(turns))
    basis = describe_basis(
        c.get("due_basis"), c.get("due_window"), user_set=c.get("follow_up_at") is not None
    )
    if line.due is not None and c.get("due_basis") == "promise":
        by = when_local(line.due, zone)
        facts.append((_("Promised"), _("{basis}: by {day}").format(basis=basis, day=by)))
    elif line.due is not None and (c["direction"] == "outbound" or turns):
        by = when_local(line.due, zone) + (" " + aside(basis) if basis else "")
        facts.append((_("Expected by"), by))
    if line.met(now, zone):
        facts.append((_("Answer"), line.met(now, zone)))
    if c.get("merged_from_id"):
        facts.append((_("Moved from"), _("case #{id}").format(id=c["merged_from_id"])))
    return facts


CSS = """
body { font-family: "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
       max-width: 60em; margin: 1em auto; padding: 0 1em; color: #111; line-height: 1.4; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; border-bottom: 2px solid #333; margin-top: 2em; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; }
table.facts { border-collapse: collapse; margin: 0.3em 0; }
table.facts th { text-align: left; padding: 0 1em 0 0; color: #444; font-weight: 600;
                 vertical-align: top; white-space: nowrap; }
table.facts td { padding: 0; }
pre.text { white-space: pre-wrap; word-wrap: break-word; font-family: inherit;
           background: #f6f6f6; border-left: 3px solid #999; padding: 0.5em; margin: 0.3em 0; }
.contact { page-break-inside: avoid; break-inside: avoid; }
.outbound h3::before { content: "→ "; } .inbound h3::before { content: "← "; }
.flags li, .files li { margin: 0.1em 0; } code { font-size: 0.85em; word-break: break-all; }
.shot { max-width: 100%; max-height: 32em; margin: 0.3em 0; border: 1px solid #ccc; }
@media print { body { max-width: none; margin: 0; font-size: 10pt; }
               h2 { page-break-before: always; break-before: page; }
               h2:first-of-type { page-break-before: avoid; break-before: avoid; } }
"""


def _facts_html(facts: list[tuple[str, str]]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in facts
    )
    return f'<table class="facts">{rows}</table>'


class Page:
    """A readable file made a case at a time: its beginning, each case's story, its
    end. Several pages share one pass over the stories (`render`)."""

    def __init__(self, evidence: Evidence, version: str) -> None:
        self.evidence, self.version = evidence, version
        self.now, self.zone = evidence.generated_at, ZoneInfo(evidence.time_zone)

    def head(self) -> str:
        """The text before the first case."""
        raise NotImplementedError

    def story(self, story: CaseStory) -> str:
        """The text of one case."""
        raise NotImplementedError

    def tail(self) -> str:
        """The text after the last case."""
        return ""


def render(evidence: Evidence, pages: Mapping[str, Page]) -> Iterator[tuple[str, str]]:
    """Each page's text as (name, piece), piece by piece, in one pass over the stories,
    in the language the export was made in (records.json says which), whoever makes
    them again: each piece is made while speaking it, and nothing leaks to the reader
    of the pieces between them."""
    pieces = _render(evidence, pages)
    while True:
        with speaking(evidence.language):
            piece = next(pieces, None)
        if piece is None:
            return
        yield piece


def _render(evidence: Evidence, pages: Mapping[str, Page]) -> Iterator[tuple[str, str]]:
    for name, page in pages.items():
        yield name, page.head()
    for story in stories(evidence):
        for name, page in pages.items():
            yield name, page.story(story)
    for name, page in pages.items():
        yield name, page.tail()


def pieces(page: Page) -> Iterator[str]:
    """One page's text, piece by piece."""
    return (piece for _, piece in render(page.evidence, {"page": page}))


def _lines(lines: Iterable[str]) -> str:
    """Lines that follow others: each after a line break."""
    return "".join("\n" + line for line in lines)


class HtmlPage(Page):
    """timeline.html: one self-contained, printable page: no scripts, no network, UTF-8.
    With `link` (where an attachment lies beside the page, in a bag), each attachment
    is linked and each image shown; a file withheld by redaction says so."""

    def __init__(
        self,
        evidence: Evidence,
        version: str,
        link: Callable[[dict[str, Any]], str] | None = None,
    ) -> None:
        super().__init__(evidence, version)
        self.link = link
        self.withheld = set(evidence.withheld)

    def head(self) -> str:
        return "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{self.evidence.language.replace("_", "-")}"><head>'
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{html.escape(_(TITLE))}</title>",
                f"<style>{CSS}</style></head><body>",
                f"<h1>{html.escape(_(TITLE))}</h1>",
                _facts_html(_export_facts(self.evidence, self.version)),
            ]
        )

    def story(self, story: CaseStory) -> str:
        out: list[str] = []
        case = story.case
        heading = _("Case #{id}: {title}").format(id=case["id"], title=case["title"])
        out.append(f'<section class="case" id="case-{case["id"]}"><h2>{html.escape(heading)}</h2>')
        out.append(_facts_html(_header_facts(story, self.zone)))
        if story.flags:
            out.append(f'<p>{html.escape(_("Duplicate flags:"))}</p><ul class="flags">')
            out += [f"<li>{html.escape(flag_line(f))}</li>" for f in story.flags]
            out.append("</ul>")
        for line in story.contacts:
            c = line.record
            out.append(
                f'<div class="contact {c["direction"]}" id="contact-{c["id"]}">'
                f"<h3>{html.escape(_('Contact #{id}').format(id=c['id']))}</h3>"
            )
            out.append(_facts_html(_contact_facts(line, self.zone, self.now)))
            if c["text"]:
                out.append(f'<pre class="text">{html.escape(shown_text(c))}</pre>')
            if line.attachments:
                out.append('<ul class="files">')
                out += [_file_html(a, self.link, self.withheld) for a in line.attachments]
                out.append("</ul>")
            out.append("</div>")
        out.append("</section>")
        return _lines(out)

    def tail(self) -> str:
        return "\n</body></html>\n"


IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
"""The attachments the page shows inline (every browser draws them)."""


def _file_html(
    attachment: dict[str, Any], link: Callable[[dict[str, Any]], str] | None, withheld: set[int]
) -> str:
    name = html.escape(attachment["name"])
    size = _("{size} bytes").format(size=attachment["size"])
    said = (
        f" ({html.escape(size)}, {html.escape(attachment['media_type'])})"
        f" SHA-256 <code>{attachment['sha256']}</code>"
    )
    if link is None:
        return f"<li>{name}{said}</li>"
    if attachment["id"] in withheld:
        withheld_here = html.escape(_("withheld from this copy by redaction"))
        return f"<li>{name}{said}: {withheld_here}</li>"
    href = html.escape(quote(link(attachment)))
    image = (
        f'<br><img src="{href}" alt="{name}" class="shot">'
        if attachment["media_type"] in IMAGES
        else ""
    )
    return f'<li><a href="{href}">{name}</a>{said}{image}</li>'


def times_stated(now: datetime, zone: ZoneInfo) -> str:
    """The one place the readable files name their time zone."""
    here = now.astimezone(zone)
    offset = here.strftime("%z")
    if offset == "+0000" and here.tzname() == "UTC":
        return _("in UTC, the exporter's time zone")
    return _(
        "in {zone} ({abbreviation}, UTC{offset} when exported), the exporter's time zone; "
        "records.json holds each time in UTC"
    ).format(zone=zone.key, abbreviation=f"{here:%Z}", offset=f"{offset[:3]}:{offset[3:]}")


def _export_facts(evidence: Evidence, version: str) -> list[tuple[str, str]]:
    zone = ZoneInfo(evidence.time_zone)
    facts = [
        (_("Exported"), wall_time(evidence.generated_at, zone, "%Y-%m-%d %H:%M:%S")),
        (_("Times"), times_stated(evidence.generated_at, zone)),
        (_("By"), f"recorder {version}"),
        (_("What"), evidence.filters.describe()),
        (_("Cases"), str(evidence.count("cases"))),
        (_("Contacts"), str(evidence.count("contacts"))),
        (_("Attachments"), str(evidence.count("attachments"))),
        (_("Audit head"), evidence.head),
    ]
    if evidence.redacted:
        facts.append((_("Redacted"), _(", ").join(_(r) for r in evidence.redacted)))
    return facts


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]<>()#+!|"})


def _md(text: str) -> str:
    """Inline Markdown text with its special characters escaped."""
    return str(text).translate(_MD_SPECIAL)


def _fence(text: str) -> str:
    """A fenced block that no run of backticks in the text can close early."""
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}text\n{text}\n{ticks}"


class MarkdownPage(Page):
    """timeline.md: the same content as the HTML page, in Markdown."""

    def head(self) -> str:
        facts = [f"- **{k}:** {_md(v)}" for k, v in _export_facts(self.evidence, self.version)]
        return "\n".join([f"# {_(TITLE)}", "", *facts])

    def story(self, story: CaseStory) -> str:
        out: list[str] = []
        case = story.case
        out += [
            "",
            "## " + _("Case #{id}: {title}").format(id=case["id"], title=_md(case["title"])),
            "",
        ]
        out += [f"- **{k}:** {_md(v)}" for k, v in _header_facts(story, self.zone)]
        if story.flags:
            out += ["", _("Duplicate flags:"), ""]
            out += [f"- {_md(flag_line(f))}" for f in story.flags]
        for line in story.contacts:
            c = line.record
            arrow = "→" if c["direction"] == "outbound" else "←"
            out += ["", f"### {arrow} " + _("Contact #{id}").format(id=c["id"]), ""]
            out += [f"- **{k}:** {_md(v)}" for k, v in _contact_facts(line, self.zone, self.now)]
            if c["text"]:
                out += ["", _fence(shown_text(c))]
            for a in line.attachments:
                said = _("Attachment: {name} ({size} bytes)").format(
                    name=_md(a["name"]), size=a["size"]
                )
                out.append(f"- {said}, SHA-256 `{a['sha256']}`")
        return _lines(out)

    def tail(self) -> str:
        return "\n"
