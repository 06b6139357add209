"""Reading one email, whatever it holds: the standard `email` package behind a wrapper
that never raises on a message's content.

CPython's parser with policy.default raises on a group address (`From: g: ;x@y`),
on a NUL in an RFC 2231 parameter and, through its recursive walk, on deep MIME
nesting; a wrong or unknown charset raises when the text is decoded. `read_email`
parses the structure with the lenient compat32 policy, reads every header from its
raw value itself (the tolerant `getaddresses` for addresses), walks the parts without
recursion, catches each failure where it happens, keeps what can be read, and says
what it could not in `Email.problems`. Only bytes that are not an email at all are
refused (`NotAnEmail`). The raw bytes are kept as given: they are the evidence, the
parse is a reading of it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from recorder.domain.errors import InputError
from recorder.domain.quoting import Reply, split_reply

MAX_DEPTH = 40
"""MIME parts nested deeper than this are not read (real mail nests a handful)."""

MAX_PARTS = 500
"""Parts read in one message, at most."""

CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "x-unknown": "utf-8",
    "unknown-8bit": "utf-8",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
}
"""Charsets as mail programs mean them: GB2312 mail is written in its superset GB18030,
"us-ascii" mail often carries UTF-8, and "iso-8859-1" often carries Windows-1252."""

_HEADER_NAMES = re.compile(rb"^[!-9;-~]+:", re.MULTILINE)


class NotAnEmail(InputError):
    """The bytes are not an email: no header can be read from them."""


@dataclass(frozen=True)
class Part:
    """A file an email carries: its name as given, its media type, its bytes."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Email:
    """What recorder reads from one email. Addresses are bare and lower-case."""

    raw: bytes
    sha256: str
    message_id: str | None
    subject: str
    sender: str
    """The From header as shown ("Gemini Support <support@gemini.com>"), or ""."""
    sender_address: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    date: datetime | None
    in_reply_to: str | None
    references: tuple[str, ...]
    headers: dict[str, str]
    """Every header's first value, decoded, by lower-case name."""
    authentication_results: tuple[str, ...]
    text: str
    """The body as text: the text/plain part, else the HTML part turned into text."""
    reply: Reply
    """`text` cut into a helpdesk's mark, what this message says, and the history."""
    from_html: bool
    attachments: tuple[Part, ...]
    problems: tuple[str, ...] = field(default=())
    """What could not be read, one phrase each ("a part's charset 'x-foo' is unknown")."""


def read_email(raw: bytes) -> Email:
    """Read an email from its raw bytes; `NotAnEmail` when nothing in it is a header."""
    if not _HEADER_NAMES.search(raw[:65536].lstrip(b"\r\n")):
        raise NotAnEmail("not an email: expected headers (From:, Subject:, ...) then a body")
    problems: list[str] = []
    message = _parse(raw, problems)
    headers = _headers(message)
    if not headers:
        raise NotAnEmail("not an email: expected headers (From:, Subject:, ...) then a body")
    text, from_html, attachments = _body(message, problems)
    sender_name, sender_address = _first_address(headers.get("from", ""))
    return Email(
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        message_id=_message_id(headers.get("message-id", "")),
        subject=" ".join(headers.get("subject", "").split()),
        sender=_shown(sender_name, sender_address),
        sender_address=sender_address,
        to=_addresses(headers.get("to", "")),
        cc=_addresses(headers.get("cc", "")),
        reply_to=_addresses(headers.get("reply-to", "")),
        date=_date(headers.get("date", ""), problems),
        in_reply_to=_message_id(headers.get("in-reply-to", "")),
        references=tuple(_MESSAGE_IDS.findall(headers.get("references", ""))),
        headers=headers,
        authentication_results=tuple(_all(message, "authentication-results")),
        text=text,
        reply=split_reply(text),
        from_html=from_html,
        attachments=tuple(attachments),
        problems=tuple(problems),
    )


def _parse(raw: bytes, problems: list[str]) -> Message:
    """The message's structure, parsed with the compat32 policy (as `mailbox` parses).

    policy.default models every header it touches while parsing (the Content-Type of
    each part, to find its boundary), which costs three times `mailbox`'s whole parse
    and raises on a NUL in an RFC 2231 parameter. recorder reads every header itself
    from its raw value (`_decoded`), so it needs none of those models.
    """
    try:
        message: Message = BytesParser(policy=policy.compat32).parsebytes(raw)
    except Exception:  # a message's content must never stop an import
        message = BytesParser(policy=policy.compat32).parsebytes(raw.replace(b"\x00", b""))
        problems.append("NUL characters in the message were left out of its reading")
    return message


def _decoded(value: str) -> str:
    """A raw header value as text: 8-bit bytes read as UTF-8, RFC 2047 words decoded
    in their charsets as mail programs mean them, anything unreadable replaced."""
    if any("\udc80" <= c <= "\udcff" for c in value):  # raw 8-bit bytes
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" not in value:
        return value
    try:
        chunks = decode_header(value)
    except Exception:
        return value
    words = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            words.append(decode_text(chunk, charset, []))
        else:
            words.append(chunk)
    return "".join(words)


def _headers(message: Message) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        key = name.strip().lower()
        if key not in found:
            found[key] = _unfold(_decoded(str(value)))
    return found


