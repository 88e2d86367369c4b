"""Writing a finished report to disk in one step (`guidecheck.atomic`), so a failed export or a
power cut never leaves half a file."""

from __future__ import annotations

import os
from pathlib import Path

from guidecheck.atomic import write_atomic
from guidecheck.errors import UserError
from guidecheck.i18n import _


def check_writable(path: str | os.PathLike[str]) -> Path:
    """The target as a Path; a UserError (one sentence) when it cannot be written there."""
    target = Path(path).expanduser()
    try:
        is_folder = target.is_dir()
        folder_exists = target.parent.is_dir()
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    if is_folder:
        raise UserError(_("Cannot write the report to {path}: it is a folder.").format(path=target))
    if not folder_exists:
        raise UserError(
            _("Cannot write the report to {path}: the folder {folder} does not exist.").format(
                path=target, folder=target.parent
            )
        )
    if not os.access(target.parent, os.W_OK):
        raise UserError(
            _("Cannot write the report to {path}: the folder is read-only.").format(path=target)
        )
    return target


def _cannot_write(target: Path, exc: OSError) -> UserError:
    reason = (exc.strerror or str(exc)).lower()
    return UserError(
        _("Cannot write the report to {path}: {reason}.").format(path=target, reason=reason)
    )


def write_atomically(path: str | os.PathLike[str], content: bytes) -> Path:
    """Write `content` to `path` through the one atomic writer; a UserError if it cannot."""
    target = check_writable(path)
    try:
        return write_atomic(target, content, overwrite=True)
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
