"""The bundle manifest: what is inside, who wrote it, and the hash that ties it to the payload.

Serialized as canonical JSON (sorted keys, no spaces, ASCII) so the signed bytes are exactly the
stored bytes. Parsing is strict: an exact set of fields, each type- and size-checked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from guidecheck import canonical
from guidecheck.bundles.container import (
    FORMAT_VERSION,
    PAYLOAD_ENCRYPTED,
    PAYLOAD_PLAIN,
    check_format,
)
from guidecheck.bundles.errors import BundleRefused
from guidecheck.i18n import _

COUNT_KEYS: tuple[str, ...] = (
    "facilities",
    "tools",
    "assessments",
    "answers",
    "audit",
    "questionnaire_versions",
)


def count_keys(bundle_format: int) -> tuple[str, ...]:
    """The record counts a manifest of this format holds (format 2 added the monitoring log)."""
    from guidecheck.monitoring.bundle import lists_for

    return COUNT_KEYS + lists_for(bundle_format)


AUDIT_HEAD_FORMAT = 3  # the first format whose manifest carries the clinic's audit head


@dataclass(frozen=True)
class AuditHead:
    """The clinic's audit log as this bundle leaves it, signed with the manifest.

    The payload's audit entries are exactly `after_seq`+1 … `seq`, chained from `after_hash` (the
    head of the previous export, or the log's start for a full export) to `hash`; `count` is the
    number of entries in the clinic's whole log. A hub holding the entry at `after_seq` from an
    earlier bundle checks that it is the same one: a log rewritten since does not extend it.
    """

    after_seq: int
    after_hash: str
    seq: int
    hash: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"after_seq": self.after_seq, "after_hash": self.after_hash, "seq": self.seq,
                "hash": self.hash, "count": self.count}  # fmt: skip


_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
_FINGERPRINT = re.compile(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)")


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    device_id: str
    device_key: str  # hex of the raw Ed25519 public key
    created_at: str
    app_version: str
    facility_codes: tuple[str, ...]
    counts: dict[str, int]
    payload_name: str
    payload_sha256: str
    payload_size: int
    encrypted_to: tuple[str, ...]  # district key fingerprints; empty = signed only
    scope: str  # full | incremental
    since: str | None = None
    format: int = FORMAT_VERSION
    audit_head: AuditHead | None = None  # format 3 on; None in bundles of earlier versions

    def __post_init__(self) -> None:
        # exactly the counts this format declares (a missing one is 0), so a manifest built here
        # equals the same manifest read back
        counts = {key: int(self.counts.get(key, 0)) for key in count_keys(self.format)}
        object.__setattr__(self, "counts", counts)

    @property
    def short_id(self) -> str:
        return self.bundle_id[:8]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "kind": "guidecheck-bundle",
            "bundle_id": self.bundle_id,
            "device_id": self.device_id,
            "device_key": self.device_key,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "facility_codes": list(self.facility_codes),
            "counts": {key: int(self.counts.get(key, 0)) for key in count_keys(self.format)},
            "payload": {
                "name": self.payload_name,
                "sha256": self.payload_sha256,
                "size": self.payload_size,
            },
            "encrypted_to": list(self.encrypted_to),
            "scope": self.scope,
            "since": self.since,
        } | ({"audit": self.audit_head.to_dict()} if self.audit_head is not None else {})

    def to_bytes(self) -> bytes:
        return canonical_json(self.to_dict())


def canonical_json(value: Any) -> bytes:
    """A manifest's signed bytes: canonical JSON, ASCII only."""
    return canonical.canonical_json(value, ascii_only=True)


