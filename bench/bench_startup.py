"""Desktop start-up: process start to main window shown, and peak memory, beside a bare PySide6
QMainWindow started the same way in the same run; then the time to open a home list of 2,000
assessments made through the real store.

Targets (issue 3): app time ≤ 1.3 × bare time, app peak RSS ≤ bare + 40 MiB, home list < 0.5 s.
Both programs print "shown <seconds since process start> rss <peak KiB>" after their first show
event (the app does so when GUIDECHECK_STARTUP_PROBE=1) and quit. Runs alternate app/bare so
machine noise hits both alike; medians are reported. Prints figures; `--check` exits 1 on a miss.

The bare window measures no text and uses no enum of the `Qt` namespace; any real window pays for
both (~3.5 ms for the fonts, ~11 ms for PySide6 to build the namespace's enums, Python 3.11 to
3.13 alike, PySide6 6.11), so they are part of the app's figure (CONTRIBUTING.md, "Run, test,
measure"). To show what they weigh, a third program (text_window.py: the bare window plus one
centred line of text) is timed in the same rotation and printed as a reference; the target stays
the bare window.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [--runs N] [--check] [--bytecode]

With PYTHONDONTWRITEBYTECODE=1 in the environment and no __pycache__ in the source tree, every
app start compiles GuideCheck's start-up modules from source (~11 ms), which no installed copy
does (pip writes .pyc at install, PyInstaller ships them) and the bare window, made of the
precompiled stdlib and PySide6, never pays. `--bytecode` lets both programs keep bytecode, in a
temporary PYTHONPYCACHEPREFIX written by the warm-up runs, so only start-up work is compared.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SCRIPT = Path(__file__).with_name(
    "bare_window.py"
)  # the bare window both start-up benches compare with
TEXT_SCRIPT = Path(__file__).with_name("text_window.py")  # the bare window plus one line of text

TIME_RATIO = 1.3
EXTRA_MIB = 40.0
HOME_LIST_SECONDS = 0.5


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """(wall seconds spawn→shown line, seconds the process reports, peak RSS MiB at shown,
    wall seconds spawn→home list filled — the app only; the bare window reports 0)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stdout is not None
    shown: list[str] = []
    wall = listed = 0.0
    for line in process.stdout:
        if line.startswith("shown "):
            wall = time.perf_counter() - start
            shown = line.split()
        elif line.startswith("listed "):
            listed = time.perf_counter() - start
    process.wait(timeout=60)
    if len(shown) < 4:
        raise SystemExit(f"no start-up line from {command[:3]}")
    # "rss 0": the platform reports no peak memory (Windows has no getrusage); NaN stands for it.
    rss = int(shown[3]) / 1024.0 or math.nan
    return wall, float(shown[1]), rss, listed


def mib(value: float) -> str:
    """A memory figure, or "n/a" where the platform reports none."""
    return "   n/a" if math.isnan(value) else f"{value:6.1f}"


def measure_startup(
    runs: int, bytecode: bool = False
) -> dict[str, list[tuple[float, float, float, float]]]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "GUIDECHECK_STARTUP_PROBE": "1",
    }
    results: dict[str, list[tuple[float, float, float, float]]] = {
        "bare": [],
        "app": [],
        "text": [],
    }
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as pycache:
        if bytecode:  # the same for both programs; the warm-up runs below write the cache
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = pycache
        app_command = [sys.executable, "-m", "guidecheck.gui.app", "--home", home]
        bare_command = [sys.executable, str(BARE_SCRIPT)]
        text_command = [sys.executable, str(TEXT_SCRIPT)]
        run_once(app_command, env)  # first start creates the database; warm all once
        run_once(bare_command, env)
        run_once(text_command, env)
        for _ in range(runs):
            results["app"].append(run_once(app_command, env))
            results["bare"].append(run_once(bare_command, env))
            results["text"].append(run_once(text_command, env))
    return results


