"""Shared bits of the packaging tests: paths, loading packaging/*.py, running programs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load(path: Path, name: str) -> ModuleType:
    """Import a script from packaging/ (not a package) by path."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a child program: offscreen Qt, user folders inside `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDECHECK_")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_DATA_HOME=str(home / "xdg-data"),
               XDG_CONFIG_HOME=str(home / "xdg-config"), XDG_STATE_HOME=str(home / "xdg-state"))  # fmt: skip
    if sys.platform == "win32":  # the same folders where platformdirs looks on Windows
        env.update(USERPROFILE=str(home), LOCALAPPDATA=str(home / "xdg-data"),
                   APPDATA=str(home / "xdg-config"),
                   WIN_PD_OVERRIDE_LOCAL_APPDATA=str(home / "xdg-data"),
                   WIN_PD_OVERRIDE_APPDATA=str(home / "xdg-config"))  # fmt: skip
    env.update(extra)
    return env


def run(
    command: list[str], env: dict[str, str], cwd: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def step_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("OK ", "FAILED "))]


def expected_step_lines(output: str, names: list[str]) -> list[str]:
    """Every step OK, except the real-screen step where the output says this session has no
    display (it then prints SKIPPED, which `step_lines` leaves out)."""
    no_screen = "SKIPPED qt platform: no display" in output
    return [f"OK {name}" for name in names if not (no_screen and name == "qt platform")]
