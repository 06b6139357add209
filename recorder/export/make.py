"""One export, from the store to the destination: read, redact if asked, write."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from recorder.domain.chain import short_fingerprint
from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.domain.vocabulary import AnchorKind
from recorder.export.bag import (
    Progress,
    Written,
    partial_prefix,
    refuse_existing,
    write_bag,
    write_single,
)
from recorder.export.evidence import Filters, collect
from recorder.export.staging import Staged
from recorder.store.session import Store
from recorder.write.anchors import record_anchor
from recorder.write.sweep import exports_dir


def recorder_version() -> str:
    """The installed recorder's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("recorder")
    except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def export_zone() -> str:
    """The zone an export shows its times in: the user's, by its IANA name (which verify
    needs to make the readable files again), else UTC."""
    from recorder.domain.dates import local_zone

    return str(getattr(local_zone(), "key", None) or "UTC")


def export(
    store: Store,
    dest: Path,
    filters: Filters,
    *,
    fmt: str | None = None,
    redact: bool = False,
    as_zip: bool = False,
    source_organization: str | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
) -> Written:
    """Export what `filters` choose to `dest`: a bag (a zip with `as_zip`), or the one
    file of `fmt` (json, csv, md, html). A bag's export is recorded in the store as an
    anchor of the audit chain (the chain head it holds, and its fingerprint)."""
    from recorder.process import children_die_with_me

    children_die_with_me()
    with _registered(store, dest), _staging(dest) as staged:
        return _write(
            store,
            staged,
            dest,
            filters,
            fmt=fmt,
            redact=redact,
            as_zip=as_zip,
            source_organization=source_organization,
            progress=progress,
            parallel=parallel,
        )


@contextlib.contextmanager
def _registered(store: Store, dest: Path) -> Iterator[None]:
    """While an export runs, a note in the store's folder of where its partial files
    are: if the process is killed, the next sweep (recorder.write.sweep) removes them."""
    folder = exports_dir(store)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    entry = folder / f"{os.getpid()}-{os.urandom(6).hex()}.json"
    note = {
        "pid": os.getpid(),
        "parent": str(dest.parent.absolute()),
        "prefix": partial_prefix(dest),
    }
    entry.write_text(json.dumps(note), "utf-8")
    try:
        yield
    finally:
        entry.unlink(missing_ok=True)


def _staging(dest: Path) -> Staged:
    """A staging area for an export to `dest`, beside it (removed by the sweep if the
    process is killed: it is named as the export's partial folder is)."""
    refuse_existing(dest)
    if not dest.parent.is_dir():
        raise InputError(
            _("{parent} is not a directory; expected an existing folder to export into").format(
                parent=dest.parent
            )
        )
    try:
        return Staged.new(dest.parent, prefix=partial_prefix(dest))
    except OSError as exc:
        raise InputError(
            _("cannot write to {parent}: {reason}").format(
                parent=dest.parent, reason=exc.strerror or exc
            )
        ) from None


def _write(
    store: Store,
    staged: Staged,
    dest: Path,
    filters: Filters,
    *,
    fmt: str | None,
    redact: bool,
    as_zip: bool,
    source_organization: str | None,
    progress: Progress | None,
    parallel: bool,
) -> Written:
    """Stage the records (redacted if asked) beside `dest`, then write them out."""
    if progress is not None:
        progress(_("reading the store"), 0, 1)
    with store.read() as session:
        evidence = collect(session, filters, now=store.clock.now(), staged=staged)
    evidence.time_zone = export_zone()
    if redact:
        from recorder.export.redact import redact_evidence

        redact_evidence(evidence)
    version = recorder_version()
    if fmt is not None:
        return write_single(evidence, dest, fmt, version=version)
    if parallel and store.engine.dialect.name != "sqlite":
        # A forked process must not inherit a connection to the server: closing it there
        # would end the session here too.
        store.engine.dispose()
    written = write_bag(
        evidence,
        dest,
        attachments=store,
        version=version,
        source_organization=source_organization,
        as_zip=as_zip,
        progress=progress,
        parallel=parallel,
    )
    with store.write() as tx:
        anchor = record_anchor(
            tx,
            AnchorKind.export,
            head=(evidence.head, evidence.event_count),
            fingerprint=written.fingerprint,
            target=str(written.path),
        )
    return replace(written, anchor=short_fingerprint(anchor.head))
