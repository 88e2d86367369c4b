"""Fixtures for the Windows-readiness tests: Windows' file rules imitated on Linux (`windows_fs`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from windows_rules import WindowsRules


@pytest.fixture
def windows_fs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WindowsRules:
    """tmp_path behaves like a Windows folder (open files locked, names checked, case folded)."""
    return WindowsRules(tmp_path, monkeypatch).install()
