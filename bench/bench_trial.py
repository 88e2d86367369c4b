"""The district trial: 50 clinics, ~200 bundles on one stick, one byte-flipped, one from a laptop
the hub never approved; imported with the real CLI, then each clinic's laptop approved.

Prints the time and peak memory of `guidecheck bundle import` over the whole stick (every bundle
verified and held, since no laptop is approved yet), of the 50 approvals (each applies its held
bundles), and of a second import of the stick (everything already imported or refused).
Run: .venv/bin/python bench/bench_trial.py [--clinics 50] [--bundles-per-clinic 4] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from guidecheck.bundles import keys
from guidecheck.bundles.export import export_bundle
from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile
from guidecheck.paths import database_path, questionnaires_dir
from guidecheck.storage.store import Store
from peak import CHILD_PEAK_CODE, parse_mib, shown
from sample_answers import value_for


def build(root: Path, clinics: int, per_clinic: int) -> tuple[Path, Path, list[str]]:
    who = load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")
    items = [i for i in who.items if not i.condition][:60]
    hub, stick = root / "hub", root / "stick"
    stick.mkdir()
    key_file = keys.write_district_key_file(
        [keys.create_district_identity(hub, "Trial")], root / "d.gckey"
    )
    devices = []
    for c in range(clinics + 1):  # the last one is the laptop nobody approves
        home = root / f"clinic{c:02d}"
        keys.install_district_keys(home, key_file)
        code = f"KSM-{c:03d}" if c < clinics else "KSM-000"
        with Store(database_path(home)) as store:
            for b in range(per_clinic if c < clinics else 1):
                profile = Profile(facility_name=f"Clinic {c}", facility_code=code, district="Kisumu",
                                  region="Nyanza", tool_name=f"Tool {b}", tool_vendor="Acme", tool_version="1",
                                  use_category="patient_triage", phase="routine", assessor_name="A", assessor_role="Nurse",
                                  date="2026-11-20")  # fmt: skip
                with store.atomic():
                    assessment = store.new_assessment(who, profile)
                    for n, item in enumerate(items):
                        store.save_answer(assessment.id, item.id, value_for(item, n + b))
                time.sleep(0.002)
                export_bundle(home, store, stick)
            if c < clinics:
                devices.append(store.device_id)
    victim = sorted(stick.iterdir())[7]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    return hub, stick, devices


def timed(argv: list[str]) -> tuple[float, float | None, str]:
    """(seconds, peak MB or None where unknown, output) of one CLI command in a child process."""
    script = (
        "import subprocess, sys, time\n" + CHILD_PEAK_CODE + "t = time.perf_counter()\n"
        "r = subprocess.run([sys.executable, '-m', 'guidecheck.cli.main', *sys.argv[1:]], capture_output=True, text=True)\n"
        "print(time.perf_counter() - t, peak('RUSAGE_CHILDREN'))\n"
        "print(r.stdout + r.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *argv], capture_output=True, text=True, check=True
    )
    first, _, rest = done.stdout.partition("\n")
    seconds, peak = first.split()
    return float(seconds), parse_mib(peak), rest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=50)
    parser.add_argument("--bundles-per-clinic", type=int, default=4)
    parser.add_argument("--keep", metavar="DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gc-trial-") as temp:
        # Keys are protected as on a real installation (production scrypt cost); the passphrase
        # comes from a file, as for any script (docs/security.md, "Keys at rest").
        (Path(temp) / "passphrase.txt").write_text("bench passphrase\n", encoding="utf-8")
        os.environ["GUIDECHECK_PASSPHRASE_FILE"] = str(Path(temp) / "passphrase.txt")
        root = Path(args.keep or temp)
        root.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        hub, stick, devices = build(root, args.clinics, args.bundles_per_clinic)
        files = sorted(str(p) for p in stick.iterdir())
        print(f"built {len(files)} bundles from {args.clinics + 1} laptops in "
              f"{time.perf_counter() - started:.0f} s (not part of the figures)")  # fmt: skip
        seconds, peak, out = timed(["--home", str(hub), "bundle", "import", *files])
        lines = out.splitlines()
        held = sum(": held: " in line for line in lines)
        refused = [line for line in lines if ": refused: " in line]
        print(
            f"import of the stick: {seconds:.1f} s, peak {shown(peak)}; {held} held, {len(refused)} refused"
        )
        for line in refused:
            print("   ", line[:150])
        approve_time, applied, failed = 0.0, 0, 0
        approve_peak: float | None = None
        for n, device in enumerate(devices):
            seconds, peak, out = timed(
                ["--home", str(hub), "device", "approve", device, "--facility", f"KSM-{n:03d}"]
            )
            approve_time += seconds
            if peak is not None:
                approve_peak = max(approve_peak or 0.0, peak)
            applied += out.count(" new, ")
            failed += out.count(": refused: ")
        print(f"{len(devices)} approvals (each applies its held bundles): {approve_time:.1f} s in all, "
              f"peak {shown(approve_peak)}; {applied} bundles applied, {failed} refused")  # fmt: skip
        seconds, peak, out = timed(["--home", str(hub), "device", "pending", "--json"])
        waiting = json.loads(
            out.split("\n", 1)[0] if out.startswith("[]") else out[: out.rindex("]") + 1]
        )
        print(
            f"still waiting: {len(waiting)} bundle(s) from {len({w['device_id'] for w in waiting})} laptop(s)"
        )
        seconds, peak, out = timed(["--home", str(hub), "bundle", "import", *files])
        print(f"second import of the stick: {seconds:.1f} s, peak {shown(peak)} "
              f"({out.count('(already imported)')} already imported)")  # fmt: skip
        with Store(database_path(hub)) as store:
            count = store.conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT facility_code) FROM assessments"
            ).fetchone()
        print(f"hub holds {count[0]} assessments of {count[1]} facilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
