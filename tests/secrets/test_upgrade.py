"""A store from before the secret guard (revision 0008): its contacts are scanned once,
as it is upgraded, so the case view marks the secrets they already held."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from recorder.write.opening import open_store
from tests.helpers.cli import ok
from tests.helpers.stores import store_at


def test_upgrading_from_0008_notes_the_secrets_already_stored_and_keeps_the_copy_private(
    tmp_path: Path,
) -> None:
    path = tmp_path / "at-0008.sqlite3"
    store_at(
        path,
        "0008",
        contacts=[
            ("They asked and I sent my 2FA code 482913", None),
            ("Nothing secret here; TxID 0x" + "ab" * 32, None),
            ("", "my password is Hunter2!"),
        ],
    )

    old = os.umask(0o022)
    try:
        open_store(str(path)).close()
    finally:
        os.umask(old)
    # The copy kept from before the upgrade holds the same texts: it is as private.
    (backup,) = path.parent.glob("at-0008.sqlite3.before-*.bak")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shown = json.loads(ok(path, "show", "1", "--json"))
    assert [c["secret_kinds"] for c in shown["contacts"]] == [
        ["one_time_code"],
        [],
        ["password"],
    ]
