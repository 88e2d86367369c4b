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

# Private keys: this machine (like CI) has no system key store, and a developer's real one must
# never receive test keys, so keyring's own `fail` backend is named for the whole suite (and the
# CLI processes it starts). Every key made then takes the passphrase path: its passphrase comes
# from this file. The scrypt cost of keys made by the suite is lowered (see "Keys at rest" in docs/security.md);
# a normal install ignores nothing of this and writes the production cost (test_key_protection).
TEST_PASSPHRASE_FILE = Path(__file__).parent / "test-passphrase.txt"
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ["GUIDECHECK_PASSPHRASE_FILE"] = str(TEST_PASSPHRASE_FILE)
os.environ.setdefault("GUIDECHECK_TEST_KDF_LOG_N", "10")  # "17" measures the real cost


@pytest.fixture(autouse=True)
def _windows_rules_everywhere(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    if os.environ.get("GUIDECHECK_WINDOWS_RULES") == "1" and "tmp_path" in request.fixturenames:
        from windows_rules import WindowsRules

        WindowsRules(request.getfixturevalue("tmp_path"), monkeypatch).install()
    yield


@pytest.fixture(autouse=True)
def _fresh_passphrase_source() -> Iterator[None]:
    """A test that ran the CLI with `--passphrase-file` leaves no passphrase source behind."""
    yield
    protection = sys.modules.get("guidecheck.bundles.key_protection")
    if protection is not None:
        protection.configure(None, None)
