"""Portable mode under the names Explorer produces; the console twin runs the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from guidecheck import paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def frozen_app(tmp_path: Path, monkeypatch) -> Path:
    """This process looks like the unpacked package in tmp_path/GuideCheck (as PyInstaller sets it)."""
    folder = tmp_path / "GuideCheck"
    folder.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "GuideCheck.exe"))
    monkeypatch.delenv("GUIDECHECK_HOME", raising=False)
    return folder


@pytest.mark.parametrize("marker", ["portable.txt", "portable.txt.txt", "portable", "PORTABLE.TXT"])
def test_every_marker_name_means_portable(frozen_app: Path, marker: str):
    (frozen_app / marker).write_text("", encoding="utf-8")
    found = paths.portable_marker(frozen_app)
    if marker == "PORTABLE.TXT" and not (frozen_app / "portable.txt").exists():
        assert found is None  # a case-sensitive file system (Linux); Windows and macOS accept it
        return
    assert found is not None
    assert paths.data_home(create=False) == (frozen_app / "data").resolve()
    assert paths.data_home_source() == "portable"


def test_no_marker_means_the_user_folder(frozen_app: Path):
    (frozen_app / "portable.doc").write_text("", encoding="utf-8")
    (frozen_app / "portable.txt.txt").mkdir()  # a folder is not a marker
    assert paths.portable_home() is None
    assert paths.data_home_source() == "user"
    assert paths.data_home_source("X:/elsewhere") == "option"


def test_the_console_twin_runs_the_command_line(tmp_path: Path, monkeypatch, capsys):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import entry
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "guidecheck-cli.exe"))
    assert entry.is_console_build()
    code = entry.main(["--home", str(tmp_path / "h"), "questionnaires", "list"])
    assert code == 0 and "who-ai-health-2025" in capsys.readouterr().out
    monkeypatch.setattr(sys, "executable", str(tmp_path / "GuideCheck.exe"))
    assert not entry.is_console_build()
