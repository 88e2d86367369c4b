"""Start-up of the built clinic package: process start to main window shown, and peak memory.

Four programs, each started `--runs` times in turn (so machine noise hits all alike), medians shown:
  frozen app    dist/GuideCheck/GuideCheck (built by `make package`)
  source app    python -m guidecheck.gui.app from the venv
  frozen bare   a bare PySide6 QMainWindow frozen the same way (PyInstaller one-folder, same module
                excludes), built once into build/bench-bare/ when PyInstaller is installed
  bare (venv)   the same bare window run by the venv's python
Every program prints "shown <seconds since process start> rss <peak KiB>" after its first show
event (the app does so with GUIDECHECK_STARTUP_PROBE=1) and quits. The wall time is measured here,
from spawn to that line; peak RSS is the child's own ru_maxrss. The Qt platform is offscreen
unless QT_QPA_PLATFORM says otherwise. The issue's target: the frozen app is not slower than the
source app. Without a built package the script says so and exits 0 (it is part of `make bench`);
`--check` exits 1 when the frozen app is over 1.2 × the source app's median.

Run: .venv/bin/python bench/bench_frozen_startup.py [--runs N] [--check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FROZEN_APP = (
    ROOT / "dist" / "GuideCheck" / ("GuideCheck.exe" if sys.platform == "win32" else "GuideCheck")
)
BARE_DIR = ROOT / "build" / "bench-bare"
TIME_RATIO = 1.2

BARE_SCRIPT = Path(__file__).with_name("bare_window.py")  # shared with bench_startup.py


def bare_frozen() -> Path | None:
    """The frozen bare window, built on first use (about a minute); None without PyInstaller."""
    exe = BARE_DIR / "dist" / "bare" / ("bare.exe" if sys.platform == "win32" else "bare")
    if exe.exists():
        return exe
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return None
    sys.path.insert(0, str(ROOT / "packaging"))
    import qt_trim

    BARE_DIR.mkdir(parents=True, exist_ok=True)
    script = BARE_DIR / "bare.py"
    script.write_text(BARE_SCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    excludes = [arg for name in qt_trim.EXCLUDED_MODULES for arg in ("--exclude-module", name)]
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--log-level", "WARN", "--name", "bare",
               "--distpath", str(BARE_DIR / "dist"), "--workpath", str(BARE_DIR / "work"),
               "--specpath", str(BARE_DIR), *excludes, str(script)]  # fmt: skip
    print("building the frozen bare window once (build/bench-bare/)...", flush=True)
    subprocess.run(command, check=True, cwd=BARE_DIR)
    return exe


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds from spawn to the "shown" line, peak RSS MiB of the child)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stdout is not None
    line = ""
    for line in process.stdout:
        if line.startswith("shown "):
            break
    wall = time.perf_counter() - start
    process.stdout.read()
    process.stdout.close()
    rss_mib = 0.0
    if hasattr(os, "wait4"):
        _pid, _status, usage = os.wait4(process.pid, 0)
        process.returncode = 0
        rss_mib = usage.ru_maxrss / 1024.0
    else:
        process.wait(timeout=60)
    words = line.split()
    if len(words) < 4 or words[0] != "shown":
        raise SystemExit(f"no start-up line from {command[0]}: {line!r}")
    return wall, rss_mib or int(words[3]) / 1024.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-ups of each program (default 7)")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 when frozen > {TIME_RATIO} x source"
    )
    args = parser.parse_args()
    if not FROZEN_APP.exists():
        print(
            f"no built package at {FROZEN_APP.relative_to(ROOT)}: run `make package` first; nothing measured"
        )
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "GUIDECHECK_STARTUP_PROBE": "1"}  # fmt: skip
    env.pop("GUIDECHECK_HOME", None)
    with tempfile.TemporaryDirectory() as home:
        programs = {
            "frozen app": [str(FROZEN_APP), "--home", home],
            "source app": [sys.executable, "-m", "guidecheck.gui.app", "--home", home],
            "bare (venv)": [sys.executable, str(BARE_SCRIPT)],
        }
        frozen_bare = bare_frozen()
        if frozen_bare is not None:
            programs["frozen bare"] = [str(frozen_bare)]
        for command in programs.values():  # the first start creates the database and warms caches
            run_once(command, env)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
        for _ in range(args.runs):
            for name, command in programs.items():
                results[name].append(run_once(command, env))
    medians = {name: (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
               for name, runs in results.items()}  # fmt: skip
    print(
        f"start-up, median of {args.runs} (spawn -> main window shown; platform {env['QT_QPA_PLATFORM']}):"
    )
    for name in ("frozen app", "source app", "frozen bare", "bare (venv)"):
        if name in medians:
            wall, rss = medians[name]
            memory = f"{rss:6.1f}" if rss else "   n/a"  # 0: the platform reports no peak
            print(f"  {name:12}: {wall * 1000:6.0f} ms   peak RSS {memory} MiB")
    if frozen_bare is None:
        print("  frozen bare : not measured (PyInstaller is not installed)")
    ratio = medians["frozen app"][0] / medians["source app"][0]
    ok = ratio <= TIME_RATIO
    print(
        f"  frozen/source time ratio {ratio:.2f} (target <= {TIME_RATIO}) {'OK' if ok else 'MISSED'}"
    )
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