def measure_home_list(count: int) -> tuple[float, int]:
    """Seconds from creating the main window to its home list showing `count` rows."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from guidecheck.checklist.loading import load_questionnaire
    from guidecheck.checklist.model import Profile
    from guidecheck.gui.shell.main_window import MainWindow
    from guidecheck.paths import questionnaires_dir
    from guidecheck.storage.store import Store

    app = QApplication.instance() or QApplication([sys.argv[0]])
    questionnaire = load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        store = Store(home / "guidecheck.db")
        with store.atomic():
            for n in range(count):
                profile = Profile(
                    facility_name=f"Clinic {n}",
                    facility_code=f"F{n:05d}",
                    tool_name=f"Tool {n % 7}",
                    use_category="patient_triage",
                    phase="routine",
                    assessor_name="Bench",
                    date="2025-03-31",
                )
                store.new_assessment(questionnaire, profile, "bench")
        store.close()
        loaded: list[int] = []
        start = time.perf_counter()
        window = MainWindow(home)
        window.home_loaded.connect(loaded.append)
        window.show()
        while not loaded:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        QCoreApplication.processEvents()  # the rows are painted
        elapsed = time.perf_counter() - start
        rows = window.home.model.rowCount()
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
    app.shutdown()  # destroy Qt objects before the interpreter does (avoids a PySide6 exit crash)
    return elapsed, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-ups of each program (default 7)")
    parser.add_argument(
        "--rows", type=int, default=2000, help="assessments in the home list (default 2000)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="let both programs keep compiled bytecode, as an installed app does (see above)",
    )
    args = parser.parse_args()

    results = measure_startup(args.runs, args.bytecode)
    medians = {
        name: [statistics.median(run[i] for run in runs) for i in range(4)]
        for name, runs in results.items()
    }
    app_wall, app_self, app_rss, app_listed = medians["app"]
    bare_wall, bare_self, bare_rss, _ = medians["bare"]
    text_wall, text_self, _text_rss, _ = medians["text"]
    ratio = app_wall / bare_wall
    extra = app_rss - bare_rss
    cached = "with" if args.bytecode else "without"
    print(f"start-up, median of {args.runs} (spawn → main window shown), {cached} cached bytecode:")
    print(
        f"  bare QMainWindow : {bare_wall * 1000:7.0f} ms  (process says {bare_self * 1000:.0f} ms)  peak RSS {mib(bare_rss)} MiB"
    )
    print(
        f"  GuideCheck app   : {app_wall * 1000:7.0f} ms  (process says {app_self * 1000:.0f} ms)  peak RSS {mib(app_rss)} MiB"
    )
    print(
        f"  (the app then reads its home list in the background: filled at {app_listed * 1000:.0f} ms)"
    )
    print(
        f"  reference: bare window + one centred line of text: {text_wall * 1000:.0f} ms "
        f"(process says {text_self * 1000:.0f} ms); the app is {app_wall / text_wall:.2f}× it"
    )
    time_ok = ratio <= TIME_RATIO
    memory_ok = math.isnan(extra) or extra <= EXTRA_MIB  # unknown memory is reported, not failed
    print(f"  time ratio {ratio:.2f}× (target ≤ {TIME_RATIO}×) {'OK' if time_ok else 'MISSED'}")
    print(
        f"  extra memory {mib(extra)} MiB (target ≤ {EXTRA_MIB:.0f} MiB) {'OK' if memory_ok else 'MISSED'}"
    )

    elapsed, rows = measure_home_list(args.rows)
    list_ok = elapsed < HOME_LIST_SECONDS and rows == args.rows
    print(
        f"home list of {rows} assessments: {elapsed * 1000:.0f} ms (target < {HOME_LIST_SECONDS * 1000:.0f} ms) "
        f"{'OK' if list_ok else 'MISSED'}"
    )
    if args.check and not (time_ok and memory_ok and list_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
