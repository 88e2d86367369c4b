"""Suite-wide option: `GUIDECHECK_WINDOWS_RULES=1 make test` runs every test that uses a tmp_path
under Windows' file rules imitated on Linux (tests/windows/windows_rules.py): open files cannot be
deleted or renamed, Windows-invalid names are refused, names are case-insensitive. The tests in
tests/windows/ use these rules always; this switch lets the whole suite look for Windows bugs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "windows"))


@pytest.fixture(autouse=True)
def _windows_rules_everywhere(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    if os.environ.get("GUIDECHECK_WINDOWS_RULES") == "1" and "tmp_path" in request.fixturenames:
        from windows_rules import WindowsRules

        WindowsRules(request.getfixturevalue("tmp_path"), monkeypatch).install()
    yield
