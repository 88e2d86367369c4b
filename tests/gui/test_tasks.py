"""The background-work helper: callbacks on the GUI thread, in order, with progress and cancel."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from guidecheck.errors import UserError
from guidecheck.gui.shell.tasks import TaskRunner


def test_success_runs_on_gui_thread_after_work_in_worker(qtbot):
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def work(_context):
        seen["work_thread"] = threading.current_thread().name
        return 41 + 1

    def done(value):
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is qtbot_app_thread()

    runner.task(work).success(done).run()
    qtbot.waitUntil(lambda: "value" in seen)
    assert seen["value"] == 42
    assert seen["gui"] is True
    assert str(seen["work_thread"]).startswith("guidecheck-db")
    runner.shutdown()


def qtbot_app_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_failure_callback_gets_the_error_and_order_is_kept(qtbot):
    runner = TaskRunner()
    events: list[str] = []
    for n in range(5):
        runner.task(lambda _c, n=n: events.append(f"work{n}")).success(
            lambda _r, n=n: events.append(f"ok{n}")
        ).run()
    errors: list[BaseException] = []

    def fail(_context):
        raise UserError("The file cannot be read.")

    runner.task(fail).failure(errors.append).run()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert [e for e in events if e.startswith("work")] == [f"work{n}" for n in range(5)]
    assert [e for e in events if e.startswith("ok")] == [f"ok{n}" for n in range(5)]
    assert len(errors) == 1 and str(errors[0]) == "The file cannot be read."
    runner.shutdown()


def test_progress_and_cancel(qtbot):
    runner = TaskRunner()
    gate = threading.Event()
    progress: list[tuple[int, int, str]] = []
    results: list[object] = []
    finished: list[bool] = []

    def slow(context):
        for step in range(1, 4):
            context.progress(step, 3, "step")
        gate.wait(5)
        context.check_cancelled()
        return "not expected"

    task = (
        runner.task(slow)
        .progress(lambda d, t, label: progress.append((d, t, label)))
        .success(results.append)
    )
    task.finished(lambda: finished.append(True)).run()
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: finished == [True])
    assert progress == [(1, 3, "step"), (2, 3, "step"), (3, 3, "step")]
    assert results == []  # a cancelled task never calls success
    runner.shutdown()


def test_worker_owns_the_store_and_closes_it_on_shutdown(qtbot, tmp_path):
    from guidecheck.storage.store import Store

    opened: list[Store] = []

    def factory():
        store = Store(tmp_path / "guidecheck.db")
        opened.append(store)
        return store

    runner = TaskRunner(factory)
    counts: list[int] = []
    runner.task(lambda c: len(c.store.list_assessments())).success(counts.append).run()
    runner.task(lambda c: len(c.store.facilities())).success(counts.append).run()
    qtbot.waitUntil(lambda: len(counts) == 2)
    assert counts == [0, 0] and len(opened) == 1  # one connection, reused
    runner.shutdown()
    import sqlite3

    import pytest

    with pytest.raises(sqlite3.ProgrammingError):
        opened[0].conn.execute("SELECT 1")
