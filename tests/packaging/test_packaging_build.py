"""Build the clinic package with PyInstaller and use it like a clinic would (about 2 minutes).

Skipped only when PyInstaller is not importable: `make test` installs '.[dev]' without it;
`make package` and packaging/ci_check.sh install it. The build goes to a temporary folder (or CI's
one build is copied there, see `built`), so dist/ is left alone.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from packaging_helpers import PACKAGING, clean_env, expected_step_lines, run, step_lines

from guidecheck import __version__
from guidecheck.gui import selftest

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None
        and not os.environ.get("GUIDECHECK_BUILT_DIST"),
        reason="PyInstaller is not installed",
    ),
    # One xdist worker runs this module: the package is built (or CI's build copied) once.
    pytest.mark.xdist_group("packaging-build"),
]
EXE_NAME = "GuideCheck.exe" if sys.platform == "win32" else "GuideCheck"
# The program a command prompt runs: on Windows the console twin (the windowed exe's output goes to
# its parent's console, not into a pipe), elsewhere the app itself.
CLI_NAME = "guidecheck-cli.exe" if sys.platform == "win32" else "GuideCheck"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """dist folder holding GuideCheck/ and the zip, built once for this module.

    CI builds the package once (packaging/ci_check.sh) and sets GUIDECHECK_BUILT_DIST to its dist
    folder: these tests then check a copy of that build instead of building a second time."""
    base = tmp_path_factory.mktemp("package")
    already = os.environ.get("GUIDECHECK_BUILT_DIST")
    if already:
        source = Path(already)
        dist = base / "dist"
        shutil.copytree(source / "GuideCheck", dist / "GuideCheck", symlinks=True)
        for archive in source.glob(f"GuideCheck-{__version__}-*.zip"):
            shutil.copy2(archive, dist / archive.name)
        return dist
    dist, work = base / "dist", base / "work"
    result = run([sys.executable, str(PACKAGING / "build.py"), "--dist", str(dist), "--work", str(work)],
                 clean_env(base), timeout=1500)  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Zip:" in result.stdout
    return dist


def test_zip_is_under_80_mb_and_holds_the_app_folder(built):
    zips = sorted(built.glob(f"GuideCheck-{__version__}-*.zip"))
    plain = [z for z in zips if not z.name.endswith("-portable.zip")]
    assert len(plain) == 1
    assert plain[0].stat().st_size < 80_000_000
    with zipfile.ZipFile(plain[0]) as archive:
        names = set(archive.namelist())
    assert f"GuideCheck/{EXE_NAME}" in names and "GuideCheck/README.txt" in names
    assert f"GuideCheck/{CLI_NAME}" in names
    assert "GuideCheck/_internal/questionnaires/who-ai-health-2025.yaml" in names
    assert "GuideCheck/_internal/assets/guidecheck.svg" in names
    assert not [n for n in names if n.startswith(("GuideCheck/data/", "GuideCheck/portable"))]


@pytest.mark.skipif(sys.platform == "darwin", reason="the macOS .app has no portable zip")
def test_portable_zip_carries_its_marker_and_no_data(built):
    portable = list(built.glob(f"GuideCheck-{__version__}-*-portable.zip"))
    assert len(portable) == 1
    with zipfile.ZipFile(portable[0]) as archive:
        names = set(archive.namelist())
        assert "portable mode" in archive.read("GuideCheck/portable.txt").decode("utf-8")
    assert f"GuideCheck/{EXE_NAME}" in names
    assert not [n for n in names if n.startswith("GuideCheck/data/")]


def test_a_data_folder_left_in_dist_fails_the_build(built):
    data = built / "GuideCheck" / "data"
    data.mkdir()
    try:
        result = run([sys.executable, str(PACKAGING / "build.py"), "--skip-build", "--dist", str(built)],
                     clean_env(built.parent))  # fmt: skip
    finally:
        data.rmdir()
    assert result.returncode == 2 and "must never ship" in result.stderr


def test_unused_qt_parts_and_test_tools_are_left_out(built):
    files = [
        p.relative_to(built / "GuideCheck").as_posix() for p in (built / "GuideCheck").rglob("*")
    ]
    for unwanted in ("QtNetwork", "Qt6Network", "QtQml", "Qt6Quick", "Qt6Pdf", "translations/", "tkinter",
                     "pytest", "hypothesis", "pypdf", "qgtk3"):  # fmt: skip
        assert not [f for f in files if unwanted in f], unwanted


def test_version_and_self_test_of_the_built_app(built, tmp_path):
    exe = built / "GuideCheck" / CLI_NAME
    env = clean_env(tmp_path)
    version = run([str(exe), "--version"], env)
    assert version.returncode == 0 and version.stdout.strip() == f"GuideCheck {__version__}"
    result = run([str(exe), "--self-test"], env)
    names = [name for name, _step in selftest.STEPS]
    assert step_lines(result.stdout) == expected_step_lines(result.stdout, names), (
        result.stdout + result.stderr
    )
    assert result.returncode == 0
    assert "Traceback" not in result.stderr


def test_built_app_round_trips_a_checklist_through_excel_and_ships_the_user_guide(built, tmp_path):
    """pyxform's data files and the guide are data, not modules: a build can miss them silently."""
    exe = built / "GuideCheck" / CLI_NAME
    env = clean_env(tmp_path)
    form, back = tmp_path / "form.xlsx", tmp_path / "back.yaml"
    out = run(
        [str(exe), "--cli", "questionnaires", "export-xlsform", "who-ai-health-2025", str(form)],
        env,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    back_in = run(
        [str(exe), "--cli", "questionnaires", "import-xlsform", str(form), "--out", str(back)], env
    )
    assert back_in.returncode == 0, back_in.stdout + back_in.stderr
    assert "who-ai-health-2025" in back.read_text(encoding="utf-8")
    guides = list((built / "GuideCheck").rglob("user-guide.md"))
    assert guides and guides[0].stat().st_size > 1000


@pytest.mark.parametrize("marker", ["portable.txt", "portable.txt.txt", "portable"])
def test_portable_mode_keeps_data_beside_the_executable(built, tmp_path, marker):
    exe = built / "GuideCheck" / CLI_NAME
    env = clean_env(tmp_path)
    (exe.parent / marker).write_text("", encoding="utf-8")  # Explorer may add a hidden .txt
    try:
        result = run([str(exe), "--cli", "assessment", "list"], env)
        assert result.returncode == 0, result.stderr
        assert (exe.parent / "data" / "guidecheck.db").is_file()
        assert (exe.parent / "data" / "logs").is_dir()
        assert not (
            tmp_path / "xdg-data" / "GuideCheck"
        ).exists()  # the user data folder is untouched
    finally:
        (exe.parent / marker).unlink()
        shutil.rmtree(exe.parent / "data", ignore_errors=True)  # never left for the next zip
    result = run(
        [str(exe), "--cli", "assessment", "list"], env
    )  # without the marker: the user folder
    assert result.returncode == 0
    assert (tmp_path / "xdg-data" / "GuideCheck" / "guidecheck.db").is_file()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the desktop entry is for Linux")
def test_linux_menu_entry_installer_points_at_the_unpacked_app(built, tmp_path):
    folder = built / "GuideCheck"
    env = clean_env(tmp_path)
    result = run(["sh", str(folder / "install-desktop-entry.sh")], env)
    assert result.returncode == 0, result.stderr
    desktop = (tmp_path / "xdg-data" / "applications" / "guidecheck.desktop").read_text(
        encoding="utf-8"
    )
    assert f'Exec="{folder / "GuideCheck"}"' in desktop.splitlines()
    assert (
        tmp_path / "xdg-data" / "icons" / "hicolor" / "48x48" / "apps" / "guidecheck.png"
    ).is_file()
    removed = run(["sh", str(folder / "install-desktop-entry.sh"), "--remove"], env)
    assert removed.returncode == 0
    assert not (tmp_path / "xdg-data" / "applications" / "guidecheck.desktop").exists()
