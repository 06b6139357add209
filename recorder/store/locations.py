"""Where recorder keeps its data: the store, attachments and backups (platformdirs)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "recorder"
STORE_FILE = "recorder.sqlite3"
ATTACHMENTS_DIR = "attachments"
DB_ENV = "RECORDER_DB"
DATA_ENV = "RECORDER_DATA_DIR"
MEMBER_ENV = "RECORDER_MEMBER"
"""Who you are, in a store several people keep: the name your changes carry."""


def default_data_dir() -> Path:
    """The user's data directory for recorder, or `RECORDER_DATA_DIR` when set."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    # platformdirs is imported here, not at module level, to keep start-up lean.
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


CONFIG_ENV = "RECORDER_CONFIG_DIR"
LANGUAGE_FILE = "language"


def config_dir() -> Path:
    """The user's configuration directory for recorder (`RECORDER_CONFIG_DIR` when set):
    what is the person's, not the store's (a store may be a household's)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def saved_language() -> str | None:
    """The language chosen in the TUI, or None when none was (or it cannot be read)."""
    try:
        text = (config_dir() / LANGUAGE_FILE).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def save_language(code: str) -> None:
    """Keep the language chosen in the TUI for the next runs (written whole, then
    renamed over the old choice)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / (LANGUAGE_FILE + ".partial")
    partial.write_text(code + "\n", "utf-8")
    partial.replace(folder / LANGUAGE_FILE)


@dataclass(frozen=True)
class Locations:
    """The places one store uses.

    Attributes:
        url: the SQLAlchemy URL of the store.
        database: the SQLite file, or None for a server database.
        attachments: the directory that holds attachment files, named by SHA-256 (a
            store on a server keeps them in its database instead).
    """

    url: str
    database: Path | None
    attachments: Path

    @property
    def data_dir(self) -> Path:
        """The directory that holds the store's files."""
        return self.attachments.parent

    @property
    def shown(self) -> str:
        """The store as recorder shows it: the file, or the URL without its password."""
        return str(self.database) if self.database is not None else without_password(self.url)


def without_password(url: str) -> str:
    """A store URL fit to show: a password in it becomes `***`."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    credentials, at, host = authority.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}{slash}{path}"


def resolve(db: str | None = None) -> Locations:
    """Work out the store from `--db`, then `RECORDER_DB`, then the default location.

    A value with `://` in it is a SQLAlchemy URL; anything else is a path to a SQLite
    file. A SQLite store keeps its attachments in a directory beside the file; a server
    store keeps them in the user's data directory.
    """
    value = db or os.environ.get(DB_ENV) or None
    if value is None:
        data = default_data_dir()
        return Locations(
            url=sqlite_url(data / STORE_FILE),
            database=data / STORE_FILE,
            attachments=data / ATTACHMENTS_DIR,
        )
    if "://" in value:
        path = sqlite_path(value)
        if path is not None:
            return Locations(url=value, database=path, attachments=path.parent / ATTACHMENTS_DIR)
        return Locations(url=value, database=None, attachments=default_data_dir() / ATTACHMENTS_DIR)
    path = Path(value).expanduser().absolute()
    return Locations(url=sqlite_url(path), database=path, attachments=path.parent / ATTACHMENTS_DIR)


def escape_path(path: Path) -> str:
    """A path as it stands in a URL: `%`, `?` and `#` percent-encoded, the rest as is.

    Both SQLAlchemy URLs and SQLite's own `file:` URIs decode these; unescaped, a `?`
    in a directory name would end the path there.
    """
    return str(path).replace("%", "%25").replace("?", "%3F").replace("#", "%23")


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{escape_path(path)}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a `sqlite:///` URL, or None for other URLs and in-memory SQLite."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix) :].split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    from urllib.parse import unquote  # as SQLAlchemy reads the database part of a URL

    return Path(unquote(rest)).expanduser().absolute()
