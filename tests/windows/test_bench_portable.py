"""The bench scripts run on Windows, which has no `resource` module: every script imports without
it, and peak memory is then reported as "n/a" instead of a crash or a made-up zero."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
# Makes `import resource` fail as it does on Windows, then imports each bench script as a module
# (their work runs only under `if __name__ == "__main__"`).
NO_RESOURCE = "import sys\nsys.modules['resource'] = None\nsys.path.insert(0, sys.argv[1])\n"


def run_without_resource(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_RESOURCE + code, str(BENCH)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_bench_script_imports_without_the_resource_module() -> None:
    scripts = sorted(p.stem for p in BENCH.glob("bench_*.py"))
    assert len(scripts) >= 7
    done = run_without_resource(
        "import importlib\n"
        f"for name in {scripts!r}:\n"
        "    importlib.import_module(name)\n"
        "    print('imported', name)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [word for name in scripts for word in ("imported", name)]


def test_peak_memory_is_na_without_resource_and_a_figure_with_it() -> None:
    done = run_without_resource(
        "from peak import CHILD_PEAK_CODE, children_peak_mib, peak_mib, shown\n"
        "exec(CHILD_PEAK_CODE)\n"
        "print(shown(peak_mib()), shown(children_peak_mib()), peak('RUSAGE_SELF'))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n/a", "n/a", "n/a"]
    if sys.platform != "win32":  # where getrusage exists the figure is a plausible MiB count
        sys.path.insert(0, str(BENCH))
        try:
            from peak import parse_mib, peak_mib
        finally:
            sys.path.remove(str(BENCH))
        mib = peak_mib()
        assert mib is not None and 5 < mib < 4096
        assert parse_mib("n/a") is None and parse_mib("12.5") == 12.5
