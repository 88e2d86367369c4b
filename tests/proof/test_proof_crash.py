"""Crash safety: a real process saving answers and importing bundles is killed with SIGKILL at
random moments; after every kill the database is intact and holds everything it promised.

After each kill: `PRAGMA integrity_check` is "ok"; every answer the process reported as saved is
there with that value (the one save in flight may have landed or not); every bundle is either
wholly imported (its import row and all its assessments with all their answers) or left no trace
in the database; the audit chain still verifies; and the store opens again normally.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from proofkit import TALLY, WHO_PATH, cli_env, integrity

from guidecheck.checklist.model import Profile
from guidecheck.storage.store import Store

# One xdist worker runs this whole module: its module-scoped fixture is then built once, not once
# per worker (`make test` runs with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("proof-crash")
DRIVER = Path(__file__).with_name("crash_driver.py")
FAST_KILLS = 20
SOAK_KILLS = 220
# Popen.kill(): SIGKILL on POSIX (exit status -9); TerminateProcess on Windows (exit status 1).
KILLED = -signal.SIGKILL if hasattr(signal, "SIGKILL") else 1


@dataclass
class BundleSet:
    paths: list[Path]
    bundle_ids: list[str]
    own_assessments: list[
        dict[str, int]
    ]  # per bundle: assessment id -> answer count, new in that bundle
    district: Path  # data folder holding the district identity the bundles are encrypted to
    device_id: str
    device_key: str  # hex
    facilities: list[str]


def prepare_hub(home: Path, bundle_set: BundleSet) -> None:
    """A fresh hub holding the district key, with the clinic's laptop already approved."""
    import shutil

    from guidecheck.bundles import enrolment
    from guidecheck.bundles.approval import approve_device
    from guidecheck.storage.store import now_iso

    shutil.copytree(bundle_set.district / "keys", home / "keys", dirs_exist_ok=True)
    with Store(home / "guidecheck.db") as store:
        with store.atomic():
            enrolment.record_pending(
                store.conn, bundle_set.device_id, bundle_set.device_key, now_iso()
            )
        approve_device(home, store, bundle_set.device_id, bundle_set.facilities)


@dataclass
class Promises:
    answers: dict[str, object] = field(default_factory=dict)  # item -> last value reported saved
    in_flight: tuple[str, object] | None = None  # the save started but not reported when killed
    imported: set[str] = field(default_factory=set)  # bundle file names reported imported


def _value(item, n: int):
    if item.type == "compliance":
        return ("yes", "partly", "no", "dont_know")[n % 4]
    if item.type == "single_choice":
        return item.choices[n % len(item.choices)].id
    if item.type == "multiple_choice":
        return [item.choices[n % len(item.choices)].id]
    if item.type == "number":
        return int(item.minimum or 0) + n
    if item.type == "date":
        return "2026-10-01"
    return f"remark {n}"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory, who) -> BundleSet:
    """Four incremental bundles from a clinic, each bringing three new fully answered assessments."""
    from guidecheck.bundles import keys
    from guidecheck.bundles.export import export_bundle
    from guidecheck.bundles.verify import open_bundle

    clinic = tmp_path_factory.mktemp("clinic")
    stick = tmp_path_factory.mktemp("stick")
    district = tmp_path_factory.mktemp("district")
    key = keys.create_district_identity(district, "Kisumu")
    keys.install_district_keys(clinic, keys.write_district_key_file([key], district / "d.gckey"))
    paths, ids, own = [], [], []
    seen: set[str] = set()
    with Store(clinic / "guidecheck.db") as store:
        for k in range(4):
            for j in range(3):
                profile = Profile(
                    facility_name=f"Clinic {k}",
                    facility_code=f"KSM-{k:03d}",
                    district="Kisumu",
                    region="Nyanza",
                    tool_name=f"Tool {j}",
                    tool_vendor="Acme",
                    tool_version="1",
                    use_category="patient_triage",
                    assessor_name="Amina",
                    assessor_role="Nurse",
                    date="2026-11-20",
                )
                with store.atomic():
                    assessment = store.new_assessment(who, profile)
                    for n, item in enumerate(i for i in who.items if not i.condition):
                        store.save_answer(assessment.id, item.id, _value(item, n + j), note=f"n{n}")
            time.sleep(0.01)  # the next export's "since" must fall after this one's records
            result = export_bundle(clinic, store, stick)
            opened = open_bundle(result.path.read_bytes(), district, None)
            assert opened.payload is not None
            mine = {
                a["id"]: len(a["answers"])
                for a in opened.payload.assessments
                if a["id"] not in seen
            }
            assert len(mine) == 3 and all(n > 20 for n in mine.values())
            seen |= set(mine)
            paths.append(result.path)
            ids.append(result.manifest.bundle_id)
            own.append(mine)
        device_id = store.device_id
    facilities = [f"KSM-{k:03d}" for k in range(4)]
    return BundleSet(
        paths, ids, own, district, device_id, keys.device_key(clinic).public_hex, facilities
    )


