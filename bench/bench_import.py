"""Import 1,000 sync bundles (~70 answers each) into a district hub, beside its verify floor.

The bundles are made through the real export path (collect, gzip, age-encrypt, sign, safe write,
read back) from a few clinic data folders; each bundle carries one new assessment whose 70
answers were entered through the real store, so each bundle also carries the clinic's real audit
entries and signed audit head, which the hub checks and replays as it would in the field. The
clinics' laptops are approved at the hub first (bundles from unknown devices are only held).

Printed figures, all from the same run and the same (already read once) files:
- the verify floor: verify + decrypt + parse of every bundle alone (`open_bundle_file`, with the
  district key read once, as the command reads it), which any import must do; nothing is
  written. Verifying includes holding the clinic's ~140 audit entries to the audit head signed
  in the manifest (`audit_chain`, about 0.4 ms a bundle): a property of the bundle alone, which
  `bundle verify` reports too and the import reuses (until issue 11's last change it was done by
  the import itself, and the ratio was about 0.06 higher for the same total time). It is timed in turn with the import, 100 files each, so that the load of a busy
  machine weighs on both alike. Where its time goes (1,000 bundles of 75 kB, each carrying a
  293 kB copy of its checklist in 314 kB of JSON): age decryption streamed into bounded gunzip
  about a quarter; the payload checks (`parse_payload`) about two thirds, mostly proportional to
  the JSON's size: the bound scan of the raw text (`boundedjson.count_tokens`, whose fast path the
  checklist copy's many commas and quotes defeat, so every string is emptied by a regular
  expression first), the JSON decode itself, the SHA-256 of the checklist copy and the per-field
  checks of the 70 answers; the file read, manifest, Ed25519 signature and hashes the rest;
- the full import as `guidecheck bundle import` runs it (`import_batch.import_files`: apply,
  archive, durable commits), and its ratio to the floor (at most 1.5: issue 11). Beyond the floor
  it parses the checklist once per command, checks and scores each assessment, encodes its
  received version once, writes its rows, and flushes the archive copies and commits once per
  group of about a second of work;
- with --per-file, also the same import one file at a time (`import_file`: one transaction and
  two archive fsyncs per file), the way every import ran before the command grouped them;
- plain executemany of the same answer rows, as a lower bound for SQLite itself.
Run: .venv/bin/python bench/bench_import.py [--bundles N] [--answers N] [--clinics N] [--keep DIR]
     [--per-file] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

from guidecheck.bundles import enrolment, keys
from guidecheck.bundles.approval import approve_device
from guidecheck.bundles.export import export_bundle
from guidecheck.bundles.import_batch import import_files
from guidecheck.bundles.importer import import_file
from guidecheck.bundles.verify import open_bundle_file
from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile
from guidecheck.paths import database_path, questionnaires_dir
from guidecheck.storage.store import Store, now_iso
from sample_answers import value_for


def build(folder: Path, bundles: int, answers: int, clinics: int) -> tuple[Path, list[Path]]:
    hub = folder / "hub"
    key = keys.create_district_identity(hub, "Bench district")
    key_file = keys.write_district_key_file([key], folder / "district.gckey")
    questionnaire = load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")
    out = folder / "bundles"
    out.mkdir()
    for c in range(clinics):
        home = folder / f"clinic{c}"
        keys.install_district_keys(home, key_file)
        with Store(database_path(home)) as store:
            profile = Profile(facility_name=f"Clinic {c}", facility_code=f"BEN-{c:03d}", tool_name="ChestScan",
                              use_category="diagnostic_imaging", phase="routine", assessor_name="Bench", date="2026-11-20")  # fmt: skip
            template = store.new_assessment(questionnaire, profile).id
            for n, item in enumerate(questionnaire.items[:answers]):
                store.save_answer(template, item.id, value_for(item, n), note=f"note {n}")
            export_bundle(home, store, folder)  # the template goes to a bundle we do not import
            for b in range(c, bundles, clinics):
                with store.atomic():  # made through the store, so its audit log is the real one
                    new_id = store.new_assessment(questionnaire, profile).id
                    for n, item in enumerate(questionnaire.items[:answers]):
                        store.save_answer(new_id, item.id, value_for(item, n), note=f"note {n}")
                path = export_bundle(home, store, out).path
                path.rename(out / f"{b:05d}-{path.name}")
        print(f"  clinic {c}: built {len(range(c, bundles, clinics))} bundles", flush=True)
    return hub, sorted(out.iterdir())


def plain_rows(paths: list[Path], hub: Path) -> list[tuple]:
    """The same answer rows, decrypted once, for the executemany baseline (not timed)."""
    from guidecheck.bundles import container, seal

    identity, _public = keys.district_identity(hub)
    rows: dict[tuple[str, str], tuple] = {}  # a row sent twice (same-millisecond edit) counts once
    for path in paths:
        payload = json.loads(
            seal.decompress(
                seal.decrypt(container.unpack(path.read_bytes()).payload, identity), 10**8
            )
        )
        for a in payload["assessments"]:
            for x in a["answers"]:
                rows[(a["id"], x["item_id"])] = (
                    a["id"],
                    x["item_id"],
                    x["value_json"],
                    x["note"],
                    x["answered_at"],
                    x["answered_by"],
                )
    return list(rows.values())


def approve_clinics(home: Path, store: Store, paths: list[Path]) -> None:
    """Approve every clinic laptop that wrote one of `paths` for the facilities it names."""
    from guidecheck.bundles import container
    from guidecheck.bundles.manifest import parse_manifest

    devices: dict[tuple[str, str], set[str]] = {}
    for path in paths:
        m = parse_manifest(container.unpack(path.read_bytes()).manifest)
        devices.setdefault((m.device_id, m.device_key), set()).update(m.facility_codes)
    for (device_id, key), codes in devices.items():
        with store.atomic():
            enrolment.record_pending(store.conn, device_id, key, now_iso())
        approve_device(home, store, device_id, sorted(codes) or ["-"])


def fresh_hub(folder: Path, hub: Path, paths: list[Path]) -> Path:
    """A new data folder holding the hub's identity, with every clinic's laptop approved (the
    officer's step, before the timing)."""
    home = folder / f"import-{uuid.uuid4().hex[:6]}"
    (home / "keys").mkdir(parents=True)
    for f in (hub / "keys").iterdir():
        (home / "keys" / f.name).write_bytes(f.read_bytes())
    with Store(database_path(home)) as store:
        approve_clinics(home, store, paths)
    return home


def floor(home: Path, paths: list[Path]) -> float:
    """Seconds to verify, decrypt and parse every bundle: what any import must do first. The
    district key is read once, as the import command reads it."""
    started = time.perf_counter()
    hub_key = keys.district_identity(home)
    for path in paths:
        open_bundle_file(path, home, hub_key=hub_key)
    return time.perf_counter() - started


def timed_import(
    home: Path, paths: list[Path], per_file: bool, chunk: int = 100
) -> tuple[float, float, int, int]:
    """(floor seconds, import seconds, files refused, answers in the hub) for every bundle.

    The floor and the import alternate by chunks of `chunk` files, so a busy machine slows both
    alike and their ratio stays meaningful; the import of each chunk is one command's loop (its
    groups commit at least once per chunk: never fewer commits than one long command)."""
    floor_s = import_s = 0.0
    refused = 0
    with Store(database_path(home)) as store:
        for start in range(0, len(paths), chunk):
            part = paths[start : start + chunk]
            floor_s += floor(home, part)
            started = time.perf_counter()
            if per_file:
                refused += sum(not import_file(home, store, path).imported for path in part)
            else:
                refused += sum(not o.imported for o in import_files(home, store, part))
            import_s += time.perf_counter() - started
        answers = store.conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    return floor_s, import_s, refused, answers


def print_profile(home: Path, paths: list[Path]) -> None:
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(floor, home, paths)
    print("profile of the verify floor (cProfile, by own time):")
    pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundles", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=70)
    parser.add_argument("--clinics", type=int, default=4)
    parser.add_argument(
        "--keep", metavar="DIR", help="build into DIR (reused when it already holds bundles)"
    )
    parser.add_argument("--per-file", action="store_true", help="also time the file-by-file import")
    parser.add_argument("--profile", action="store_true", help="print a profile of the floor")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gc-bench-") as temp:
        # Keys are protected as on a real installation (production scrypt cost); the passphrase
        # comes from a file, as for any script (docs/security.md, "Keys at rest").
        (Path(temp) / "passphrase.txt").write_text("bench passphrase\n", encoding="utf-8")
        os.environ["GUIDECHECK_PASSPHRASE_FILE"] = str(Path(temp) / "passphrase.txt")
        folder = Path(args.keep) if args.keep else Path(temp)
        if (folder / "bundles").is_dir():
            hub, paths = folder / "hub", sorted((folder / "bundles").iterdir())
            print(f"reusing {len(paths)} bundles in {folder}")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            hub, paths = build(folder, args.bundles, args.answers, args.clinics)
            print(
                f"built {len(paths)} bundles in {time.perf_counter() - started:.1f} s (not part of the figure)"
            )
        size = sum(p.stat().st_size for p in paths)
        for path in paths:  # every timed pass reads the files from the page cache alike
            path.read_bytes()
        import_home = fresh_hub(folder, hub, paths)
        floor_s, elapsed, refused, answers = timed_import(import_home, paths, per_file=False)
        if args.per_file:
            floor_pf, per_file_s, refused_per_file, _answers = timed_import(
                fresh_hub(folder, hub, paths), paths, per_file=True
            )
            refused += refused_per_file
        if args.profile:
            print_profile(import_home, paths)
        rows = plain_rows(paths, hub)
        baseline = folder / f"plain-{uuid.uuid4().hex[:6]}.db"
        conn = sqlite3.connect(baseline, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE answers (assessment_id TEXT, item_id TEXT, value_json TEXT, note TEXT,"
                     " answered_at TEXT, answered_by TEXT, PRIMARY KEY (assessment_id, item_id)) WITHOUT ROWID")  # fmt: skip
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        plain_one = time.perf_counter() - started
        conn.execute("DELETE FROM answers")
        per_bundle = max(1, len(rows) // max(1, len(paths)))
        started = time.perf_counter()
        for i in range(0, len(rows), per_bundle):
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)", rows[i : i + per_bundle]
            )
            conn.execute("COMMIT")
        plain_many = time.perf_counter() - started
        conn.close()
    n = len(paths)
    print(
        f"bundles: {n} ({size / 1e6:.1f} MB on disk), refused: {refused}, answers in hub: {answers}"
    )
    print(f"verify floor (verify+decrypt+parse, nothing written): {floor_s:.2f} s, "
          f"{1000 * floor_s / n:.1f} ms/bundle")  # fmt: skip
    print(f"bundle import as the command runs it (grouped commits): {elapsed:.2f} s, "
          f"{1000 * elapsed / n:.1f} ms/bundle, {answers / elapsed:,.0f} answers/s, "
          f"{elapsed / floor_s:.2f}x the floor")  # fmt: skip
    if args.per_file:
        print(f"bundle import file by file (1 transaction each):     {per_file_s:.2f} s, "
              f"{1000 * per_file_s / n:.1f} ms/bundle, {per_file_s / floor_pf:.2f}x its floor ({floor_pf:.2f} s)")  # fmt: skip
    print(
        f"plain executemany, one transaction:        {plain_one:.3f} s, {len(rows) / plain_one:,.0f} rows/s"
    )
    print(
        f"plain executemany, one transaction/bundle: {plain_many:.2f} s, {len(rows) / plain_many:,.0f} rows/s"
    )
    return 0 if refused == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
