"""Fixtures for the interop tests: the district tests' three-clinic hub, built per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "district"))
sys.path.insert(0, str(Path(__file__).parent.parent / "windows"))

from hub_builder import build_hub


@pytest.fixture
def hub(tmp_path):
    built = build_hub(tmp_path)
    yield built
    built.store.close()
