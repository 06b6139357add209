"""Exporting a store as evidence and verifying it: the bag, its files, its check."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import bagit
import pytest
from jsonschema import Draft7Validator

from recorder.export.schema import SCHEMA_NAME, load_schema, schema_text
from tests.helpers.cli import ok
from tests.helpers.evidence import CHANGED, export, verify
from tests.helpers.evidence import bag as _bag
from tests.helpers.evidence import records as _records
from tests.helpers.evidence import tampered as _tampered

pytestmark = pytest.mark.backends

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / SCHEMA_NAME


def test_the_schema_in_the_repository_is_the_one_made_from_the_models() -> None:
    assert SCHEMA_FILE.read_text("utf-8") == schema_text(), (
        "schema/export-v1.schema.json drifted from the models; regenerate it with "
        "python -m recorder.export.schema > schema/export-v1.schema.json"
    )


def test_a_bag_that_bagit_and_recorder_both_accept(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = filled
    dest = tmp_path / "evidence"
    fingerprint = _bag(db, dest, "--source-organization", "Jane Doe")
    bag = bagit.Bag(str(dest))
    assert bag.validate(processes=1)
    assert bag.info["Source-Organization"] == "Jane Doe"
    assert bag.info["Case-Count"] == "3" and bag.info["Contact-Count"] == "10"
    assert bag.info["Attachment-Count"] == "3"
    assert bag.info["External-Description"].endswith("every case")
    assert len(bag.info["Audit-Head-Hash"]) == 64
    checked = verify(db, str(dest), "--fingerprint", fingerprint)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("OK: 3 cases, 10 contacts, 3 attachments; audit chain of ")
    assert sorted(p.name for p in (dest / "data").iterdir()) == [
        "attachments",
        "audit.jsonl",
        "contacts.csv",
        "records.json",
        "timeline.html",
        "timeline.md",
    ]
    files = sorted(p.name for p in (dest / "data" / "attachments").iterdir())
    assert len(files) == 2  # the screenshot is attached twice, under one name: one file
    assert any(name.endswith("-statement_Nov_.pdf") for name in files)
    assert ids["english"]


def test_records_json_is_valid_against_the_schema(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = filled
    dest = tmp_path / "records.json"
    assert export(db, str(dest), "--format", "json").exit_code == 0
    document = json.loads(dest.read_text("utf-8"))
    Draft7Validator(load_schema(), format_checker=Draft7Validator.FORMAT_CHECKER).validate(document)
    channels = {c["channel"] for c in document["contacts"]}
    assert channels == {
        "help_center", "chat", "ticket", "email", "phone", "social", "complaint", "regulator",
    }  # fmt: skip
    case = next(c for c in document["cases"] if c["id"] == ids["english"])
    assert case["account_email"] == "jane.doe@example.com"
    merged = next(c for c in document["cases"] if c["id"] == ids["merged"])
    assert merged["merged_into_id"] == ids["english"]
    assert [f["kind"] for f in document["duplicate_flags"]] == ["similar_case"]


def test_the_csv_reads_back_with_its_chinese_text(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = filled
    dest = tmp_path / "contacts.csv"
    assert export(db, str(dest), "--format", "csv").exit_code == 0
    raw = dest.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 10
    chinese = next(r for r in rows if int(r["contact_id"]) == ids["chinese_contact"])
    assert chinese["case_title"] == "充值USDT未到账"
    assert chinese["text"].startswith("您好，我的USDT充值三天了还没有到账。\n客服")
    assert "statement (Nov).pdf sha256:" in chinese["attachments"]
    first = next(r for r in rows if int(r["contact_id"]) == ids["first"])
    assert first["occurred_at_utc"] == "2026-11-02T15:00:00+00:00"
    assert first["occurred_at_local"] == "2026-11-02T10:00:00-05:00"
    assert first["answer"].startswith("met: answered by contact #")


class _Contacts(HTMLParser):
    """The contact sections and the text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.scripts = 0
        self.text: list[str] = []
        self.charset = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and (found.get("id") or "").startswith("contact-"):
            self.ids.append(str(found["id"]))
        if tag == "script" or (tag == "link" and found.get("rel") == "stylesheet"):
            self.scripts += 1
        if tag == "meta" and found.get("charset") == "utf-8":
            self.charset = True

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_page_has_every_contact_and_needs_nothing_else(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = filled
    dest = tmp_path / "timeline.html"
    assert export(db, str(dest), "--format", "html").exit_code == 0
    page = _Contacts()
    page.feed(dest.read_text("utf-8"))
    shown = json.loads(ok(db, "show", str(ids["english"]), "--json"))
    expected = {f"contact-{c['id']}" for c in shown["contacts"]} | {
        f"contact-{ids['chinese_contact']}"
    }
    assert set(page.ids) == expected
    assert page.charset and page.scripts == 0
    text = "".join(page.text)
    assert "充值USDT未到账" in text and "请提供交易哈希" in text
    assert "Noto Sans CJK SC" in dest.read_text("utf-8")  # a font that covers Chinese
    assert "2026-11-02 10:00" in text and "in America/New_York (EST, UTC-05:00" in text
    assert "@media print" in dest.read_text("utf-8")


def test_the_markdown_tells_the_same(filled: tuple[str, dict[str, int]], tmp_path: Path) -> None:
    db, ids = filled
    dest = tmp_path / "timeline.md"
    assert export(db, str(dest), "--format", "md").exit_code == 0
    text = dest.read_text("utf-8")
    assert f"## Case #{ids['chinese']}: 充值USDT未到账" in text
    assert text.count("### ") == 10
    assert "**Expected by:**" in text and "SHA-256 `" in text


def _flip_byte(path: Path, at: int = 10) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_one_changed_byte_of_a_payload_file_is_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    problems = _tampered(filled[0], tmp_path, lambda b: _flip_byte(b / "data" / "timeline.html"))
    assert problems == [f"data/timeline.html: {CHANGED}"]


def test_one_changed_byte_of_an_attachment_is_caught_by_name(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def change(bag: Path) -> None:
        _flip_byte(next((bag / "data" / "attachments").glob("*statement_Nov_.pdf")), 20)

    problems = _tampered(filled[0], tmp_path, change)
    assert len(problems) == 2
    assert problems[0].endswith(f"-statement_Nov_.pdf: {CHANGED}")
    assert "statement_Nov_.pdf (attachment #" in problems[1]
    assert problems[1].endswith("its SHA-256 is not the recorded one")


def test_a_changed_record_is_caught_even_with_the_manifests_recomputed(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = filled

    def change(bag: Path) -> None:
        with _records(bag) as document:
            contact = next(c for c in document["contacts"] if c["id"] == ids["chinese_contact"])
            contact["text"] = contact["text"].replace("三天", "一天")

    problems = _tampered(db, tmp_path, change, rehash=True)
    contact = f"contacts #{ids['chinese_contact']}"
    assert problems == [f"data/records.json: {contact}: text differs from its audit history"]


def test_a_rewritten_audit_event_is_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def change(bag: Path) -> None:
        path = bag / "data" / "audit.jsonl"
        lines = path.read_text("utf-8").splitlines()
        event = json.loads(lines[-1])
        event["at"] = "2026-01-01T00:00:00+00:00"
        lines[-1] = json.dumps(event, ensure_ascii=False, sort_keys=True)
        path.write_text("\n".join(lines) + "\n", "utf-8")

    problems = _tampered(filled[0], tmp_path, change, rehash=True)
    assert len(problems) == 1
    assert problems[0].startswith("data/audit.jsonl: event ")
    assert problems[0].endswith("its hash does not match its content")


def test_an_added_and_a_deleted_file_are_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    def change(bag: Path) -> None:
        (bag / "data" / "note.txt").write_text("added later")
        (bag / "data" / "contacts.csv").unlink()

    problems = _tampered(filled[0], tmp_path, change)
    assert problems == [
        "data/contacts.csv: listed in the manifest but missing",
        "data/note.txt: not in the manifest (added after export)",
        "data/note.txt: not a file recorder exports",
    ]


def test_a_consistent_rewrite_of_the_whole_bag_is_caught_by_the_fingerprint(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db = filled[0]
    dest = tmp_path / "bag"
    fingerprint = _bag(db, dest)
    info = dest / "bag-info.txt"
    # Who made the bag is the one claim the records cannot check.
    info.write_text(info.read_text("utf-8") + "Source-Organization: Someone Else\n")
    bagit.Bag(str(dest)).save(manifests=True)
    consistent = verify(db, str(dest))
    assert consistent.exit_code == 0  # consistent: only the fingerprint tells
    assert "; consistent (fingerprint " in consistent.stdout
    result = verify(db, str(dest), "--fingerprint", fingerprint)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "tagmanifest-sha256.txt: the fingerprint is not the one given; "
        "the bag is not the one that was exported"
    ]


def test_a_zip_exports_and_verifies_and_its_tampering_is_caught(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db = filled[0]
    dest = tmp_path / "evidence.zip"
    fingerprint = _bag(db, dest, "--zip")
    assert zipfile.is_zipfile(dest)
    with zipfile.ZipFile(dest) as archive:
        names = archive.namelist()
        assert "evidence/bagit.txt" in names and "evidence/data/records.json" in names
        members = {name: archive.read(name) for name in names}
    assert verify(db, str(dest), "--fingerprint", fingerprint).exit_code == 0
    page = bytearray(members["evidence/data/timeline.md"])
    page[10] ^= 0x01  # the same size: a longer file is refused before unpacking
    members["evidence/data/timeline.md"] = bytes(page)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    result = verify(db, str(forged))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"data/timeline.md: {CHANGED}"]


def test_redact_masks_the_copy_and_not_the_store(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = filled
    dest = tmp_path / "redacted"
    _bag(db, dest, "--redact")
    for name in ("records.json", "audit.jsonl", "contacts.csv", "timeline.html", "timeline.md"):
        text = (dest / "data" / name).read_text("utf-8")
        assert "jane.doe@example.com" not in text, name
        assert "4111 1111 1111 1111" not in text, name
    records = json.loads((dest / "data" / "records.json").read_text("utf-8"))
    case = next(c for c in records["cases"] if c["id"] == ids["english"])
    assert case["account_email"] == "j***@example.com"
    assert "**** **** **** 1111" in records["contacts"][0]["text"]
    addresses = {c["address"] for c in records["contacts"]}
    assert "support@gemini.com" in addresses  # the platform's own address is evidence
    info = bagit.Bag(str(dest)).info["Redacted"]
    assert "1 email addresses" in info and "card numbers" in info
    assert "attachments are not redacted" in info
    assert verify(db, str(dest)).exit_code == 0
    shown = json.loads(ok(db, "show", str(ids["english"]), "--json"))
    assert shown["identifiers"]["account_email"] == "jane.doe@example.com"


def test_filters_choose_cases_and_times(filled: tuple[str, dict[str, int]], tmp_path: Path) -> None:
    db, ids = filled
    dest = tmp_path / "some.json"
    args = ["--format", "json", "--since", "2026-11-03 00:00", "--until", "2026-11-05 23:00"]
    assert export(db, str(dest), *args).exit_code == 0
    document = json.loads(dest.read_text("utf-8"))
    assert [c["id"] for c in document["cases"]] == [ids["english"]]
    assert len(document["contacts"]) == 3
    window = tmp_path / "window"
    _bag(db, window, *args[2:])
    assert verify(db, str(window)).exit_code == 0  # other contacts' events are elided
    assert "contacts since 2026-11-03" in bagit.Bag(str(window)).info["External-Description"]
    one = tmp_path / "one"
    _bag(db, one, "--case", str(ids["chinese"]))
    assert bagit.Bag(str(one)).info["Case-Count"] == "1"
    assert "cases #" in bagit.Bag(str(one)).info["External-Description"]
    assert verify(db, str(one)).exit_code == 0  # the other cases' events are elided


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kind", ["folder", "file"])
def test_an_existing_path_is_never_overwritten(
    filled: tuple[str, dict[str, int]], tmp_path: Path, kind: str
) -> None:
    dest = tmp_path / "taken"
    if kind == "folder":
        dest.mkdir()
        (dest / "mine.txt").write_text("keep me")
    else:
        dest.write_text("keep me")
    for args in ([], ["--zip"], ["--format", "json"]):
        result = export(filled[0], str(dest), *args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"recorder: {dest} already exists; expected a new path (an export never overwrites)\n"
        )
    assert (dest / "mine.txt" if kind == "folder" else dest).read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "store", "taken"]


def test_an_unwritable_destination_leaves_nothing(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("x")
    result = export(filled[0], str(not_a_folder / "bag"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"recorder: {not_a_folder} is not a directory; expected an existing folder to export into\n"
    )
    if Path("/proc/self").is_dir():  # a folder nobody, root included, can create files in
        result = export(filled[0], "/proc/recorder-export")
        assert result.exit_code == 1
        assert result.stderr.startswith("recorder: cannot write to /proc: ")


@pytest.mark.sqlite_only
def test_a_failure_midway_leaves_nothing_behind(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db = filled[0]
    files = Path(db).parent / "attachments"
    victim = next(p for p in files.rglob("*") if p.is_file())
    victim.unlink()
    out = tmp_path / "out"
    out.mkdir()
    result = export(db, str(out / "bag"))
    assert result.exit_code == 1
    assert "is missing from the attachment store" in result.stderr
    assert list(out.iterdir()) == []


def test_verify_refuses_what_is_not_a_bag(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    missing = verify(db, str(tmp_path / "nothing"))
    assert missing.exit_code == 1
    assert "does not exist; expected a bag folder or its zip" in missing.stderr
    folder = tmp_path / "folder"
    folder.mkdir()
    result = verify(db, str(folder))
    assert result.exit_code == 1
    assert result.stdout.startswith("folder: not a valid BagIt bag")


def test_a_record_that_breaks_the_schema_is_named(
    filled: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    db, ids = filled

    def change(bag: Path) -> None:
        with _records(bag) as document:
            document["contacts"][0]["channel"] = "carrier pigeon"

    problems = _tampered(db, tmp_path, change, rehash=True)
    assert problems[0].startswith("data/records.json: contacts/0/channel: 'carrier pigeon' is not")
    assert problems[1] == (
        f"data/records.json: contacts #{ids['first']}: channel differs from its audit history"
    )


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--since", "garbage"], 1, "cannot read the time 'garbage'"),
        (["--case", "abc"], 1, "case id 'abc' is not a number"),
        (["--case", "99"], 1, "no case #99"),
        (["--platform", "Nowhere"], 1, "no platform called 'Nowhere'"),
        (["--since", "2026-12-01", "--until", "2026-11-01"], 1, "--since is after --until"),
        (["--zip", "--format", "csv"], 2, "--zip makes a bag; --format writes one file alone"),
    ],
)
def test_bad_export_input_is_one_line_and_writes_nothing(
    filled: tuple[str, dict[str, int]], tmp_path: Path, args: list[str], status: int, message: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = export(filled[0], str(out / "bag"), *args)
    assert result.exit_code == status
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert list(out.iterdir()) == []
