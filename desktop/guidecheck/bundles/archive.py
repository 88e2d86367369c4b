"""Keep a copy of every imported bundle in the hub's data folder (`home/archive/`).

The copy is written from the bytes that were verified (never re-read from the stick, which could
have changed meanwhile), and the source is only ever read.
"""

from __future__ import annotations

import re
from pathlib import Path

from guidecheck.atomic import write_atomic
from guidecheck.bundles.container import SUFFIX
from guidecheck.paths import archive_dir


def archive_bundle(home: Path, source_name: str, data: bytes, sha256: str) -> Path:
    """Store `data` in archive/ under its source name (plus a hash on a clash); same bytes stored once."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(source_name).name)
    stem = stem[: -len(SUFFIX)] if stem.endswith(SUFFIX) else stem
    stem = stem.strip("._")[:100] or "bundle"
    folder = archive_dir(home)
    for name in (f"{stem}{SUFFIX}", f"{stem}-{sha256[:12]}{SUFFIX}"):
        target = folder / name
        if target.exists():
            if target.read_bytes() == data:
                return target
            continue
        try:
            return write_atomic(target, data)
        except FileExistsError:
            if target.read_bytes() == data:
                return target
    return write_atomic(folder / f"{sha256}{SUFFIX}", data, overwrite=True)
