"""What a database server or its driver says, as the one line recorder shows: a server
that cannot be reached or refuses the login, a driver that is not installed."""

from __future__ import annotations

from recorder.domain.i18n import _


def missing_driver(url: str, name: str | None) -> str:
    """The one line for a store URL whose database driver is not installed."""
    scheme = url.split(":", 1)[0]
    if scheme.startswith("postgres"):
        return _(
            "a PostgreSQL store needs its driver ({value}), which is not "
            "installed: pip install 'recorder[postgres]'"
        ).format(value=name or "psycopg")
    return _(
        "a {scheme} store needs its database driver ({name}), which is not "
        "installed; install it, or use a SQLite file"
    ).format(scheme=scheme, name=name)


def server_problem(exc: BaseException) -> str | None:
    """The one line for a database server that cannot be reached, refuses the login or
    has no such database (None for any other error). The URL's password is never in it:
    the driver's message names the host, port, user and database only."""
    orig = getattr(exc, "orig", None) or exc
    if type(orig).__module__.split(".")[0] != "psycopg":
        return None
    said = " ".join(str(orig).split())
    reason = said.removeprefix("connection failed: ").replace("FATAL: ", "")
    reason = reason.split(" Is the server running")[0].rstrip(" .")
    low = said.lower()
    if (
        "password authentication failed" in low
        or "no pg_hba.conf entry" in low
        or ("role " in low and "does not exist" in low)
        or "no password supplied" in low
    ):
        return _(
            "the PostgreSQL server refused the login ({reason}): check the user "
            "and password in the store's URL (--db or RECORDER_DB); nothing was "
            "changed"
        ).format(reason=reason)
    if "database " in low and "does not exist" in low:
        return _(
            "the PostgreSQL server has no such database ({reason}): create it "
            "first (README, 'Share a store'); nothing was changed"
        ).format(reason=reason)
    if "connection" in low or "resolve host" in low or "timeout" in low:
        return _(
            "cannot reach the PostgreSQL server ({reason}): is it running, and are "
            "the host and port in the store's URL right? nothing was changed"
        ).format(reason=reason)
    return None


SCRUB_ON_A_SERVER = (
    "on a server, the text as it was may stay in the server's own files (its write-ahead "
    "log, and space that VACUUM freed) until they are reused: change what the secret "
    "protects, and ask whoever runs the server for VACUUM FULL of contacts, stored_texts "
    "and audit_events"
)
"""What a redaction on a server cannot promise (recorder.store.session.Store.scrub)."""
