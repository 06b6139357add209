"""The files of a bag against what recorder writes: nothing more in it than an export
puts there, and every attachment the records name, whole (for `recorder verify`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recorder.domain.i18n import _
from recorder.export.bag import READABLE, TAG_FILES, attachment_path
from recorder.export.staging import Staged


def layout_problems(root: Path, staged: Staged) -> list[str]:
    """Only what recorder writes, even where the manifests were made to list more: what
    else the bag holds."""
    problems: list[str] = []
    for path in sorted(root.iterdir()):
        if path.name != "data" and path.name not in TAG_FILES:
            problems.append(
                _("{name}: not part of a recorder bag (added after export)").format(name=path.name)
            )
    data = root / "data"
    if not data.is_dir():
        return problems
    payload = {"records.json", "audit.jsonl", "attachments", "emails", "timestamps", *READABLE}
    for path in sorted(data.iterdir()):
        if path.name not in payload:
            problems.append(_("data/{name}: not a file recorder exports").format(name=path.name))
    expected = {
        attachment_path(str(a["sha256"]), str(a.get("name", "")), str(a.get("media_type", "")))
        for a in staged.each("attachments")
        if "sha256" in a
    }
    for folder in ("attachments", "emails"):
        if not (data / folder).is_dir():
            continue
        for path in sorted((data / folder).rglob("*")):
            relative = path.relative_to(data).as_posix()
            if relative not in expected:
                problems.append(
                    _("data/{relative}: not an attachment of any exported contact").format(
                        relative=relative
                    )
                )
    return problems


def attachment_problems(
    document: dict[str, Any], staged: Staged, found: dict[str, str], notes: list[str]
) -> list[str]:
    """What is wrong with the bag's attachment files against their records (`found`:
    each file's SHA-256); what redaction withheld goes into `notes`."""
    problems: list[str] = []
    withheld = set(document.get("withheld") or [])
    if withheld and not document.get("redacted"):
        problems.append(_("data/records.json: lists withheld files, but says nothing was redacted"))
    elif withheld:
        notes.append(
            _(
                "{count} emails were withheld by redaction: records.json keeps the "
                "SHA-256 of each, so the one who made the bag can still produce them"
            ).format(count=len(withheld))
        )
    for attachment in staged.each("attachments"):
        if "sha256" not in attachment:
            continue
        if attachment.get("id") in withheld:
            continue
        where = "data/" + attachment_path(
            attachment["sha256"],
            str(attachment.get("name", "")),
            str(attachment.get("media_type", "")),
        )
        whose = _("attachment #{id} of contact #{contact}").format(
            id=attachment.get("id"), contact=attachment.get("contact_id")
        )
        name = f"{where} ({whose})"
        if where not in found:
            problems.append(_("{name}: missing").format(name=name))
        elif found[where] != attachment["sha256"]:
            problems.append(_("{name}: its SHA-256 is not the recorded one").format(name=name))
    return problems
