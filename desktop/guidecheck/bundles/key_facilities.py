"""The district's list of facilities (names and codes) carried by its `.gckey` file, if any.

A nurse may not know the facility code the district uses; when the district key file lists the
district's facilities, the new-assessment screen offers them to pick from (free entry stays
possible). The list is read leniently: a key file without one, or with lines this version does not
know, simply gives no list. Accepted forms, one facility each:

    facility: KE-0042 | Kisumu East Health Centre | Kisumu East | Western
    facilities: [{"code": "KE-0042", "name": "Kisumu East Health Centre", "district": "…"}]

At installation the list is kept beside the installed key (keys/district-facilities.json).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from guidecheck.atomic import write_atomic

FACILITIES_FILE = "district-facilities.json"
MAX_FACILITIES = 5000
MAX_TEXT = 120
MAX_FILE = 2_000_000


@dataclass(frozen=True)
class KeyFacility:
    code: str
    name: str
    district: str = ""
    region: str = ""


def _clean(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    return " ".join("".join(ch for ch in text if ch.isprintable()).split())[:MAX_TEXT]


def _from_parts(parts: list[Any]) -> KeyFacility | None:
    fields = [_clean(part) for part in parts[:4]] + ["", "", "", ""]
    code, name, district, region = fields[:4]
    if not code or not name:
        return None
    return KeyFacility(code=code, name=name, district=district, region=region)


def _from_json(value: str) -> list[KeyFacility]:
    try:
        data = json.loads(value)
    except ValueError:
        return []
    found: list[KeyFacility] = []
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict):
            facility = _from_parts(
                [entry.get("code"), entry.get("name"), entry.get("district"), entry.get("region")]
            )
        elif isinstance(entry, list):
            facility = _from_parts(entry)
        else:
            facility = None
        if facility is not None:
            found.append(facility)
    return found


def facilities_from_key_text(text: str) -> list[KeyFacility]:
    """The facilities a `.gckey` text lists (possibly none), in file order, codes unique."""
    found: list[KeyFacility] = []
    for line in text.splitlines():
        field, _sep, value = line.strip().partition(":")
        field, value = field.strip().lower(), value.strip()
        if field == "facilities":
            found.extend(_from_json(value))
        elif field == "facility":
            separator = next((s for s in ("|", "\t", ";") if s in value), None)
            parts = value.split(separator) if separator else value.split(None, 1)
            facility = _from_parts(parts)
            if facility is not None:
                found.append(facility)
    unique: dict[str, KeyFacility] = {}
    for facility in found:
        unique.setdefault(facility.code, facility)
    return list(unique.values())[:MAX_FACILITIES]


def facilities_from_key_file(path: Path) -> list[KeyFacility]:
    """Leniently read a key file's facility list; an unreadable file gives no list."""
    try:
        if Path(path).stat().st_size > MAX_FILE:
            return []
        return facilities_from_key_text(Path(path).read_bytes().decode("utf-8", "replace"))
    except OSError:
        return []


def save_key_facilities(home: Path, facilities: list[KeyFacility]) -> Path:
    """Keep the district's facility list beside the installed district key."""
    folder = Path(home) / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps([asdict(f) for f in facilities], ensure_ascii=False, indent=1)
    return write_atomic(folder / FACILITIES_FILE, data.encode("utf-8"), overwrite=True)


def installed_key_facilities(home: Path) -> list[KeyFacility]:
    """The facility list kept at installation, else any list in the installed key file."""
    kept = Path(home) / "keys" / FACILITIES_FILE
    try:
        if kept.exists() and kept.stat().st_size <= MAX_FILE:
            return _from_json(kept.read_text("utf-8", errors="replace"))
    except OSError:
        return []
    return facilities_from_key_file(Path(home) / "keys" / "district.gckey")
