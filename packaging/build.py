"""Build the clinic package: `python packaging/build.py` (what `make package` runs).

Builds the one-folder app with PyInstaller into dist/GuideCheck/ (dist/GuideCheck.app on macOS),
checks it (`--version`; on Linux, that no bundled library lost a dependency to the Qt trimming),
zips it to dist/GuideCheck-<version>-<platform>.zip and prints the zip's size. The size limit
for a USB stick and a slow clinic download is checked too (80 MB).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
APP_NAME = "GuideCheck"
SIZE_LIMIT_MB = 80.0


class BuildError(Exception):
    """The build cannot go on; the message says why in one sentence."""


def version() -> str:
    text = (ROOT / "desktop" / "guidecheck" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not found:
        raise BuildError("desktop/guidecheck/__init__.py has no __version__.")
    return found.group(1)


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    machine = platform.machine().lower().replace("amd64", "x86_64")
    return f"{system}-{machine}"


def app_folder() -> Path:
    return DIST / (f"{APP_NAME}.app" if sys.platform == "darwin" else APP_NAME)


def executable() -> Path:
    if sys.platform == "darwin":
        return app_folder() / "Contents" / "MacOS" / APP_NAME
    return app_folder() / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def check_tools() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError("PyInstaller is not installed; run: pip install -e '.[package]'") from None
    if sys.platform.startswith("linux") and not shutil.which("objdump"):
        raise BuildError(
            "PyInstaller needs objdump on Linux; install binutils (apt-get install binutils)."
        )


def write_windows_version_info(ver: str) -> Path:
    """The version resource shown in Explorer's file properties."""
    parts = [int(p) if p.isdigit() else 0 for p in re.split(r"[.+-]", ver)[:3]] + [0]
    while len(parts) < 4:
        parts.insert(-1, 0)
    numbers = ", ".join(str(n) for n in parts[:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers=({numbers}), prodvers=({numbers})),
  kids=[StringFileInfo([StringTable('040904B0', [
    StringStruct('CompanyName', 'GuideCheck'),
    StringStruct('FileDescription', 'GuideCheck - WHO guidance on AI in health care'),
    StringStruct('FileVersion', '{ver}'),
    StringStruct('ProductName', 'GuideCheck'),
    StringStruct('ProductVersion', '{ver}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])]
)
"""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "version_info.txt"
    path.write_text(text, encoding="utf-8")
    return path


def run_pyinstaller(ver: str) -> None:
    env = dict(os.environ)
    if sys.platform == "win32":
        env["GUIDECHECK_VERSION_INFO"] = str(write_windows_version_info(ver))
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(WORK), str(PACKAGING / "guidecheck.spec"),
    ]  # fmt: skip
    print("Building with PyInstaller (a few minutes)...", flush=True)
    if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
        raise BuildError("PyInstaller failed; see its messages above.")


def check_linked_libraries() -> list[str]:
    """Linux: bundled libraries whose bundled dependencies were trimmed away (an error), and system
    libraries missing on this build machine (a warning: the clinic laptop must have them)."""
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    bundled = {p.name for p in app_folder().rglob("*") if p.is_file()}
    missing_bundled: set[str] = set()
    missing_system: set[str] = set()
    for path in app_folder().rglob("*"):
        if not path.is_file() or not (path.suffix == ".so" or ".so." in path.name):
            continue
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True)
        for line in result.stdout.splitlines():
            if "not found" in line:
                name = line.split("=>")[0].strip()
                if (
                    name.startswith(("libQt6", "libpyside", "libshiboken", "libicu"))
                    or name in bundled
                ):
                    missing_bundled.add(f"{path.name} needs {name}")
                else:
                    missing_system.add(name)
    if missing_system:
        print("Note: system libraries absent on this build machine (the laptop needs them for a window): "
              + ", ".join(sorted(missing_system)))  # fmt: skip
    if missing_bundled:
        raise BuildError(
            "The Qt trimming removed libraries still needed: "
            + "; ".join(sorted(missing_bundled))
            + "."
        )
    return sorted(missing_system)


def add_extras() -> None:
    """A short README for whoever unpacks the zip, and on Linux the menu-entry installer."""
    if sys.platform == "darwin":  # the .app bundle is the whole package there
        return
    folder = executable().parent
    shutil.copyfile(PACKAGING / "README-package.txt", folder / "README.txt")
    if sys.platform.startswith("linux"):
        script = folder / "install-desktop-entry.sh"
        shutil.copyfile(PACKAGING / "linux" / "install-desktop-entry.sh", script)
        script.chmod(0o755)


def console_executable() -> Path | None:
    """Windows: guidecheck-cli.exe, the console twin of GuideCheck.exe (None elsewhere)."""
    return app_folder() / "guidecheck-cli.exe" if sys.platform == "win32" else None


def smoke_test(ver: str) -> None:
    programs = [executable()] + ([console_executable()] if console_executable() else [])
    for program in programs:
        if not program.exists():
            raise BuildError(f"{program} was not built.")
        result = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, timeout=120
        )
        # A windowed exe prints to its parent's console, not into a pipe: its exit status must do.
        printed = ver in result.stdout or (sys.platform == "win32" and program == executable())
        if result.returncode != 0 or not printed:
            raise BuildError(
                f"{program.name} does not start: {(result.stderr or result.stdout).strip()[:300]}"
            )


# Names that must never ship: a `data/` folder (records and the device's signing key) or a portable
# marker left in dist/ by someone who tried portable mode there. The portable zip gets its marker
# from PORTABLE_MARKER_TEXT, not from the folder.
NEVER_SHIPPED = ("data", "portable.txt", "portable.txt.txt", "portable")
PORTABLE_MARKER_TEXT = (
    "GuideCheck portable mode: while this file sits beside GuideCheck, all data (database, keys,\n"
    "logs, archive) is kept in the data folder beside it, on this drive. Delete this file to keep\n"
    "data in the computer's user folder instead.\n"
)


def check_nothing_personal(folder: Path) -> None:
    """Refuse to package a folder holding data or a portable marker (a BuildError names them)."""
    found = sorted(p.name for p in folder.iterdir() if p.name.lower() in NEVER_SHIPPED)
    if found:
        raise BuildError(
            f"{folder} holds {', '.join(found)} (left by a portable run?): a device key and records"
            " must never ship; delete them and build again."
        )


def zip_folder(folder: Path, target: Path, extra: dict[str, str] | None = None) -> Path:
    """Zip `folder` (as its own top-level folder), keeping symlinks and the executable bit;
    `extra` adds small text files (name inside the folder -> content)."""
    target.unlink(missing_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(
        partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9
    ) as archive:
        for name, text in (extra or {}).items():
            archive.writestr(f"{folder.name}/{name}", text)
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder.parent).as_posix()
            if name.split("/")[1].lower() in NEVER_SHIPPED:  # checked before, but never let one in
                raise BuildError(f"{name} must not be packaged.")
            if path.is_symlink():
                info = zipfile.ZipInfo(name)
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(info, os.readlink(path))
            elif path.is_dir():
                archive.write(path, name + "/")
            else:
                archive.write(path, name)
    partial.replace(target)
    return target


def build_installer(ver: str) -> Path:
    """Windows: compile packaging/windows/guidecheck.iss with Inno Setup 6 (iscc.exe)."""
    if sys.platform != "win32":
        raise BuildError("The Inno Setup installer can only be built on Windows.")
    candidates = [shutil.which("iscc")] + [
        str(Path(os.environ.get(var, "")) / "Inno Setup 6" / "ISCC.exe")
        for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA")
    ]
    iscc = next((c for c in candidates if c and Path(c).is_file()), None)
    if iscc is None:
        raise BuildError(
            "Inno Setup 6.3 or newer (iscc.exe) was not found; install it from jrsoftware.org or put iscc on PATH."
        )
    check_nothing_personal(app_folder())
    script = PACKAGING / "windows" / "guidecheck.iss"
    if (
        subprocess.run(
            [iscc, f"/DAppVersion={ver}", f"/DDistDir={app_folder()}", f"/O{DIST}", str(script)]
        ).returncode
        != 0
    ):
        raise BuildError("Inno Setup failed; see its messages above.")
    return DIST / f"{APP_NAME}-{ver}-windows-setup.exe"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    global DIST, WORK  # the helpers above read them; --dist/--work let tests build elsewhere
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-build", action="store_true", help="zip and check an existing dist/ folder"
    )
    parser.add_argument(
        "--installer", action="store_true", help="Windows: also build the Inno Setup installer"
    )
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (default: dist/)")
    parser.add_argument(
        "--work",
        type=Path,
        default=WORK,
        help="PyInstaller's work folder (default: build/pyinstaller/)",
    )
    args = parser.parse_args(argv)
    DIST, WORK = args.dist.resolve(), args.work.resolve()
    started = time.monotonic()
    try:
        ver = version()
        if not args.skip_build:
            check_tools()
            run_pyinstaller(ver)
        if not executable().exists():
            raise BuildError(f"{executable()} was not built.")
        check_linked_libraries()
        smoke_test(ver)
        add_extras()
        check_nothing_personal(executable().parent)
        archive = zip_folder(app_folder(), DIST / f"{APP_NAME}-{ver}-{platform_tag()}.zip")
        portable = None
        if sys.platform != "darwin":  # a stick-ready copy: the marker is in, data goes beside it
            portable = zip_folder(
                app_folder(),
                DIST / f"{APP_NAME}-{ver}-{platform_tag()}-portable.zip",
                extra={"portable.txt": PORTABLE_MARKER_TEXT},
            )
        installer = build_installer(ver) if args.installer else None
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 2
    size_mb = archive.stat().st_size / 1_000_000
    print(f"Folder: {app_folder()} ({folder_size(app_folder()) / 1_000_000:.1f} MB unpacked)")
    print(f"Zip:    {archive} ({size_mb:.1f} MB)")
    if portable is not None:
        print(f"USB:    {portable} (portable mode: data is kept beside the app)")
    if installer is not None:
        print(f"Setup:  {installer} ({installer.stat().st_size / 1_000_000:.1f} MB)")
    print(f"Built in {time.monotonic() - started:.0f} s")
    if size_mb > SIZE_LIMIT_MB:
        print(
            f"build.py: the zip is {size_mb:.1f} MB, over the {SIZE_LIMIT_MB:.0f} MB limit.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
