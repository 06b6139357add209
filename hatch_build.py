"""Compile the gettext catalogs (recorder/locale/*/LC_MESSAGES/recorder.po) into the
.mo files recorder reads, whenever a wheel or an editable install is built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogsHook(BuildHookInterface):  # type: ignore[type-arg]
    """Write each catalog's .mo beside its .po, where `recorder.domain.i18n` looks."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path(self.root, "recorder", "locale").glob("*/LC_MESSAGES/recorder.po"):
            with po.open("rb") as source:
                catalog = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
