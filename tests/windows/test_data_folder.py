"""A read-only, missing or vanished data folder: one plain sentence, logs kept somewhere real."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from winkit import clinic_with_assessment

from guidecheck import logs
from guidecheck.errors import UserError
from guidecheck.fileops import storage_unavailable
from guidecheck.paths import database_path

PLAIN_NEVER = (
    "Traceback",
    "not a GuideCheck database",
    "Something went wrong",
    "Details were written",
)


def guidecheck(home: Path, *args: str, as_plain_user: bool = False) -> subprocess.CompletedProcess:
    """The real `guidecheck` command; `as_plain_user` drops root's power to ignore folder modes."""
    prefix = [sys.executable]
    if as_plain_user and hasattr(os, "geteuid") and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: folder modes are not enforced")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", sys.executable]
    env = {**os.environ, **local_folders(home.parent / "local-state")}
    return subprocess.run(
        [*prefix, "-m", "guidecheck.cli.main", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def local_folders(folder: Path) -> dict[str, str]:
    """Environment naming this computer's own folders (the log fallback) on Linux and Windows."""
    return {"XDG_STATE_HOME": str(folder), "LOCALAPPDATA": str(folder),
            "WIN_PD_OVERRIDE_LOCAL_APPDATA": str(folder)}  # fmt: skip


def read_only(folder: Path) -> None:
    if sys.platform == "win32":
        pytest.skip(
            "Windows ignores a folder's read-only mode; a read-only stick needs the hardware switch"
        )
    folder.chmod(0o500)


def test_a_data_folder_that_cannot_be_made_on_a_read_only_stick(tmp_path: Path):
    stick = tmp_path / "stick"
    stick.mkdir()
    read_only(stick)
    try:
        done = guidecheck(stick / "data", "assessment", "list", as_plain_user=True)
    finally:
        stick.chmod(0o755)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"The data folder {stick / 'data'} is read-only, so GuideCheck cannot keep records there. "
        "Make the USB stick writable, or start GuideCheck with a folder you can write to."
    )
    assert not any(word in done.stderr for word in PLAIN_NEVER)


def test_an_existing_database_on_a_read_only_stick_is_not_called_bad(tmp_path: Path):
    home = tmp_path / "stick" / "data"
    clinic_with_assessment(home)
    for path in home.rglob("*"):
        if path.is_file():
            path.chmod(0o400)
    read_only(home)
    try:
        done = guidecheck(home, "assessment", "list", as_plain_user=True)
    finally:
        home.chmod(0o755)
    assert done.returncode == 2, done.stdout
    assert "is read-only" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not any(word in done.stderr for word in PLAIN_NEVER), done.stderr


def test_a_missing_data_folder(tmp_path: Path):
    pulled = tmp_path / "E"
    pulled.write_text("", encoding="utf-8")  # the drive letter now leads nowhere a folder can be
    done = guidecheck(pulled / "data", "assessment", "list")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"The data folder {pulled / 'data'} is missing and cannot be made (is the USB stick plugged in?)."
    )


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows cannot delete a folder holding an open log; a pulled stick needs real hardware",
)
def test_log_moves_to_this_computer_when_the_stick_is_pulled(tmp_path: Path, monkeypatch):
    for name, value in local_folders(tmp_path / "local").items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "stick" / "data"
    home.mkdir(parents=True)
    first = logs.setup_logging(home)
    assert first == home / "logs" / "guidecheck.log"
    log = logging.getLogger("guidecheck.test")
    log.warning("before the stick was pulled")
    shutil.rmtree(tmp_path / "stick")  # pulled
    log.error("after the stick was pulled")
    moved = logs.current_log_path()
    assert moved is not None and moved != first and tmp_path / "local" in moved.parents
    assert "after the stick was pulled" in moved.read_text(encoding="utf-8")
    assert logs.setup_logging(home) == moved  # asked again: the place that works


def test_log_on_a_read_only_data_folder_goes_to_this_computer(tmp_path: Path, monkeypatch):
    for name, value in local_folders(tmp_path / "local").items():
        monkeypatch.setenv(name, value)
    home = tmp_path / "ro"
    home.mkdir()
    (home / "logs").write_text("", encoding="utf-8")  # logs/ cannot be made as a folder
    path = logs.setup_logging(home)
    assert tmp_path / "local" in path.parents
    logging.getLogger("guidecheck.test").error("kept")
    assert "kept" in path.read_text(encoding="utf-8")


def test_sqlite_errors_from_a_vanished_stick_become_one_sentence(tmp_path: Path):
    home = tmp_path / "stick" / "data"
    clinic_with_assessment(home)
    shutil.rmtree(tmp_path / "stick")
    with pytest.raises(sqlite3.OperationalError) as raised:
        sqlite3.connect(f"file:{database_path(home)}?mode=ro", uri=True).execute(
            "SELECT 1 FROM meta"
        )
    plain = storage_unavailable(raised.value)
    assert isinstance(plain, UserError)
    assert plain.message.startswith("GuideCheck cannot reach its data folder any more")
    assert storage_unavailable(sqlite3.OperationalError("no such column: x")) is None
    assert storage_unavailable(ValueError("x")) is None
