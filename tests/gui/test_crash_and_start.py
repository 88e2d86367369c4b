"""The exception hook logs and speaks plainly; the app starts without the heavy libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from guidecheck.errors import UserError
from guidecheck.gui.shell import crash

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("reportlab", "openpyxl", "cryptography", "pyrage")


@pytest.fixture
def dialogs(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    return shown


@pytest.fixture
def handler(tmp_path):
    old_hook, old_thread_hook = sys.excepthook, __import__("threading").excepthook
    installed = crash.install(tmp_path)
    yield installed
    sys.excepthook = old_hook
    __import__("threading").excepthook = old_thread_hook
    crash._handler = None


def raise_and_catch(error: BaseException):
    try:
        raise error
    except BaseException as caught:  # noqa: BLE001 - builds the exc_info the hook receives
        return type(caught), caught, caught.__traceback__


def test_unexpected_error_is_logged_with_traceback_and_shown_without(
    qapp, handler, dialogs, tmp_path
):
    handler.handle(*raise_and_catch(ZeroDivisionError("division by zero in scoring")))
    log = (tmp_path / "logs" / "guidecheck.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError" in log
    assert len(dialogs) == 1
    assert str(tmp_path / "logs" / "guidecheck.log") in dialogs[0]
    assert "Traceback" not in dialogs[0] and "ZeroDivisionError" not in dialogs[0]


def test_user_error_is_shown_as_its_own_sentence(qapp, handler, dialogs):
    handler.handle(*raise_and_catch(UserError("The key file is not a district key.")))
    assert dialogs == ["The key file is not a district key."]


def test_errors_in_a_slot_reach_the_hook(qtbot, handler, dialogs, tmp_path):
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("boom")
    qtbot.addWidget(button)

    def explode():
        raise RuntimeError("unexpected state")

    button.clicked.connect(explode)
    sys.excepthook = handler.handle  # pytest-qt replaces the hook while a test runs
    with qtbot.capture_exceptions():
        sys.excepthook = handler.handle
        button.click()
    assert dialogs and "guidecheck.log" in dialogs[0]
    assert "unexpected state" in (tmp_path / "logs" / "guidecheck.log").read_text(encoding="utf-8")


def run_python(code: str, home: Path) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GUIDECHECK_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_starting_the_app_loads_no_heavy_library(tmp_path):
    code = (
        "import os, sys\n"
        "os.environ['GUIDECHECK_STARTUP_PROBE'] = '1'\n"
        "from guidecheck.gui.app import main\n"
        f"code = main(['--home', {str(tmp_path)!r}])\n"
        f"print('heavy', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
        "print('svg', 'PySide6.QtSvgWidgets' in sys.modules)\n"
    )
    out = run_python(code, tmp_path)
    assert "shown " in out
    assert "heavy []" in out
    assert "svg False" in out
    assert (tmp_path / "guidecheck.db").exists()


# Loaded only when a person does something that needs them, never to show the first window
# (the home screen and the window shell): a new import of one of these on the start-up path shows
# up here, not only as a slower figure in bench/bench_startup.py.
NOT_AT_FIRST_SHOW = (
    *HEAVY,
    "sqlite_utils",
    "yaml",
    "babel",
    "sqlite3",  # the database opens in the worker thread, after the window is shown
    "logging.handlers",  # socket, pickle and queue for handlers we never use (logs.py)
    "secrets",  # hashlib and OpenSSL (atomic.py draws its random names from os.urandom)
    "guidecheck.storage",
    "guidecheck.bundles",
    "guidecheck.reports",
    "guidecheck.district",
    "guidecheck.checklist",  # the home screen's first frame shows no checklist words yet
    "guidecheck.gui.shell.labels",  # the words and colours of codes come with the first rows
    "guidecheck.gui.shell.theme",  # the first frame uses the palette's own colours
    "guidecheck.gui.hub",
    "guidecheck.gui.sync.bundle_dialogs",
    "guidecheck.gui.sync.export_dialog",
    "guidecheck.gui.sync.import_dialog",
    "guidecheck.gui.sync.dialog_parts",
    "guidecheck.gui.assessment.home_model",  # the table is built with the first rows
    "guidecheck.gui.assessment.new_assessment",
    "guidecheck.gui.assessment.walkthrough",
    "guidecheck.gui.assessment.summary",
    "PySide6.QtSvg",
)


# Qt classes whose Python types PySide6 builds, with their enums, on first use: QStyle ~4 ms,
# QMessageBox ~1 ms, the item views with the first rows of the home list.
NOT_AT_FIRST_SHOW_QT = {"QStyle", "QMessageBox", "QTableView", "QHeaderView", "QStyledItemDelegate"}


def run_with_probe(home, probe: str) -> str:
    """Start the app offscreen with GUIDECHECK_STARTUP_PROBE set; what it printed."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GUIDECHECK_STARTUP_PROBE": probe}
    result = subprocess.run(
        [sys.executable, "-m", "guidecheck.gui.app", "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_first_window_loads_only_what_the_home_screen_needs(tmp_path):
    lines = run_with_probe(tmp_path, "modules").splitlines()
    assert lines[0].startswith("shown ") and lines[1].startswith("modules ")
    loaded = set(lines[1].split()[1:])
    assert "guidecheck.gui.assessment.home" in loaded  # the list names what the window loaded
    early = sorted(
        name
        for name in loaded
        for package in NOT_AT_FIRST_SHOW
        if name == package or name.startswith(package + ".")
    )
    assert early == []
    classes = next(line for line in lines if line.startswith("qt-classes ")).split()[1:]
    assert "QWidget" in classes  # the list names what the window used
    # QStyle's Python type and its dozens of enums (~4 ms) are not needed to show the home screen
    assert not set(classes) & NOT_AT_FIRST_SHOW_QT
    # the list itself still arrives, read after the show
    assert any(line.startswith("listed ") for line in lines[2:])


def test_startup_probe_prints_time_and_memory(tmp_path):
    words = run_with_probe(tmp_path, "1").split()
    assert words[0] == "shown" and 0 < float(words[1]) < 30
    assert words[2] == "rss" and int(words[3]) > 10_000


def test_many_signals_and_empty_qvariants_do_not_abort_the_interpreter(tmp_path):
    """PySide6 6.12.0 on Python 3.11 over-releases True and None and aborts the interpreter; the
    PySide6 we install must not (pyproject excludes 6.12.0)."""
    code = (
        "import guidecheck.gui\n"
        "from PySide6.QtCore import QObject, Signal\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "class Source(QObject):\n"
        "    changed = Signal(bool)\n"
        "source = Source(); source.changed.connect(lambda on: None)\n"
        "label = QLabel()\n"
        "for _ in range(20000):\n"
        "    source.changed.emit(True)\n"
        "    label.property('unset')\n"
        "print('done')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "done"
