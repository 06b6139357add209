"""A real IMAP server for the tests: pymap's in-memory backend on 127.0.0.1, started
by the test itself from the package the project installs (no root, no network)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

USER = "li"
PASSWORD = "correct horse"


@dataclass(frozen=True)
class Server:
    """A running server: where it listens, and how to put mail into it."""

    port: int
    host: str = "127.0.0.1"

    def append(self, folder: str, *messages: bytes) -> None:
        """Deliver messages into a folder (created if need be)."""
        from imapclient import IMAPClient

        with IMAPClient(self.host, port=self.port, ssl=False) as client:
            client.login(USER, PASSWORD)
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for message in messages:
                client.append(folder, message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def imap_server(log: Path, host: str = "127.0.0.1") -> Iterator[Server]:
    """Run pymap, without TLS, on `host` (a loopback address) until the block ends."""
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "pymap"),
        "--host", host, "--port", str(port), "--no-tls",
        "dict", "--demo-user", USER, "--demo-password", PASSWORD,
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection((host, port), 1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"pymap did not start: {log.read_text(errors='replace')}")
            time.sleep(0.05)
        yield Server(port, host)
    finally:
        process.terminate()
        process.wait(10)
