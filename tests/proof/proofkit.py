"""Helpers for the proof tests: real data folders, real processes, whole-database dumps.

`dump_database` is how the proofs show that "nothing changed": every row of every table,
compared before and after a refused input.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from guidecheck.checklist.model import Profile
from guidecheck.paths import questionnaires_dir

HERE = Path(__file__).resolve().parent
# The WHO checklist 1.0.0 (format 1, archived): its item ids and profile are what these proofs use.
WHO_PATH = questionnaires_dir() / "archive" / "who-ai-health-2025-1.0.0.yaml"
SHIPPED_WHO_PATH = questionnaires_dir() / "who-ai-health-2025.yaml"
MINI_PATH = HERE.parent / "core" / "data" / "mini.yaml"
# What the proofs did, printed at the end of the run (kills survived, cases refused, ...).
TALLY: Counter[str] = Counter()


def make_profile(code: str = "KE-0101", assessor: str = "Wanjiru K.") -> Profile:
    return Profile(
        facility_name="Kisumu Health Centre",
        facility_code=code,
        district="Kisumu",
        region="Nyanza",
        tool_name="TriageAssist",
        tool_vendor="Acme Health",
        tool_version="3.2",
        use_category="patient_triage",
        assessor_name=assessor,
        assessor_role="Nurse",
        date="2026-11-20",
    )


def cli_env() -> dict[str, str]:
    # The suite's key settings stay (tests/conftest.py): the passphrase file and the test-only cost.
    kept = ("GUIDECHECK_PASSPHRASE_FILE", "GUIDECHECK_TEST_KDF_LOG_N")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDECHECK_") or k in kept}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_cli(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real `guidecheck` command in its own process, on this data folder."""
    command = [sys.executable, "-m", "guidecheck.cli.main", "--home", str(home), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=cli_env())


def dump_database(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sorted), read through a fresh read-only connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