def _unfold(text: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", text).strip()


def _all(message: Message, name: str) -> list[str]:
    return [_unfold(_decoded(str(v))) for n, v in message.raw_items() if n.lower() == name]


def _addresses(value: str) -> tuple[str, ...]:
    pairs = getaddresses([value]) if value else []
    return tuple(dict.fromkeys(a.strip().lower() for _, a in pairs if "@" in a))


def _first_address(value: str) -> tuple[str, str]:
    for name, address in getaddresses([value]) if value else []:
        if "@" in address:
            return name.strip(), address.strip().lower()
    return "", ""


def _shown(name: str, address: str) -> str:
    if not address:
        return ""
    return f"{name} <{address}>" if name else address


_MESSAGE_IDS = re.compile(r"<[^<>\s]+>")


MAX_MESSAGE_ID = 998
"""The longest line RFC 5322 allows: a longer Message-ID is kept (and compared) cut."""


def _message_id(value: str) -> str | None:
    found = _MESSAGE_IDS.search(value)
    if found:
        return found.group(0)[:MAX_MESSAGE_ID]
    stripped = value.strip()
    return f"<{stripped}>"[:MAX_MESSAGE_ID] if stripped and " " not in stripped else None


def _date(value: str, problems: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        problems.append(f"its Date header ({value[:60]!r}) cannot be read")
        return None
    if when.tzinfo is None:  # "-0000": the time is UTC, its zone unknown (RFC 5322)
        when = when.replace(tzinfo=UTC)
    return when


def _walk(message: Message, problems: list[str]) -> Iterator[Message]:
    """Every leaf part, depth first, without recursion and within MAX_DEPTH/MAX_PARTS."""
    stack: list[tuple[Message, int]] = [(message, 0)]
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            problems.append(f"parts beyond the first {MAX_PARTS} were not read")
            return
        payload = part.get_payload() if part.is_multipart() else None  # a list, unread
        if isinstance(payload, list):
            if depth >= MAX_DEPTH:
                problems.append(f"parts nested deeper than {MAX_DEPTH} levels were not read")
                continue
            stack.extend(
                (child, depth + 1) for child in reversed(payload) if isinstance(child, Message)
            )
        else:
            yield part


def _param(part: Message, name: str, header: str = "content-type") -> str | None:
    try:
        value = part.get_param(name, header=header)
    except Exception:
        return None
    if isinstance(value, tuple):  # RFC 2231: (charset, language, text)
        try:
            return str(value[2].encode("latin-1", "surrogateescape").decode(value[0] or "utf-8"))
        except (LookupError, UnicodeError, ValueError):
            return str(value[2])
    return None if value is None else str(value)


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = _param(part, "filename", "content-disposition") or _param(part, "name")
    return None if name is None else _decoded(str(name)).replace("\x00", "")


def _media_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "application/octet-stream"


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    try:
        payload = part.get_payload()
    except Exception:  # a charset parameter that is not a name
        payload = getattr(part, "_payload", None)  # the text as parsed, undecoded
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""


def decode_text(data: bytes, charset: str | None, problems: list[str]) -> str:
    """Bytes of a text part as text: its charset as mail programs mean it, UTF-8 when
    it has none or the one named fails, and replacement characters for what is left."""
    name = (charset or "utf-8").strip().strip('"').lower()
    name = CHARSET_ALIASES.get(name, name)
    for candidate in dict.fromkeys((name, "utf-8")):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
        except (LookupError, ValueError):  # no such codec, or a name with a NUL in it
            problems.append(f"a part's charset {charset!r} is unknown; read as UTF-8")
    try:
        text = data.decode(name, errors="replace")
    except (LookupError, ValueError):
        text = data.decode("utf-8", errors="replace")
    problems.append(f"a part is not valid {charset or 'UTF-8'}; unreadable bytes were replaced")
    return text


def _body(message: Message, problems: list[str]) -> tuple[str, bool, list[Part]]:
    plain: str | None = None
    html: str | None = None
    attachments: list[Part] = []
    for part in _walk(message, problems):
        media_type = _media_type(part)
        name = _filename(part)
        try:
            disposition = (part.get_content_disposition() or "").lower()
        except Exception:
            disposition = ""
        is_text = media_type in ("text/plain", "text/html")
        if is_text and disposition != "attachment" and not name:
            text = decode_text(_payload(part), _param(part, "charset"), problems)
            if media_type == "text/plain" and plain is None:
                plain = text
                continue
            if media_type == "text/html" and html is None:
                html = text
                continue
        data = _payload(part)
        if not data and media_type.startswith("multipart/"):
            continue
        attachments.append(Part(name or _unnamed(media_type, len(attachments)), media_type, data))
    if plain is not None and (plain.strip() or html is None):
        return plain, False, attachments
    if html is not None:
        return html_to_text(html), True, attachments
    return "", False, attachments


def _unnamed(media_type: str, n: int) -> str:
    import mimetypes

    extension = mimetypes.guess_extension(media_type) or ".bin"
    return f"part-{n + 1}{extension}"


def html_to_text(html: str) -> str:
    """HTML as a person would read it, with its layout (inscriptis): lists, tables and
    links kept as text."""
    from inscriptis import get_text

    try:
        return str(get_text(html)).strip("\n") + "\n"
    except Exception:
        return re.sub(r"<[^>]*>", " ", html)
