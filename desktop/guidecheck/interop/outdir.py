"""Writing an export's files into one folder, each file whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.reports.files import write_atomically


def prepare_folder(path: str | os.PathLike[str]) -> Path:
    """The output folder, made when missing; one sentence when it cannot be used."""
    folder = Path(path).expanduser()
    try:
        if folder.exists() and not folder.is_dir():
            raise UserError(
                _("Cannot write the export to {path}: it is a file.").format(path=folder)
            )
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            _("Cannot write the export to {path}: {reason}.").format(
                path=folder, reason=(exc.strerror or str(exc)).lower()
            )
        ) from None
    if not os.access(folder, os.W_OK):
        raise UserError(
            _("Cannot write the export to {path}: the folder is read-only.").format(path=folder)
        )
    return folder


def write_json(folder: Path, name: str, data: Any) -> Path:
    """One pretty-printed UTF-8 JSON file in the folder, written atomically."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return write_atomically(folder / name, text.encode("utf-8"))
