"""The installation self-test from the source tree: every step passes, and a failure is one line."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from packaging_helpers import PACKAGING, ROOT, clean_env, expected_step_lines, run, step_lines

from guidecheck import __version__, selftest
from guidecheck.errors import UserError
from guidecheck.gui import selftest as app_selftest
from guidecheck.storage.store import Store

STEP_NAMES = [name for name, _step in selftest.STEPS]


def test_cli_selftest_passes_every_step_and_leaves_no_data_behind(tmp_path):
    env = clean_env(tmp_path, GUIDECHECK_HOME=str(tmp_path / "data"))
    result = run([sys.executable, "-m", "guidecheck.cli.main", "selftest"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert step_lines(result.stdout) == expected_step_lines(result.stdout, STEP_NAMES)
    assert "Traceback" not in result.stderr
    # The suite names keyring's `fail` backend (tests/conftest.py): the step says what is used.
    assert (
        "   key store: a passphrase (this computer has no usable system key store)" in result.stdout
    )
    # Only the real data folder's write check touched it: no database, no keys.
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == []


def test_the_apps_self_test_adds_the_qt_steps(tmp_path):
    env = clean_env(tmp_path, GUIDECHECK_HOME=str(tmp_path / "data"))
    result = run([sys.executable, "-m", "guidecheck.gui.app", "--self-test"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    app_steps = [name for name, _step in app_selftest.STEPS]
    assert app_steps == STEP_NAMES + ["qt offscreen", "main window", "qt platform"]
    assert step_lines(result.stdout) == expected_step_lines(result.stdout, app_steps)


def test_a_failing_step_is_one_line_and_later_steps_say_what_is_missing(tmp_path, monkeypatch):
    not_a_db = tmp_path / "clinic" / "guidecheck.db"
    not_a_db.parent.mkdir()
    not_a_db.write_bytes(b"this is not SQLite\n" * 100)

    def broken_database(ws: selftest.Workspace) -> None:
        ws.clinic = Store(not_a_db)  # the real store refuses the file with one sentence

    out = io.StringIO()
    code = selftest.run(out, steps=(("database", broken_database), ("assessment", selftest.step_assessment),
                                    ("qt offscreen", app_selftest.step_qt)))  # fmt: skip
    lines = out.getvalue().splitlines()
    assert code == 1
    assert len(lines) == 3
    assert (
        lines[0].startswith("FAILED database: The file ")
        and "is not a GuideCheck database" in lines[0]
    )
    assert lines[1] == "FAILED assessment: The step 'database' before this one did not succeed."
    assert lines[2] == "OK qt offscreen"


def test_one_sentence_keeps_user_messages_and_flattens_others():
    assert selftest.one_sentence(UserError("The disk is full.")) == "The disk is full."
    assert selftest.one_sentence(OSError("line one\nline two")) == "OSError: line one line two"
    assert selftest.one_sentence(RuntimeError()) == "RuntimeError"
    assert len(selftest.one_sentence(ValueError("x" * 1000))) == 300


def test_self_test_answers_fit_every_item_type_of_the_shipped_checklist():
    from guidecheck.checklist.answers import normalize_value
    from guidecheck.checklist.loading import load_all

    report = load_all()
    assert report.questionnaires and not report.errors
    for questionnaire in report.questionnaires:
        for item in questionnaire.items:
            normalize_value(item, selftest.self_test_value(item))  # raises AnswerError if not valid


def test_entry_script_from_source_prints_version_and_runs_the_cli(tmp_path):
    env = clean_env(tmp_path, PYTHONPATH=str(ROOT / "desktop"))
    entry = str(PACKAGING / "entry.py")
    version = run([sys.executable, entry, "--version"], env)
    assert version.returncode == 0 and version.stdout.strip() == f"GuideCheck {__version__}"
    listing = run(
        [sys.executable, entry, "--cli", "--home", str(tmp_path / "h"), "questionnaires", "list"],
        env,
    )
    assert listing.returncode == 0, listing.stderr
    assert "who-ai-health-2025" in listing.stdout
    bad = run([sys.executable, entry, "--cli", "no-such-command"], env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert not Path(tmp_path / "xdg-data" / "GuideCheck" / "guidecheck.db").exists()
