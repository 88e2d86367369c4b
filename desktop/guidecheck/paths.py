"""Where things live: the data folder (database, keys, logs, archive) and the shipped resources.

Data folder, first match wins: `--home DIR`; `$GUIDECHECK_HOME`; portable mode (a `portable.txt`
beside the executable puts data in `data/` beside it, so the tool runs from a USB stick); the
platform's user data folder. Resources (assets, questionnaires) are found in the source tree or
inside a frozen app (`sys._MEIPASS`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

APP_NAME = "GuideCheck"
DATABASE_NAME = "guidecheck.db"


def executable_dir() -> Path:
    """The folder of the running program: the frozen app's folder, or the source tree's root."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return source_root()


def source_root() -> Path:
    return Path(__file__).resolve().parents[2]


def resource_root() -> Path:
    """Folder holding `assets/` and `questionnaires/`: `_MEIPASS` when frozen, else the repo root."""
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if bundle_dir:
        return Path(bundle_dir)
    return source_root()


def portable_home() -> Path | None:
    """`data/` beside the executable when `portable.txt` sits there (frozen app only)."""
    if not getattr(sys, "frozen", False):
        return None
    base = executable_dir()
    if (base / "portable.txt").exists():
        return base / "data"
    return None


def data_home(home_arg: str | os.PathLike[str] | None = None, create: bool = True) -> Path:
    """The installation's data folder, created on first use."""
    if home_arg:
        home = Path(home_arg).expanduser()
    elif os.environ.get("GUIDECHECK_HOME"):
        home = Path(os.environ["GUIDECHECK_HOME"]).expanduser()
    else:
        home = portable_home() or _platform_data_dir()
    if create:
        # A folder of ours (new, or holding our database) is tightened; another existing folder
        # given with --home is left as its owner set it.
        private_dir(home, tighten=not home.exists() or (home / DATABASE_NAME).exists())
    return home.resolve()


def _platform_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def private_dir(path: Path, tighten: bool = True) -> Path:
    """Create `path` (and missing parents) readable by its owner only on POSIX (0700).

    Records, keys and bundle copies are health-facility data: other accounts on a shared laptop
    must not read them. An existing folder is tightened too (data folders made by older versions).
    """
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if tighten and os.name == "posix":
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                path.chmod(0o700)
    return path


def owner_only(*files: Path) -> None:
    """Make existing files readable by their owner only (0600) on POSIX; others are skipped."""
    if os.name != "posix":
        return
    for file in files:
        with contextlib.suppress(OSError):
            if Path(file).stat().st_mode & 0o077:
                Path(file).chmod(0o600)


def database_path(home: Path) -> Path:
    return home / DATABASE_NAME


def logs_dir(home: Path) -> Path:
    return private_dir(home / "logs")


def keys_dir(home: Path) -> Path:
    return private_dir(home / "keys")


def archive_dir(home: Path) -> Path:
    return private_dir(home / "archive")


def asset_path(*parts: str) -> Path:
    """A shipped asset (fonts, icons), in the source tree or inside the frozen app."""
    return resource_root().joinpath("assets", *parts)


def questionnaires_dir() -> Path:
    """The shipped checklists folder."""
    return resource_root() / "questionnaires"
