"""The one way the desktop app runs work off the GUI thread.

A single worker thread owns the database connection (SQLite connections belong to the thread that
opened them), so every database call is queued there in order and no two writes ever race.
While a runner exists, Python's automatic garbage collection is off and runs on the GUI thread on
a timer instead (as Anki does): a collection triggered inside the worker could otherwise destroy
Qt widgets from the wrong thread and crash the app.
Results come back to the GUI thread through a queued Qt signal, where the `success` or `failure`
callback runs. A task can report progress and be cancelled; it checks `context.cancelled`.
The worker thread (and the concurrent.futures import, ~2 ms) starts with the first task, which
comes after the window is shown: start-up is benchmarked.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from guidecheck.fileops import storage_unavailable

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from guidecheck.storage.store import Store

log = logging.getLogger(__name__)


GC_INTERVAL_MS = 5_000
_gc_users = 0


def _hold_gc() -> None:
    global _gc_users
    _gc_users += 1
    if _gc_users == 1:
        gc.disable()


def _release_gc() -> None:
    global _gc_users
    _gc_users = max(0, _gc_users - 1)
    if _gc_users == 0:
        gc.collect()  # on the GUI thread, which is the thread calling shutdown()
        gc.enable()


class TaskCancelled(Exception):
    """Raised inside a task (by `context.check_cancelled()`) to stop early; no callback runs."""


class TaskContext:
    """What a task function receives: the worker's resources, progress reporting and cancel."""

    def __init__(self, runner: TaskRunner, task: Task) -> None:
        self._runner = runner
        self._task = task

    @property
    def store(self) -> Any:
        """The worker thread's own store, opened on first use."""
        return self._runner._worker_store()

    @property
    def cancelled(self) -> bool:
        return self._task.cancel_requested

    def check_cancelled(self) -> None:
        if self._task.cancel_requested:
            raise TaskCancelled()

    def progress(self, done: int, total: int, label: str = "") -> None:
        """Report progress; the task's `progress` callback runs on the GUI thread."""
        if self._task.on_progress is not None:
            callback = self._task.on_progress
            self._runner._post(lambda: callback(done, total, label))


class Task:
    """One unit of background work, built by `TaskRunner.task(...)` and started by `run()`."""

    def __init__(self, runner: TaskRunner, work: Callable[[TaskContext], Any]) -> None:
        self._runner = runner
        self._work = work
        self.on_success: Callable[[Any], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self.on_progress: Callable[[int, int, str], None] | None = None
        self.on_finished: Callable[[], None] | None = None
        self.cancel_requested = False
        self.done = False

    def success(self, callback: Callable[[Any], None]) -> Task:
        self.on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Task:
        self.on_failure = callback
        return self

    def progress(self, callback: Callable[[int, int, str], None]) -> Task:
        self.on_progress = callback
        return self

    def finished(self, callback: Callable[[], None]) -> Task:
        """Runs after success, failure or cancel: the place to hide a progress indicator."""
        self.on_finished = callback
        return self

    def cancel(self) -> None:
        self.cancel_requested = True

    def run(self) -> Task:
        self._runner._submit(self)
        return self


class TaskRunner(QObject):
    """Single-worker executor for database and other slow work, with GUI-thread callbacks."""

    _callback_ready = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        store_factory: Callable[[], Any] | None = None,
        unhandled: Callable[[BaseException], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store_factory = store_factory
        self._store: Store | None = None
        self._unhandled = unhandled
        self._pool: ThreadPoolExecutor | None = None  # started by the first task (_executor)
        self._pending = 0
        self._lock = threading.Lock()
        self._closed = False
        # AutoConnection is queued here: the worker thread emits, this object lives in the GUI thread.
        self._callback_ready.connect(self._run_callback)
        _hold_gc()
        self._gc_timer = QTimer(self)
        self._gc_timer.setInterval(GC_INTERVAL_MS)
        self._gc_timer.timeout.connect(gc.collect)
        self._gc_timer.start()

    # -- public -------------------------------------------------------------------------------
    def task(self, work: Callable[[TaskContext], Any]) -> Task:
        """A task calling `work(context)` in the worker; chain `.success(...)` and `.run()`."""
        return Task(self, work)

    def run(
        self,
        work: Callable[[TaskContext], Any],
        success: Callable[[Any], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
    ) -> Task:
        task = Task(self, work)
        task.on_success = success
        task.on_failure = failure
        return task.run()

    @property
    def pending(self) -> int:
        """Tasks queued or running whose callbacks have not yet run on the GUI thread."""
        return self._pending

    def call_blocking(self, work: Callable[[TaskContext], Any]) -> Any:
        """Run `work` in the worker and wait for it (start-up and shutdown only)."""
        task = Task(self, work)
        future = self._executor.submit(self._call, task)
        return future.result()

    def shutdown(self) -> None:
        """Finish queued work (answers still being written), close the store, stop the thread."""
        if self._closed:
            return
        self._closed = True
        self._gc_timer.stop()
        if self._pool is not None:  # no task ever ran: no thread, no store to close
            self._pool.submit(self._close_store)
            self._pool.shutdown(wait=True)
        _release_gc()

    # -- internals ----------------------------------------------------------------------------
    @property
    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guidecheck-db")
        return self._pool

    def _worker_store(self) -> Any:
        if self._store is None:
            if self._store_factory is None:
                raise RuntimeError("this task runner has no store")
            self._store = self._store_factory()
        return self._store

    def _close_store(self) -> None:
        store = self._store
        self._store = None
        if store is not None:
            close = getattr(store, "close", None)
            try:
                if close is not None:
                    close()
                else:
                    store.conn.close()
            except Exception:  # closing at shutdown must never stop the app from quitting
                log.exception("closing the store failed")

    def _post(self, callback: Callable[[], None]) -> None:
        self._callback_ready.emit(callback)

    @Slot(object)
    def _run_callback(self, callback: Callable[[], None]) -> None:
        callback()

    def _submit(self, task: Task) -> None:
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        with self._lock:
            self._pending += 1
            if self._pending == 1:
                self.busy_changed.emit(True)
        self._executor.submit(self._execute, task)

    def _call(self, task: Task) -> Any:
        return task._work(TaskContext(self, task))

    def _execute(self, task: Task) -> None:
        try:
            if task.cancel_requested:
                raise TaskCancelled()
            result = self._call(task)
        except TaskCancelled:
            self._post(lambda: self._complete(task, None, None, cancelled=True))
        except BaseException as error:  # noqa: BLE001 - handed to the GUI thread, never lost
            plain = storage_unavailable(error)  # a pulled stick: a plain sentence, not a crash
            if plain is not None:
                log.warning("data folder unavailable: %s", error)
                error = plain
            self._post(lambda failure=error: self._complete(task, None, failure))
        else:
            self._post(lambda: self._complete(task, result, None))

    def _complete(
        self, task: Task, result: Any, error: BaseException | None, cancelled: bool = False
    ) -> None:
        try:
            if cancelled or task.cancel_requested:
                pass
            elif error is not None:
                if task.on_failure is not None:
                    task.on_failure(error)
                elif self._unhandled is not None:
                    self._unhandled(error)
                else:
                    log.error("background task failed", exc_info=error)
            elif task.on_success is not None:
                task.on_success(result)
        finally:
            task.done = True
            with self._lock:
                self._pending -= 1
                idle = self._pending == 0
            if idle:
                self.busy_changed.emit(False)
            if task.on_finished is not None:
                task.on_finished()
