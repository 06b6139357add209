"""The catalogs: every user-facing string is marked and in the template, and the
Simplified Chinese catalog translates each of them, whole and current."""

from __future__ import annotations

import ast
import io
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "recorder" / "locale"
TEMPLATE = LOCALE / "recorder.pot"
CHINESE = LOCALE / "zh_CN" / "LC_MESSAGES" / "recorder.po"
COMPILED = CHINESE.with_suffix(".mo")


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id for m in catalog if m.id}


def _extracted() -> set[str | tuple[str, ...]]:
    with (ROOT / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        found.add(message)
    return found


def test_the_template_holds_exactly_what_the_code_marks() -> None:
    with TEMPLATE.open("rb") as source:
        kept = _ids(read_po(source))
    marked = _extracted()
    assert len(marked) > 900  # the extraction saw the whole package (and its TOML)
    assert not marked - kept, "marked but not in the template: run `make messages`"
    assert not kept - marked, "in the template but no longer marked: run `make messages`"


def _fields(text: str) -> set[tuple[str, str | None]]:
    return {
        (name, conversion)
        for _literal, name, _spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


def _chinese() -> Catalog:
    with CHINESE.open("rb") as source:
        return read_po(source)


def test_the_chinese_catalog_translates_every_message_whole() -> None:
    with TEMPLATE.open("rb") as source:
        template = _ids(read_po(source))
    catalog = _chinese()
    assert _ids(catalog) == template, "run `make messages`, then translate what it added"
    assert not catalog.obsolete, "obsolete entries: run `make messages`"
    for message in catalog:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        chinese = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(chinese), f"untranslated: {english[0]!r}"
        assert not message.fuzzy, f"fuzzy: {english[0]!r}"
        for said in chinese:
            # The same placeholders (a format spec may differ: a date written the
            # Chinese way), the same markup, and the whitespace that joins it to others.
            assert _fields(said) == _fields(english[-1]) | _fields(english[0]), english[0]
            assert said.count("[/") == english[0].count("[/"), english[0]
            assert (
                said[: len(said) - len(said.lstrip())]
                == english[0][: len(english[0]) - len(english[0].lstrip())]
            ), english[0]
            assert said[len(said.rstrip()) :] == english[0][len(english[0].rstrip()) :], english[0]


def test_the_compiled_catalog_is_the_current_one() -> None:
    assert COMPILED.exists(), "run `make catalogs`"
    with COMPILED.open("rb") as source:
        compiled = read_mo(source)
    catalog = _chinese()
    expected = {m.id: m.string for m in catalog if m.id}

    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    read_back = {frozen(m.id): frozen(m.string) for m in compiled if m.id}
    assert read_back == expected, "run `make catalogs`"
    written = io.BytesIO()
    write_mo(written, catalog)
    assert written.getvalue() == COMPILED.read_bytes(), "run `make catalogs`"


SINKS = {
    "notify",
    "echo",
    "warn",
    "_fail",
    "_say",
    "Static",
    "Label",
    "Button",
    "Checkbox",
    "InputError",
    "NotFoundError",
    "StoreError",
    "UsageError",
    "RecorderError",
}
"""What shows its first argument to the user: a call to one of these with a literal
sentence in it shows English to everybody."""

SHOWN_KEYWORDS = {"placeholder", "prompt", "help", "tooltip", "description"}
WORD = re.compile(r"[A-Za-z]{3,}")


UNSHOWN_CALLS = {"_", "N_", "ngettext", "getattr", "encode", "decode", "get", "join", "split"}
"""Calls whose string arguments are not shown as they are: already translated, or a
name, an encoding, a separator."""


def _literal_words(node: ast.expr) -> str:
    """The text a shown argument writes itself: its string literals (an f-string's
    literal parts, and literals in its placeholders, such as `'none' if ...`), but not
    what is translated, compared, looked up or passed to a call that does not show it."""
    hidden: set[int] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            called = inner.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in UNSHOWN_CALLS:
                hidden.update(id(n) for argument in inner.args for n in ast.walk(argument))
        elif isinstance(inner, ast.Compare | ast.Subscript):
            hidden.update(id(n) for n in ast.walk(inner))
    return " ".join(
        inner.value
        for inner in ast.walk(node)
        if isinstance(inner, ast.Constant)
        and isinstance(inner.value, str)
        and id(inner) not in hidden
    )


def _unmarked(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
        shown = node.args[:1] if name in SINKS else []
        shown += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        for argument in shown:
            words = _literal_words(argument)
            if WORD.search(words.replace("recorder", "")):
                yield f"{path.relative_to(ROOT)}:{argument.lineno}: {words[:60]!r}"


def test_no_sentence_reaches_the_user_without_the_catalog() -> None:
    interfaces = [
        *(ROOT / "recorder" / "tui").rglob("*.py"),
        *(ROOT / "recorder" / "cli").rglob("*.py"),
    ]
    core = [
        p
        for folder in ("domain", "read", "write", "export", "ingest", "store")
        for p in (ROOT / "recorder" / folder).rglob("*.py")
    ]
    found = [line for path in [*interfaces, *core] for line in _unmarked(path)]
    assert found == []


def test_no_module_translates_while_it_is_imported() -> None:
    """A string translated at import time would stay in the language of the first run
    in the process (a test, the TUI after a change of language): modules mark with
    N_() and translate where they show."""
    script = """
import pkgutil, importlib, recorder, recorder.domain.i18n as i18n
calls = []
real = i18n._
def spy(message):
    calls.append(message)
    return real(message)
i18n._ = spy
def plural(one, many, count):
    calls.append(one)
    return one
i18n.ngettext = plural
for module in pkgutil.walk_packages(recorder.__path__, "recorder."):
    if module.name.startswith("recorder.__main__"):
        continue
    importlib.import_module(module.name)
print(repr(calls))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_no_function_hides_the_translation_function() -> None:
    """`_` is gettext's: a function that also uses `_` as a throwaway name makes it
    a local, and every `_()` in it fails (comprehensions have their own scope)."""
    found = []
    for path in (ROOT / "recorder").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        in_comprehensions = {
            id(name)
            for node in ast.walk(tree)
            if isinstance(node, ast.comprehension)
            for name in ast.walk(node.target)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Name)
                and node.id == "_"
                and isinstance(node.ctx, ast.Store)
                and id(node) not in in_comprehensions
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_the_catalogs_ship_in_the_package() -> None:
    from recorder.domain.i18n import LOCALE_DIR

    assert LOCALE_DIR == LOCALE
    assert (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "recorder.mo").is_file()
