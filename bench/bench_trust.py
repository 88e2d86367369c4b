"""Peak memory of the district hub importing hostile bundles up to the format's size limit.

Cases (each a real bundle file, signed by a device and encrypted to the hub, imported by the real
`guidecheck bundle import` command in a child process whose peak resident memory is read back):
- amplification: ~66 kB that inflates to 64 MiB of tiny JSON objects (`{}`), three files in one run
  (refused data must be freed before the next file), and 32 MiB of them (the format's limit);
- long texts: 32 MiB of audit entries with 80,000-character fields (ASCII, then with one emoji per
  field, which would make Python hold the whole text at 4 bytes per character).
The target is under 300 MB for every case. Run: .venv/bin/python bench/bench_trust.py
"""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from guidecheck.bundles import container, keys, seal
from guidecheck.bundles.manifest import Manifest
from guidecheck.paths import database_path
from guidecheck.storage.store import Store, now_iso
from peak import CHILD_PEAK_CODE, parse_mib, shown

LIMIT = container.MAX_PAYLOAD_JSON
EMPTY = {"facilities": [], "tools": [], "questionnaire_versions": [], "assessments": []}


def sign_bundle(clinic: Path, hub_key: keys.DistrictKey, device_id: str, raw: bytes,
                counts: dict[str, int]) -> bytes:  # fmt: skip
    device = keys.device_key(clinic)
    stored = seal.encrypt(seal.compress(raw), [hub_key.recipient])
    manifest = Manifest(
        bundle_id=uuid.uuid4().hex, device_id=device_id, device_key=device.public_hex,
        created_at=now_iso(), app_version="bench", facility_codes=(), counts=counts,
        payload_name=container.PAYLOAD_ENCRYPTED, payload_sha256=seal.sha256_hex(stored),
        payload_size=len(stored), encrypted_to=(hub_key.fingerprint,), scope="full", since=None,
    )  # fmt: skip
    body = manifest.to_bytes()
    return container.pack(
        container.Container(
            body, seal.sign(device.private, body), container.PAYLOAD_ENCRYPTED, stored
        )
    )


def counts_for(audit: int) -> dict[str, int]:
    return {"facilities": 0, "tools": 0, "assessments": 0, "answers": 0, "audit": audit,
            "questionnaire_versions": 0}  # fmt: skip


def amplification(size: int) -> tuple[bytes, int]:
    head = b'{"assessments":[],"facilities":[],"questionnaire_versions":[],"tools":[],"audit":['
    n = (size - len(head) - 2) // 3
    return head + b"{}," * (n - 1) + b"{}]}", 10_000_000  # the largest count a manifest may claim


def long_texts(emoji: bool) -> tuple[bytes, int]:
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + " "
    entries, size = [], 200
    while True:
        text = "".join(rng.choices(alphabet, k=79_990)) + ("\U0001f600" if emoji else "")
        entry = {"seq": len(entries) + 1, "at": "2026-11-01T00:00:00.000Z", "actor": "a",
                 "device_id": "d", "entity": "answer", "entity_id": "x", "action": "set",
                 "field": "note", "old": None, "new": text, "prev_hash": "0" * 64, "hash": "0" * 64}  # fmt: skip
        size += len(json.dumps(entry, ensure_ascii=False).encode()) + 1
        if size > LIMIT - 4096:
            break
        entries.append(entry)
    raw = json.dumps({**EMPTY, "audit": entries}, ensure_ascii=False).encode("utf-8")
    return raw, len(entries)


def main() -> int:
    worst: float | None = None  # None where the platform reports no peak (Windows)
    with tempfile.TemporaryDirectory(prefix="gc-trust-") as temp:
        # Keys are protected as on a real installation (production scrypt cost); the passphrase
        # comes from a file, as for any script (docs/security.md, "Keys at rest").
        (Path(temp) / "passphrase.txt").write_text("bench passphrase\n", encoding="utf-8")
        os.environ["GUIDECHECK_PASSPHRASE_FILE"] = str(Path(temp) / "passphrase.txt")
        root = Path(temp)
        hub, clinic = root / "hub", root / "clinic"
        hub_key = keys.create_district_identity(hub, "Bench district")
        with Store(database_path(clinic)) as store:
            device_id = store.device_id
        with Store(database_path(hub)):
            pass
        cases = [
            ("amplification x3 (64 MiB of {})", lambda: amplification(64 * 1024 * 1024), 3),
            ("amplification at the limit (32 MiB of {})", lambda: amplification(LIMIT), 1),
            ("long ASCII texts", lambda: long_texts(False), 1),
            ("long texts with emoji", lambda: long_texts(True), 1),
        ]
        for label, make, copies in cases:
            raw, n = make()
            inflated = len(raw)
            data = sign_bundle(clinic, hub_key, device_id, raw, counts_for(n))
            del raw
            files = []
            for i in range(copies):  # renamed copies: each is verified and refused on its own
                path = root / f"case{len(label)}-{i}.gcbundle"
                path.write_bytes(data)
                files.append(path)
            size = len(data)
            del data
            # Each case in a fresh child process, so its peak is its own.
            peak, elapsed, out = run_import_fresh(hub, files)
            if peak is not None:
                worst = max(worst or 0.0, peak)
            print(f"{label}: file {size / 1e3:,.0f} kB x{copies}, {inflated / 2**20:.0f} MiB of JSON; "
                  f"hub peak memory {shown(peak)}; {elapsed:.1f} s")  # fmt: skip
            for line in out.splitlines()[:1]:
                print("   ", line[:160])
    print(f"worst peak: {shown(worst)} (target < 300 MB)")
    return 0 if worst is None or worst < 300 else 1


def run_import_fresh(home: Path, files: list[Path]) -> tuple[float | None, float, str]:
    """Run the import in a grandchild so RUSAGE_CHILDREN reports this case's peak alone."""
    script = (
        "import subprocess, sys, time\n" + CHILD_PEAK_CODE + "t = time.perf_counter()\n"
        "r = subprocess.run([sys.executable, '-m', 'guidecheck.cli.main', '--home', sys.argv[1], 'bundle', 'import', *sys.argv[2:]], capture_output=True, text=True)\n"
        "print(peak('RUSAGE_CHILDREN'), time.perf_counter() - t)\n"
        "print((r.stdout + r.stderr).strip())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(home), *map(str, files)],
                          capture_output=True, text=True, check=True, env={**os.environ})  # fmt: skip
    first, _, rest = done.stdout.partition("\n")
    peak_kb, elapsed = first.split()
    return parse_mib(peak_kb), float(elapsed), rest


if __name__ == "__main__":
    sys.exit(main())
