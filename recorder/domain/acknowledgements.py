"""Automatic acknowledgements: "we have received your request" is not an answer.

Pure: recognises, from a message's wording, subject and sender, an inbound message
that a helpdesk sends by itself. Such a message answers nothing, so it neither meets
a response window nor moves a case to "waiting on me". The user can always say
otherwise (the write path keeps their word over this guess).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|auto[-_.]?(?:reply|response|mated)"
    r"|mailer[-_.]daemon|notifications?|notify)(?:[-_.+].*)?$"
)
"""The local part of an address that nobody reads."""

_PHRASES = (
    # English
    r"we(?: have|'ve| had) received your (?:request|message|e-?mail|ticket|inquiry|enquiry|query)",
    r"your (?:request|message|ticket|case|inquiry|enquiry)(?: \(?#?[\w-]+\)?)? "
    r"(?:has been|was|is) (?:received|created|submitted|logged|opened)",
    r"this is an? (?:automated|automatic|auto-generated) "
    r"(?:message|response|reply|e-?mail|notification)",
    r"\bauto(?:matic)?[- ]?reply\b",
    r"(?:please )?do not reply (?:directly )?to this (?:e-?mail|message)",
    r"a member of our (?:support |customer support |customer service )?team will "
    r"(?:get back to you|reply|respond|be in touch|contact you)",
    r"we will (?:get back to you|respond|reply) (?:as soon as possible|shortly|soon)",
    r"request received",
    # Chinese
    r"(?:我们)?已(?:经)?收到(?:了)?(?:您|你)的(?:请求|工单|反馈|邮件|问题|咨询|申请)",
    r"自动回复",
    r"(?:此|本)邮件(?:为|由)系统自动发送",
    r"请勿(?:直接)?回复",
    r"您的工单已(?:创建|提交|受理)",
)

LONGEST_ACKNOWLEDGEMENT = 700
"""Characters of new text (quotes cut) beyond which wording alone says nothing: a real
answer may begin with the helpdesk's boilerplate and go on to answer."""


@lru_cache(maxsize=1)
def _phrases() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _PHRASES))


def automatic_reason(
    *, text: str, subject: str | None = None, address: str | None = None
) -> str | None:
    """Why an inbound message reads as an automatic acknowledgement, or None.

    A no-reply sender is enough; otherwise the subject or the new text (quoted history
    cut) must use an acknowledgement's wording, and the text must be short.
    """
    from email.utils import parseaddr

    from recorder.domain.duplicates import normalise_message

    if address:
        email = parseaddr(address)[1] or address
        local = email.rpartition("@")[0].casefold() if "@" in email else ""
        if local and NO_REPLY.match(local):
            return f"sent from an address nobody reads ({email})"
    new_text = normalise_message(text)
    for part, what in ((subject or "", "its subject"), (new_text, "its text")):
        found = _phrases().search(part.casefold())
        if found is None:
            continue
        if part is new_text and len(new_text) > LONGEST_ACKNOWLEDGEMENT:
            continue
        return f'{what} reads as an automatic acknowledgement ("{found.group(0)}")'
    return None


def automatic_header_reason(headers: Mapping[str, str]) -> str | None:
    """Why an email's headers mark it as sent by a program, or None.

    `headers` maps lower-case names to values. RFC 3834's `Auto-Submitted` (anything
    but "no"), the `X-Autoreply`/`X-Autorespond` headers of common autoresponders and
    `Precedence: auto_reply` each say so; a newsletter's `Precedence: bulk` does not.
    """
    auto_submitted = headers.get("auto-submitted", "").strip().casefold()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"its headers say it was sent automatically (Auto-Submitted: {auto_submitted})"
    for name in ("x-autoreply", "x-autorespond"):
        value = headers.get(name, "").strip()
        if value and value.casefold() != "no":
            return f"its headers say it was sent automatically ({name}: {value})"
    if headers.get("precedence", "").strip().casefold() == "auto_reply":
        return "its headers say it was sent automatically (Precedence: auto_reply)"
    return None
