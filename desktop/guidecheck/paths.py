"""Where things live: the data folder (database, keys, logs, archive) and the shipped resources.

Data folder, first match wins: `--home DIR`; `$GUIDECHECK_HOME`; portable mode (a `portable.txt`
beside the executable puts data in `data/` beside it, so the tool runs from a USB stick); the
platform's user data folder. Resources (assets, questionnaires) are found in the source tree or
inside a frozen app (`sys._MEIPASS`).
"""

from __future__ import annotations

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
        make_folder(home)
    return home.resolve()


def make_folder(path: Path) -> Path:
    """Create `path` (and missing parents) so that it survives a power cut; return it.

    A new folder is only a name in its parent until the parent itself is flushed: without that, a
    power cut soon after first use can take the whole data folder (database, keys) with it even
    though every file inside was flushed. So each folder made here has its parent fsynced.
    """
    missing = []
    probe = Path(path)
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    Path(path).mkdir(parents=True, exist_ok=True)
    for made in reversed(missing):
        sync_folder(made.parent)
    return Path(path)


def sync_folder(folder: Path) -> None:
    """Flush a folder's names to disk (POSIX); Windows has no folder handles, so skip there."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _platform_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def database_path(home: Path) -> Path:
    return home / DATABASE_NAME


def logs_dir(home: Path) -> Path:
    path = home / "logs"
    return make_folder(path)


def keys_dir(home: Path) -> Path:
    path = home / "keys"
    return make_folder(path)


def archive_dir(home: Path) -> Path:
    path = home / "archive"
    return make_folder(path)


def asset_path(*parts: str) -> Path:
    """A shipped asset (fonts, icons), in the source tree or inside the frozen app."""
    return resource_root().joinpath("assets", *parts)


def questionnaires_dir() -> Path:
    """The shipped checklists folder."""
    return resource_root() / "questionnaires"
