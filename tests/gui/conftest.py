"""Fixtures for the desktop tests: a fresh data folder and SQLite database per test, real widgets."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import open_window, sample_profile  # noqa: F401 - re-exported for fixtures

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.gui.shell.main_window import MainWindow
from guidecheck.storage.store import Store

HERE = Path(__file__).resolve().parent
MINI = HERE / "mini-checklist.yaml"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def checklists(tmp_path: Path) -> Path:
    """A questionnaires folder holding only the small test checklist."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(MINI, folder / MINI.name)
    return folder


@pytest.fixture
def mini():
    return load_questionnaire(MINI)


@pytest.fixture
def window(qtbot, home: Path, checklists: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, home, checklists)
    yield win
    if not win.runner._closed:
        win.close()


def read_store(home: Path) -> Store:
    return Store(home / "guidecheck.db")


@pytest.fixture
def themed_app(qapp):
    """The app, with its palette put back after a test that switches to dark or light."""
    original = qapp.palette()
    yield qapp
    qapp.setPalette(original)
