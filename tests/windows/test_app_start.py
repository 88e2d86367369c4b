"""The windowed app: start-up problems on screen, one copy per data folder, where data is kept."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from guidecheck.errors import UserError
from guidecheck.gui import app as app_module
from guidecheck.gui.shell.single_instance import LOCK_NAME, REQUEST_NAME, SingleInstance
from guidecheck.gui.shell.tasks import TaskRunner
from guidecheck.paths import database_path
from guidecheck.storage.store import Store


@pytest.fixture
def boxes(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    return shown


def test_windowed_start_with_a_missing_data_folder_says_so_on_screen(qapp, boxes, tmp_path: Path):
    pulled = tmp_path / "E"
    pulled.write_text("", encoding="utf-8")
    assert app_module.main(["--home", str(pulled / "data")]) == 2
    assert boxes == [
        f"The data folder {pulled / 'data'} is missing and cannot be made (is the USB stick plugged in?)."
    ]


def test_a_second_copy_brings_the_first_forward(qtbot, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    first = SingleInstance(home)
    assert first.acquire()
    raised: list[bool] = []
    first.listen(lambda: raised.append(True))
    old = time.time() - 3600  # the first copy has been open for an hour: its lock still holds
    os.utime(home / LOCK_NAME, (old, old))
    second = SingleInstance(home)
    assert not second.acquire()
    answered: list[bool] = []  # the second copy waits in its own process; here in a thread
    asking = threading.Thread(target=lambda: answered.append(second.ask_first_to_show(wait=10)))
    asking.start()
    qtbot.waitUntil(lambda: bool(raised), timeout=10_000)
    asking.join()
    assert answered == [True]
    assert raised and not (home / REQUEST_NAME).exists()
    first.release()
    assert SingleInstance(home).acquire()  # released: the next start may open it


def test_a_killed_copy_leaves_no_lock_behind(tmp_path: Path):
    """The lock belongs to the process: held while it runs, gone when it is killed (a power cut
    leaves nothing to clear by hand either)."""
    home = tmp_path / "home"
    home.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from guidecheck.gui.shell.single_instance import SingleInstance;"
            "lock = SingleInstance(Path(sys.argv[1])); print(lock.acquire(), flush=True);"
            "time.sleep(60)",
            str(home),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        assert not SingleInstance(home).acquire()  # another process holds it
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert SingleInstance(home).acquire()


def test_an_earlier_version_can_still_open_the_folder_afterwards(tmp_path: Path):
    """Earlier versions lock `guidecheck.lock` with QLockFile; what this version leaves behind
    must never look to them like a copy still running (a stick moves between laptops)."""
    from PySide6.QtCore import QLockFile

    home = tmp_path / "home"
    home.mkdir()
    current = SingleInstance(home)
    assert current.acquire()
    current.release()
    earlier = QLockFile(str(home / "guidecheck.lock"))
    earlier.setStaleLockTime(0)
    assert earlier.tryLock(0)
    earlier.unlock()


def test_a_second_app_process_leaves_the_first_one_alone(qtbot, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    first = SingleInstance(home)
    assert first.acquire()
    raised: list[bool] = []
    first.listen(lambda: raised.append(True))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GUIDECHECK_STARTUP_PROBE": "1"}
    second = subprocess.Popen(
        [sys.executable, "-m", "guidecheck.gui.app", "--home", str(home)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    qtbot.waitUntil(lambda: bool(raised), timeout=30_000)
    out, err = second.communicate(timeout=30)
    assert second.returncode == 0, err
    assert "shown" not in out  # it opened no window of its own
    first.release()


def test_the_window_says_where_data_is_kept(qtbot, tmp_path: Path, monkeypatch):
    from guidecheck.gui.shell.dialogs import AboutDialog
    from guidecheck.gui.shell.main_window import MainWindow

    home = tmp_path / "home"
    home.mkdir()
    window = MainWindow(home)
    qtbot.addWidget(window)
    app_module.show_data_place(window, home, str(home))
    label = window.statusBar().findChild(QLabel, "data_place")
    assert label is not None and label.toolTip() == f"Data: {home}"
    assert label.text().startswith("Data: ") and label.text().endswith(f"{home.name}")
    assert app_module.data_place_text(home, "portable") == f"Data: {home} (portable: on this drive)"
    about = AboutDialog(window)
    qtbot.addWidget(about)
    assert about.data_place.text() == f"Your data is kept in: {home}"
    window.runner.shutdown()


def test_tasks_after_the_stick_is_pulled_fail_with_one_sentence_each(qtbot, tmp_path: Path):
    stick = tmp_path / "stick"
    home = stick / "data"
    with Store(database_path(home)):
        pass
    runner = TaskRunner(lambda: Store(database_path(home)))
    failures: list[BaseException] = []
    shutil.rmtree(stick)
    stick.write_text("", encoding="utf-8")  # the drive is gone: nothing can be made there

    def read_directly(_context) -> None:
        sqlite3.connect(f"file:{database_path(home)}?mode=ro", uri=True).execute("SELECT 1")

    for work in (lambda context: context.store(), read_directly, lambda context: context.store()):
        task = runner.task(work).failure(failures.append)
        task.run()
        qtbot.waitUntil(lambda task=task: task.done, timeout=10_000)
    runner.shutdown()
    assert len(failures) == 3 and all(isinstance(f, UserError) for f in failures)
    assert "is missing" in failures[0].message
    assert failures[1].message.startswith("GuideCheck cannot reach its data folder any more")