def parse_manifest(raw: bytes) -> Manifest:
    """Parse and check a manifest; any deviation from the documented shape is a refusal."""
    bad = BundleRefused(_("The bundle's manifest is not valid."))
    data = strict_json(raw, "ascii", bad)
    if not isinstance(data, dict):
        raise bad
    fmt = data.get("format")
    if type(fmt) is not int:
        raise bad
    check_format(fmt)
    expected = {
        "format", "kind", "bundle_id", "device_id", "device_key", "created_at", "app_version",
        "facility_codes", "counts", "payload", "encrypted_to", "scope", "since",
    }  # fmt: skip
    if fmt >= AUDIT_HEAD_FORMAT:
        expected.add("audit")
    if set(data) != expected or data["kind"] != "guidecheck-bundle":
        raise bad
    if canonical_json(data) != raw:
        raise bad  # one spelling per manifest: what was signed is what is read
    checks = [
        _is_str(data["bundle_id"], _HEX32),
        _is_str(data["device_id"], _ID),
        _is_str(data["device_key"], _HEX64),
        _is_str(data["created_at"], _TIME),
        isinstance(data["app_version"], str) and len(data["app_version"]) <= 40,
        isinstance(data["facility_codes"], list) and len(data["facility_codes"]) <= 1000,
        isinstance(data["counts"], dict) and set(data["counts"]) == set(count_keys(fmt)),
        isinstance(data["payload"], dict) and set(data["payload"]) == {"name", "sha256", "size"},
        isinstance(data["encrypted_to"], list) and len(data["encrypted_to"]) <= 8,
        data["scope"] in ("full", "incremental"),
        data["since"] is None or _is_str(data["since"], _TIME),
    ]
    if not all(checks):
        raise bad
    if not all(isinstance(code, str) and 0 < len(code) <= 100 for code in data["facility_codes"]):
        raise bad
    if not all(type(n) is int and 0 <= n <= 10_000_000 for n in data["counts"].values()):
        raise bad
    payload = data["payload"]
    if payload["name"] not in (PAYLOAD_ENCRYPTED, PAYLOAD_PLAIN) or not _is_str(
        payload["sha256"], _HEX64
    ):
        raise bad
    if type(payload["size"]) is not int or payload["size"] < 0:
        raise bad
    if not all(_is_str(fp, _FINGERPRINT) for fp in data["encrypted_to"]):
        raise bad
    if (payload["name"] == PAYLOAD_ENCRYPTED) != bool(data["encrypted_to"]):
        raise bad
    head = _audit_head(data["audit"], bad) if "audit" in data else None
    return Manifest(
        bundle_id=data["bundle_id"],
        device_id=data["device_id"],
        device_key=data["device_key"],
        created_at=data["created_at"],
        app_version=data["app_version"],
        facility_codes=tuple(data["facility_codes"]),
        counts=dict(data["counts"]),
        payload_name=payload["name"],
        payload_sha256=payload["sha256"],
        payload_size=payload["size"],
        encrypted_to=tuple(data["encrypted_to"]),
        scope=data["scope"],
        since=data["since"],
        format=fmt,
        audit_head=head,
    )


def _audit_head(data: Any, bad: BundleRefused) -> AuditHead:
    names = ("after_seq", "after_hash", "seq", "hash", "count")
    if not isinstance(data, dict) or set(data) != set(names):
        raise bad
    numbers = [data[k] for k in ("after_seq", "seq", "count")]
    if not all(type(n) is int and 0 <= n <= 2**62 for n in numbers):
        raise bad
    if not (_is_str(data["after_hash"], _HEX64) and _is_str(data["hash"], _HEX64)):
        raise bad
    if data["after_seq"] > data["seq"]:
        raise bad
    return AuditHead(**{k: data[k] for k in names})


def _is_str(value: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def strict_json(raw: bytes, encoding: str, refusal: BundleRefused) -> Any:
    """Decode JSON from a bundle, refusing bad text, NaN/Infinity and over-deep nesting alike."""
    try:
        return json.loads(
            raw.decode(encoding),
            parse_constant=reject_json_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise refusal from exc


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def reject_json_constant(name: str) -> Any:
    raise ValueError(name)
