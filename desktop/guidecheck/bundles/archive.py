"""Keep one copy of every imported bundle in the hub's data folder (`home/archive/`).

Copies are named from their verified content (facility, date, content hash), never from the
source file's name, so renamed copies of one bundle are archived once and a hostile file name
never reaches the disk. The copy is written from the bytes that were verified (never re-read
from the stick), and the source is only ever read. Held bundles wait in `home/held/`.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from guidecheck.atomic import write_atomic
from guidecheck.bundles.container import SUFFIX
from guidecheck.bundles.manifest import Manifest
from guidecheck.paths import archive_dir, private_dir


def held_dir(home: Path) -> Path:
    """Where bundles from devices not yet approved wait (owner-only on POSIX)."""
    return private_dir(Path(home) / "held")


def archive_name(manifest: Manifest, sha256: str) -> str:
    codes = manifest.facility_codes
    facility = codes[0] if len(codes) == 1 else ("multi" if codes else "none")
    facility = re.sub(r"[^A-Za-z0-9_-]+", "_", facility)[:40].strip("_") or "x"
    stamp = re.sub(r"[^0-9]", "", manifest.created_at)[:12]
    return f"guidecheck-{facility}-{stamp}-{sha256[:16]}{SUFFIX}"


def archive_bundle(
    home: Path, conn: sqlite3.Connection, manifest: Manifest, data: bytes, sha256: str
) -> tuple[Path, bool]:
    """(path of the archived copy, whether it was written now); one copy per distinct content."""
    row = conn.execute(
        "SELECT archive_path FROM bundle_imports WHERE sha256 = ? LIMIT 1", (sha256,)
    ).fetchone()
    if row is not None and Path(row[0]).is_file():
        return Path(row[0]), False
    target = archive_dir(home) / archive_name(manifest, sha256)
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return target, False
    return write_atomic(target, data, private=True, overwrite=True), True
