"""`recorder scan` and `recorder redact`: the secrets already in the record, and taking
them out (recorder.domain.secrets, recorder.write.redaction)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from recorder.cli.base import (
    RecordId,
    cli,
    open_store_for,
    print_json,
    reader_for,
    show_time,
    times_in,
    warn,
)
from recorder.domain.errors import InputError
from recorder.domain.secrets import NAMES, SecretKind

KINDS = click.Choice([kind.value for kind in SecretKind])


@cli.command()
@click.option("--case", "case_id", type=RecordId("case"), help="Only this case's contacts.")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Read every text again, not only those noted as holding one.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def scan(ctx: click.Context, case_id: int | None, every: bool, as_json: bool) -> None:
    """List the seed phrases, private keys, API secrets, 2FA codes and passwords that
    stored contacts hold, with what each means and what to do. The secrets themselves
    are never printed; 'recorder redact CONTACT' masks them in the record."""
    from recorder.read.secrets import stored_secrets

    with reader_for(ctx) as reader:
        found = list(stored_secrets(reader, case_id=case_id, every=every))
    if as_json:
        print_json({"secrets": [s.to_json() for s in found]})
        return
    if not found:
        click.echo("no secrets found" + ("" if case_id is None else f" in case #{case_id}"))
        return
    for secret in found:
        when = show_time(secret.occurred_at)
        click.echo(
            f"contact #{secret.contact_id} (case #{secret.case_id}, {secret.channel}, {when}), "
            f"{secret.field}: {secret.finding.warning}"
        )
    contacts = sorted({s.contact_id for s in found})
    click.echo(
        f"{_count(len(found), 'secret')} in {_count(len(contacts), 'contact')}; "
        f"'recorder redact {' '.join(map(str, contacts[:5]))}' masks them in the record"
    )
    click.echo(times_in())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@cli.command()
@click.argument("contact_ids", nargs=-1, type=RecordId("contact"))
@click.option("--case", "case_id", type=RecordId("case"), help="Every contact of this case.")
@click.option("--kind", "kinds", multiple=True, type=KINDS, help="Only this kind (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print what was redacted as JSON.")
@click.pass_context
def redact(
    ctx: click.Context,
    contact_ids: Sequence[int],
    case_id: int | None,
    kinds: Sequence[str],
    as_json: bool,
) -> None:
    """Mask the secrets that contacts hold, in the record itself.

    Each secret becomes "[seed phrase removed]" and the like. The change is audited:
    the audit chain keeps, for the text as it was, only its SHA-256, so the chain still
    verifies and whoever holds the original can prove it is the one recorded, while
    the store no longer holds the secret. Files (an email's .eml, a screenshot) are
    evidence kept byte for byte and are not changed.
    """
    from recorder.read.secrets import stored_secrets
    from recorder.write.redaction import redact_contact

    if not contact_ids and case_id is None:
        raise InputError("name the contacts to redact, or a case with --case")
    wanted = list(dict.fromkeys(contact_ids))
    with open_store_for(ctx) as store:
        if case_id is not None:
            with store.reader() as reader:
                wanted += [
                    s.contact_id
                    for s in stored_secrets(reader, case_id=case_id)
                    if s.contact_id not in wanted
                ]
        with store.write() as tx:
            done = [redact_contact(tx, contact_id, kinds or None) for contact_id in wanted]
        if sys.stderr.isatty():  # it takes a while on a large record: say why
            warn("redacted; now clearing every earlier copy from the store's files...")
        store.scrub()
        if store.engine.dialect.name != "sqlite" and any(d.removed for d in done):
            from recorder.store.server_errors import SCRUB_ON_A_SERVER

            warn(SCRUB_ON_A_SERVER)
    if as_json:
        print_json(
            {
                "redacted": [
                    {
                        "contact_id": d.contact_id,
                        "removed": d.counts(),
                        "files_kept": d.files,
                    }
                    for d in done
                ]
            }
        )
        return
    for d in done:
        if not d.removed:
            click.echo(f"contact #{d.contact_id}: no secrets to redact")
            continue
        removed = ", ".join(_count(n, NAMES[SecretKind(k)]) for k, n in sorted(d.counts().items()))
        click.echo(
            f"contact #{d.contact_id}: removed {removed}; "
            "its history keeps only digests of what was there"
        )
        if d.files:
            warn(
                f"contact #{d.contact_id}'s files are kept as they are and may hold the same: "
                + ", ".join(d.files)
            )