def _run_and_kill(
    home: Path,
    seed: int,
    bundle_paths: list[Path],
    delay: float,
    after: bytes,
    promises: Promises,
    times: int = 1,
) -> list[str]:
    """Start the driver and SIGKILL it `delay` seconds after it started, or after it printed
    `times` lines starting with `after` ("assessment": start-up done; "saved": an answer was
    promised; "importing": a bundle import began), then fold what it reported into `promises`.
    Counting reported lines rather than seconds keeps the proof meaningful on a busy machine."""
    command = [
        sys.executable,
        str(DRIVER),
        str(home),
        str(WHO_PATH),
        str(seed),
        *map(str, bundle_paths),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env()
    )
    early = b""
    try:
        if (
            after
        ):  # timing from what the driver reports keeps the proof meaningful on a slow, busy machine
            deadline = time.monotonic() + 60
            seen = 0
            while True:
                line = process.stdout.readline()
                assert line and time.monotonic() < deadline, "the driver stopped early"
                early += line
                seen += line.startswith(after)
                if seen >= times or (after == b"importing" and early.count(b"\n") > 400):
                    break
        time.sleep(delay)
        process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        # Read through the same buffered pipes readline() used: communicate() reads the raw file
        # descriptors and would drop lines already buffered, i.e. promises the driver made.
        out = process.stdout.read()
        err = process.stderr.read()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == KILLED, err.decode(errors="replace")[-2000:]
    lines = (early + out).decode("utf-8").split("\n")
    complete = lines[:-1]  # a line cut by the kill has no newline: it was never a promise
    promises.in_flight = None
    for line in complete:
        words = line.split(" ", 2)
        if words[0] == "saving":
            promises.in_flight = (words[1], json.loads(words[2]))
        elif words[0] == "saved":
            promises.answers[words[1]] = json.loads(words[2])
            promises.in_flight = None
        elif words[0] == "imported":
            promises.imported.add(words[1])
        elif words[0] == "refused":
            raise AssertionError(f"a valid bundle was refused: {line}")
    return complete


def _check_after_kill(home: Path, bundle_set: BundleSet, promises: Promises) -> None:
    db = home / "guidecheck.db"
    if not db.exists():
        return  # killed before the database file was created
    assert integrity(db) == "ok"
    conn = sqlite3.connect(str(db))
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "assessments" not in tables:
            # killed while the first migration ran: it is one transaction, so there is no schema and
            # nothing was promised yet; the next start migrates again (the Store opened below)
            assert not (promises.answers or promises.in_flight or promises.imported)
            bundle_set = BundleSet(paths=[], bundle_ids=[], own_assessments=[])
        elif promises.answers or promises.in_flight:
            local = conn.execute(
                "SELECT id FROM assessments WHERE facility_code = 'HUB-LOCAL'"
            ).fetchall()
            assert len(local) == 1
            stored = {
                item: json.loads(value)
                for item, value in conn.execute(
                    "SELECT item_id, value_json FROM answers WHERE assessment_id = ?",
                    (local[0][0],),
                )
            }
            if (
                promises.in_flight
            ):  # the save cut by the kill: either its old or its new value, nothing else
                item, value = promises.in_flight
                assert stored.get(item) in (promises.answers.get(item), value), (
                    item,
                    stored.get(item),
                    value,
                )
                if item in stored:
                    promises.answers[item] = stored[item]  # what the next run's promises build on
                promises.in_flight = None
            for item, value in promises.answers.items():
                assert stored.get(item) == value, (item, stored.get(item), value)
            TALLY["answers checked after kills"] += len(promises.answers)
        imported_rows = set()
        if "bundle_imports" in tables:
            imported_rows = {r[0] for r in conn.execute("SELECT bundle_id FROM bundle_imports")}
        for path, bundle_id, own in zip(
            bundle_set.paths, bundle_set.bundle_ids, bundle_set.own_assessments, strict=True
        ):
            if path.name in promises.imported:
                assert bundle_id in imported_rows, (
                    f"{path.name} was reported imported but is not in the database"
                )
            present = {
                aid: conn.execute(
                    "SELECT COUNT(*) FROM answers WHERE assessment_id = ?", (aid,)
                ).fetchone()[0]
                for aid in own
                if conn.execute("SELECT 1 FROM assessments WHERE id = ?", (aid,)).fetchone()
            }
            if bundle_id in imported_rows:
                assert present == own, (
                    f"{path.name} is recorded as imported but only partly applied"
                )
                kept, sha = conn.execute(
                    "SELECT archive_path, sha256 FROM bundle_imports WHERE bundle_id = ?",
                    (bundle_id,),
                ).fetchone()
                assert hashlib.sha256(Path(kept).read_bytes()).hexdigest() == sha, (
                    f"{path.name} is recorded as imported but its archive copy is not whole"
                )
            else:
                assert present == {}, (
                    f"{path.name} is not recorded as imported but left records behind"
                )
                if "bundle_variants" in tables:
                    left = conn.execute(
                        "SELECT COUNT(*) FROM bundle_variants WHERE assessment_id IN"
                        " (SELECT value FROM json_each(?))",
                        (json.dumps(list(own)),),
                    ).fetchone()[0]
                    assert left == 0, f"{path.name} left received variants behind"
    finally:
        conn.close()
    with Store(db) as store:  # opens normally, and the audit chain survived every kill
        check = store.verify_audit()
        assert check.ok, check.problem


