"""Suite-wide hooks.

- `GUIDECHECK_WINDOWS_RULES=1 make test` runs every test that uses a tmp_path under Windows' file
  rules imitated on Linux (tests/windows/windows_rules.py): open files cannot be deleted or renamed,
  Windows-invalid names are refused, names are case-insensitive. The tests in tests/windows/ use
  these rules always; this switch lets the whole suite look for Windows bugs.
- `make test` runs the suite in parallel with pytest-xdist (one process per core, at most 4;
  CONTRIBUTING.md says what keeps a test isolated). Tests marked `long` are started first then,
  so the longest ones do not run last on one worker while the other waits; and the proof counts
  each worker gathered (tests/proof/proofkit.TALLY) are added up and printed once at the end.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
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

# The proof counts sent back by finished xdist workers (the main process runs no test itself).
_WORKER_PROOF_COUNTS: Counter[str] = Counter()


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In an xdist worker, put the tests marked `long` first (a stable sort: the rest keep their
    order). Every worker collects the same list in the same order, as xdist requires."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: item.get_closest_marker("long") is None)


def _proof_tally() -> Counter[str]:
    proofkit = sys.modules.get("proofkit")  # imported only when a proof test ran here
    return Counter(proofkit.TALLY) if proofkit is not None else Counter()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In an xdist worker: hand this worker's proof counts to the main process."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["proof_counts"] = dict(_proof_tally())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # type: ignore[no-untyped-def]
    """In the xdist main process: add up the proof counts of a worker that finished."""
    _WORKER_PROOF_COUNTS.update(getattr(node, "workeroutput", {}).get("proof_counts", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the proof counts (kills survived, fuzz cases refused...) at the end of the run."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    counts = _proof_tally()
    counts.update(_WORKER_PROOF_COUNTS)  # update, not +: a count of 0 is still printed
    if counts:
        terminalreporter.section("proof counts")
        for name, count in sorted(counts.items()):
            terminalreporter.write_line(f"{name}: {count}")


@pytest.fixture
def profile():
    """One clinic's profile, as the core and monitoring tests fill it (a plain model object)."""
    from guidecheck.checklist.model import Profile

    return Profile(
        facility_name="Clínica São João",
        facility_code="MZ-0042",
        district="Maputo",
        region="South",
        tool_name="ChestScan",
        tool_vendor="Acme",
        tool_version="2.1",
        use_category="diagnostic_imaging",
        assessor_name="Amina N.",
        assessor_role="Nurse",
        date="2026-11-20",
    )
