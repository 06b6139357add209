"""A throw-away PostgreSQL server for the tests, started by the test session itself.

Its programs come from the system where it has them (Debian's postgresql package, whose
contrib modules include pg_trgm), otherwise from the pgserver wheel that the test extra
installs, so that `make test` needs nothing installed by hand. The server listens on
127.0.0.1 only, on a free port, with password logins (scram-sha-256), its data in a
temporary folder. PostgreSQL refuses to run as root: as root, it runs as `nobody`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

USER = "recorder"
PASSWORD = "a household's secret"
_SEQUENCE = count(1)


PROGRAMS_ENV = "RECORDER_TEST_PG_BIN"
"""Names the folder of the server's programs to use (to try the pgserver wheel's where
the system has its own)."""


def programs() -> Path | None:
    """The folder of `initdb`, `pg_ctl` and `postgres`, or None where there is none."""
    if os.environ.get(PROGRAMS_ENV):
        return Path(os.environ[PROGRAMS_ENV])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    on_path = shutil.which("initdb")
    candidates = [p.parent for p in found]
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.submodule_search_locations:
        candidates.append(Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin")
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A running server and how to reach it."""

    port: int
    folder: Path

    def url(self, database: str = "postgres", *, password: str = PASSWORD) -> str:
        """A store URL for one of its databases."""
        from urllib.parse import quote

        return (
            f"postgresql+psycopg://{USER}:{quote(password, safe='')}@127.0.0.1:{self.port}"
            f"/{database}"
        )

    def admin(self, sql: str) -> None:
        """Run a statement outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, password=PASSWORD, dbname="postgres",
            autocommit=True,
        ) as conn:  # fmt: skip
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self) -> str:
        """A new, empty database's URL."""
        name = f"t{os.getpid()}_{next(_SEQUENCE)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database `new_database` made, whoever is still connected to it."""
        name = url.rsplit("/", 1)[1]
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _open_to_others(path: Path) -> bool:
    """Whether every folder down to `path` lets other users through (o+x)."""
    return all(folder.stat().st_mode & 0o001 for folder in [path, *path.parents])


def _programs_for(user: dict[str, object], folder: Path) -> Path:
    """Programs `nobody` can run: where they are, or a copy of their installation (the
    pgserver wheel's, in a checkout under a private folder) in a folder of its own."""
    if not user or _open_to_others(folder):
        return folder
    copy = Path(tempfile.mkdtemp(prefix="recorder-pg-programs-"))
    copy.chmod(0o755)
    # The wheel's programs find their libraries beside the package (pgserver.libs, by
    # a relative RPATH): copy both, as they lie.
    package = folder.parent.parent
    for item in (package, package.with_name(package.name + ".libs")):
        if item.is_dir():
            shutil.copytree(item, copy / item.name, symlinks=True)
    return copy / package.name / folder.parent.name / folder.name


def _as_unprivileged() -> dict[str, object]:
    """subprocess arguments that run a program as `nobody` when we are root."""
    if os.geteuid() != 0:
        return {}
    return {"user": "nobody", "group": "nogroup"}


@contextlib.contextmanager
def postgres_server() -> Iterator[Server]:
    """Create a cluster in a temporary folder, run it until the block ends, remove it."""
    bin_dir = programs()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL programs: install recorder's test extra (pgserver)")
    folder = Path(tempfile.mkdtemp(prefix="recorder-pg-"))
    data = folder / "data"
    data.mkdir()
    password_file = folder / "password"
    password_file.write_text(PASSWORD + "\n")
    user = _as_unprivileged()
    found, bin_dir = bin_dir, _programs_for(user, bin_dir)
    if user:
        folder.chmod(0o755)
        for item in (data, password_file):
            shutil.chown(item, "nobody", "nogroup")
    port = _free_port()
    log = folder / "server.log"
    try:
        subprocess.run(
            [
                str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--pwfile",
                str(password_file), "--auth=scram-sha-256", "--encoding=UTF8",
                "--locale=C.UTF-8", "--no-sync",
            ],
            check=True, capture_output=True, cwd=folder, **user,  # type: ignore[call-overload]
        )  # fmt: skip
        password_file.unlink()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100"
        )
        log.touch()
        if user:
            shutil.chown(log, "nobody", "nogroup")
        subprocess.run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w",
             "-t", "60", "start"],
            check=True, capture_output=True, cwd=folder, **user,  # type: ignore[call-overload]
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield Server(port, folder)
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace")
        if log.exists():
            detail += log.read_text(errors="replace")
        raise RuntimeError(f"PostgreSQL did not start: {detail}") from None
    finally:
        subprocess.run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True, cwd=folder, **user,  # type: ignore[call-overload]
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
        if bin_dir != found:  # the copy of the programs
            shutil.rmtree(bin_dir.parents[2], ignore_errors=True)
