"""Fixtures for the language tests: the app switched to a language (and back to English after),
a checklist with every text in English, French and Portuguese, and a visible-text collector."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.gui.shell.translation import install_language

HERE = Path(__file__).resolve().parent
TRILINGUAL = HERE / "trilingual-checklist.yaml"
sys.path.append(str(HERE))  # for screen_texts


@pytest.fixture
def trilingual():
    return load_questionnaire(TRILINGUAL)


@pytest.fixture
def trilingual_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(TRILINGUAL, folder / TRILINGUAL.name)
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def switch(qapp: QApplication) -> Iterator[object]:
    """`switch("fr")` puts the whole app in French; English and left-to-right come back after."""
    before = QLocale()

    def to(lang: str) -> str:
        return install_language(qapp, lang)

    yield to
    install_language(qapp, "en")
    QLocale.setDefault(before)
    qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
