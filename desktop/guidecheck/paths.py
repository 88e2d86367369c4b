"""Where things live: the data folder (database, keys, logs, archive, added checklists) and the shipped resources.

Data folder, first match wins: `--home DIR`; `$GUIDECHECK_HOME`; portable mode (a `portable.txt`,
`portable.txt.txt` or `portable` file beside the executable puts data in `data/` beside it, so the
tool runs from a USB stick); the platform's user data folder. Resources (assets, questionnaires) are found in the source tree or
inside a frozen app (`sys._MEIPASS`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from guidecheck.atomic import make_folder

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


# Explorer hides known extensions, so a person who makes "portable.txt" by hand often gets
# "portable.txt.txt"; someone who knows the extension is hidden may type just "portable".
PORTABLE_MARKERS = ("portable.txt", "portable.txt.txt", "portable")


def portable_marker(base: Path) -> Path | None:
    """The portable-mode marker file in `base`, whichever of its accepted names it has."""
    for name in PORTABLE_MARKERS:
        if (base / name).is_file():
            return base / name
    return None


def portable_home() -> Path | None:
    """`data/` beside the executable when a portable marker sits there (frozen app only)."""
    if not getattr(sys, "frozen", False):
        return None
    base = executable_dir()
    if portable_marker(base) is not None:
        return base / "data"
    return None


def data_home_source(home_arg: str | os.PathLike[str] | None = None) -> str:
    """Why the data folder is where it is: "option", "environment", "portable" or "user"."""
    if home_arg:
        return "option"
    if os.environ.get("GUIDECHECK_HOME"):
        return "environment"
    return "portable" if portable_home() is not None else "user"


def data_home(home_arg: str | os.PathLike[str] | None = None, create: bool = True) -> Path:
    """The installation's data folder, created on first use; a UserError (one sentence: read-only
    or missing) when it cannot be made."""
    if home_arg:
        home = Path(home_arg).expanduser()
    elif os.environ.get("GUIDECHECK_HOME"):
        home = Path(os.environ["GUIDECHECK_HOME"]).expanduser()
    else:
        home = portable_home() or _platform_data_dir()
    if create:
        # A folder of ours (new, or holding our database) is tightened; another existing folder
        # given with --home is left as its owner set it.
        try:
            private_dir(home, tighten=not home.exists() or (home / DATABASE_NAME).exists())
        except OSError as exc:
            from guidecheck.fileops import data_folder_error

            raise data_folder_error(home, exc) from None
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
    make_folder(path, mode=0o700)  # flushed into its parent: survives a power cut
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


def fallback_logs_dir() -> Path:
    """This computer's own log folder, used when the data folder cannot take the log (a pulled
    stick, a read-only share): the platform's user log folder, else the temporary folder."""
    import tempfile

    from platformdirs import user_log_dir

    for candidate in (
        Path(user_log_dir(APP_NAME, appauthor=False)),
        Path(tempfile.gettempdir()) / APP_NAME,
    ):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            return candidate
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def keys_dir(home: Path) -> Path:
    return private_dir(home / "keys")


def user_questionnaires_dir(home: Path, create: bool = False) -> Path:
    """Checklists this installation added (an imported XLSForm, a checklist from the district):
    `checklists/` in the data folder, so they survive an update of the program and are offered
    for new assessments beside the shipped ones (`storage.catalog`). Made when the first one is
    saved; reading never creates it."""
    folder = home / "checklists"
    return private_dir(folder) if create else folder


def archive_dir(home: Path) -> Path:
    return private_dir(home / "archive")


def asset_path(*parts: str) -> Path:
    """A shipped asset (fonts, icons), in the source tree or inside the frozen app."""
    return resource_root().joinpath("assets", *parts)


def questionnaires_dir() -> Path:
    """The shipped checklists folder."""
    return resource_root() / "questionnaires"
