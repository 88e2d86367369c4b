"""The log file rotates by itself: bounded on disk, newest records kept, none lost or torn."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from guidecheck import logs


def record(text: str) -> logging.LogRecord:
    return logging.LogRecord("guidecheck.test", logging.INFO, __file__, 1, text, None, None)


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_log_rotates_at_its_size_keeping_three_older_files(tmp_path: Path):
    path = tmp_path / logs.LOG_NAME
    handler = logs._RotatingFile(path, max_bytes=200)
    try:
        for n in range(100):
            handler.handle(record(f"record {n:03d} " + "x" * 20))
    finally:
        handler.close()
    files = [path, *(path.with_name(f"{path.name}.{k}") for k in (1, 2, 3))]
    assert all(file.exists() for file in files)
    assert not path.with_name(f"{path.name}.4").exists()  # older records are dropped
    assert all(file.stat().st_size <= 200 for file in files)
    kept = [line for file in reversed(files) for line in read_lines(file)]
    # oldest file first: the newest records, in order, each once and whole, ending with the last
    numbers = [int(line.split()[1]) for line in kept]
    assert numbers == list(range(numbers[0], 100))
    assert all(line.endswith("x" * 20) for line in kept)


def test_a_record_bigger_than_the_limit_still_gets_written(tmp_path: Path):
    path = tmp_path / logs.LOG_NAME
    handler = logs._RotatingFile(path, max_bytes=50)
    try:
        handler.handle(record("a traceback " + "y" * 200))
        handler.handle(record("next"))
    finally:
        handler.close()
    assert "y" * 200 in path.with_name(f"{path.name}.1").read_text(encoding="utf-8")
    assert read_lines(path) == ["next"]


def test_records_from_many_threads_land_whole(tmp_path: Path):
    path = tmp_path / logs.LOG_NAME
    handler = logs._RotatingFile(path, max_bytes=1_000_000)

    def write(thread: int) -> None:
        for n in range(200):
            handler.handle(record(f"thread {thread} record {n} " + "z" * 50))

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handler.close()
    lines = read_lines(path)
    assert len(lines) == 800
    assert all(line.endswith(" " + "z" * 50) and line.startswith("thread ") for line in lines)
