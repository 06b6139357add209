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
from recorder.domain.i18n import N_, _, ngettext
from recorder.domain.secrets import NAMES, SecretKind

KINDS = click.Choice([kind.value for kind in SecretKind])


@cli.command()
@click.option("--case", "case_id", type=RecordId("case"), help=N_("Only this case's contacts."))
@click.option(
    "--all",
    "every",
    is_flag=True,
    help=N_("Read every text again, not only those noted as holding one."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the findings as JSON."))
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
        click.echo(
            _("no secrets found")
            + ("" if case_id is None else _(" in case #{case_id}").format(case_id=case_id))
        )
        return
    for secret in found:
        when = show_time(secret.occurred_at)
        click.echo(
            _(
                "contact #{contact_id} (case #{case_id}, {channel}, {when}), {field}: {warning}"
            ).format(
                contact_id=secret.contact_id,
                case_id=secret.case_id,
                channel=secret.channel,
                when=when,
                field=secret.field,
                warning=secret.finding.warning,
            )
        )
    contacts = sorted({s.contact_id for s in found})
    click.echo(
        _("{secrets} in {contacts}; 'recorder redact {ids}' masks them in the record").format(
            secrets=ngettext("{count} secret", "{count} secrets", len(found)).format(
                count=len(found)
            ),
            contacts=ngettext("{count} contact", "{count} contacts", len(contacts)).format(
                count=len(contacts)
            ),
            ids=" ".join(map(str, contacts[:5])),
        )
    )
    click.echo(times_in())


@cli.command()
@click.argument("contact_ids", nargs=-1, type=RecordId("contact"))
@click.option("--case", "case_id", type=RecordId("case"), help=N_("Every contact of this case."))
@click.option("--kind", "kinds", multiple=True, type=KINDS, help=N_("Only this kind (repeatable)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print what was redacted as JSON."))
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
        raise InputError(_("name the contacts to redact, or a case with --case"))
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
            warn(_("redacted; now clearing every earlier copy from the store's files..."))
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
            click.echo(
                _("contact #{contact_id}: no secrets to redact").format(contact_id=d.contact_id)
            )
            continue
        removed = _(", ").join(
            ngettext("{count} {kind}", "{count} {kind}s", n).format(
                count=n, kind=_(NAMES[SecretKind(k)])
            )
            for k, n in sorted(d.counts().items())
        )
        click.echo(
            _(
                "contact #{contact_id}: removed {removed}; its history keeps only "
                "digests of what was there"
            ).format(contact_id=d.contact_id, removed=removed)
        )
        if d.files:
            warn(
                _(
                    "contact #{contact_id}'s files are kept as they are and may hold the same: "
                ).format(contact_id=d.contact_id)
                + ", ".join(d.files)
            )