def kill_repeatedly(home: Path, bundle_set: BundleSet, kills: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    promises = Promises()
    stats = {"kills": 0, "mid-save": 0, "mid-import": 0, "saves promised": 0, "bundles imported": 0}
    for _n in range(kills):
        # A quarter of the kills land during start-up and migrations, the rest while saving answers
        # or in the middle of a bundle import.
        after, delay, times = rng.choice(
            [
                (b"", rng.uniform(0.0, 0.4), 1),
                (b"saved ", rng.uniform(0.0, 0.05), rng.randint(1, 6)),
                (b"importing", rng.uniform(0.0, 0.03), 1),
                (b"importing", rng.uniform(0.0, 0.03), 1),
            ]
        )
        lines = _run_and_kill(
            home, rng.randrange(10**9), bundle_set.paths, delay, after, promises, times
        )
        _check_after_kill(home, bundle_set, promises)
        stats["kills"] += 1
        last = lines[-1].split(" ")[0] if lines else ""
        stats["mid-save"] += last == "saving"
        stats["mid-import"] += last == "importing"
        stats["saves promised"] += sum(line.startswith("saved ") for line in lines)
    stats["bundles imported"] = len(promises.imported)
    TALLY["crash: kills survived"] += stats["kills"]
    TALLY["crash: kills during a save"] += stats["mid-save"]
    TALLY["crash: kills during a bundle import"] += stats["mid-import"]
    TALLY["crash: saves reported and found"] += stats["saves promised"]
    return stats


def _rounds(
    tmp_path: Path, bundle_set: BundleSet, hubs: int, kills_per_hub: int, seed: int
) -> dict[str, int]:
    """Fresh hubs, so that first-time bundle imports (not only repeats) keep being interrupted."""
    total = {"kills": 0, "mid-save": 0, "mid-import": 0, "saves promised": 0, "bundles imported": 0}
    for n in range(hubs):
        home = tmp_path / f"hub{n}"
        home.mkdir()
        prepare_hub(home, bundle_set)
        stats = kill_repeatedly(home, bundle_set, kills_per_hub, seed=seed + n)
        for key in total:
            total[key] += stats[key]
    print(total)
    return total


@pytest.mark.long  # started first when the suite runs in parallel
def test_killed_process_loses_nothing_it_reported(tmp_path: Path, bundles: BundleSet) -> None:
    total = _rounds(tmp_path, bundles, hubs=4, kills_per_hub=FAST_KILLS // 4, seed=20261125)
    assert total["kills"] == FAST_KILLS
    assert total["saves promised"] > 20, total  # the kills landed while real work was going on
    assert total["mid-save"] + total["mid-import"] >= 3, total


@pytest.mark.soak
def test_soak_hundreds_of_kills(tmp_path: Path, bundles: BundleSet) -> None:
    total = _rounds(
        tmp_path,
        bundles,
        hubs=SOAK_KILLS // 10,
        kills_per_hub=10,
        seed=int.from_bytes(os.urandom(4), "big"),
    )
    assert total["kills"] >= 200
    assert total["mid-import"] > 0, total


# --- the `guidecheck` command itself, killed mid-way ------------------------------------------------


def _answers_file(path: Path, who, code: str) -> int:
    answers = {}
    for n, item in enumerate(
        i for i in who.items if not i.condition and i.type in ("compliance", "single_choice")
    ):
        answers[item.id] = {"value": _value(item, n), "note": f"note {n}"}
    profile = Profile(
        facility_name="Clinic by CLI",
        facility_code=code,
        district="Kisumu",
        region="Nyanza",
        tool_name="TriageAssist",
        tool_vendor="Acme",
        tool_version="1",
        use_category="patient_triage",
        assessor_name="Amina",
        assessor_role="Nurse",
        date="2026-11-20",
    )
    path.write_text(
        json.dumps({"questionnaire": who.id, "profile": profile.as_dict(), "answers": answers}),
        encoding="utf-8",
    )
    return len(answers)


def kill_cli_commands(
    tmp_path: Path, bundle_set: BundleSet, who, kills: int, seed: int
) -> dict[str, int]:
    """Kill `guidecheck bundle import` and `guidecheck assessment new --from` at random moments."""
    rng = random.Random(seed)
    home = tmp_path / "cli-hub"
    home.mkdir()
    prepare_hub(home, bundle_set)
    promises = Promises()
    created: dict[
        str, tuple[int, bool]
    ] = {}  # facility code -> (answers in the file, id was printed)
    stats = {
        "kills": 0,
        "imports killed": 0,
        "creates killed": 0,
    }  # kills that landed before the command ended
    for n in range(kills):
        if n % 2 == 0:
            args = ["bundle", "import", *map(str, bundle_set.paths)]
        else:
            code = f"CLI-{n:04d}"
            count = _answers_file(tmp_path / f"answers-{n}.json", who, code)
            args = ["assessment", "new", "--from", str(tmp_path / f"answers-{n}.json")]
        command = [sys.executable, "-m", "guidecheck.cli.main", "--home", str(home), *args]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env()
        )
        time.sleep(rng.uniform(0.15, 0.7))
        process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        out, _err = process.communicate(timeout=30)
        finished = process.returncode == 0
        lines = out.decode("utf-8").split("\n")[:-1]
        if n % 2 == 0:
            for line in lines:
                name = line.split(": ", 1)[0]
                if ": refused:" not in line and name in {p.name for p in bundle_set.paths}:
                    promises.imported.add(name)
            stats["imports killed"] += not finished
        else:
            created[code] = (count, bool(lines))
            stats["creates killed"] += not finished
        _check_after_kill(home, bundle_set, promises)
        with closing(sqlite3.connect(str(home / "guidecheck.db"))) as conn:
            for code, (count, printed) in created.items():
                rows = conn.execute(
                    "SELECT id FROM assessments WHERE facility_code = ?", (code,)
                ).fetchall()
                assert len(rows) == (1 if printed else len(rows)) and len(rows) <= 1, code
                if rows:  # an answers file is created whole or not at all
                    answered = conn.execute(
                        "SELECT COUNT(*) FROM answers WHERE assessment_id = ?", rows[0]
                    ).fetchone()[0]
                    assert answered == count, (code, answered, count)
        stats["kills"] += not finished
    TALLY["crash: guidecheck commands killed"] += stats["imports killed"] + stats["creates killed"]
    return stats


@pytest.mark.long  # started first when the suite runs in parallel
def test_killed_guidecheck_commands_leave_all_or_nothing(
    tmp_path: Path, bundles: BundleSet, who
) -> None:
    stats = kill_cli_commands(tmp_path, bundles, who, kills=10, seed=7)
    print(stats)
    assert stats["imports killed"] + stats["creates killed"] >= 3, stats


@pytest.mark.soak
def test_soak_killed_guidecheck_commands(tmp_path: Path, bundles: BundleSet, who) -> None:
    stats = kill_cli_commands(
        tmp_path, bundles, who, kills=60, seed=int.from_bytes(os.urandom(4), "big")
    )
    print(stats)
    assert stats["imports killed"] > 5 and stats["creates killed"] > 5, stats
