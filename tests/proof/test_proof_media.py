"""Full and read-only USB sticks: exporting a bundle or writing a PDF report there fails with one
clear sentence (exit 2), leaves no half file, and leaves the database and any earlier bundle as
they were.

Real file systems, not mocks: a 64 KiB tmpfs filled to the brim, the same nearly full (the write
starts and then runs out), a tmpfs remounted read-only, a read-only bind mount, a folder with mode
0500 written by a process without CAP_DAC_OVERRIDE (so even root is refused), and a file-size
limit (RLIMIT_FSIZE) that works on any POSIX machine. Mounting needs root; where the OS does not
allow it those cases are skipped, and the RLIMIT_FSIZE case still runs.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from proofkit import TALLY, cli_env, dump_database, integrity, make_profile

from guidecheck.storage.store import Store

KINDS = [
    "full tmpfs",
    "nearly full tmpfs",
    "read-only tmpfs",
    "read-only bind mount",
    "folder with mode 0500",
    "file size limit",
]
MOUNTED = {"full tmpfs", "nearly full tmpfs", "read-only tmpfs", "read-only bind mount"}
# What Windows has no equivalent for: a folder's mode bits are not enforced there (ACLs are), and
# there is no per-process file-size limit (RLIMIT_FSIZE); mounting is covered by MOUNTED below.
NOT_ON_WINDOWS = {
    "folder with mode 0500": "Windows does not enforce a folder's mode bits",
    "file size limit": "Windows has no per-process file-size limit (RLIMIT_FSIZE)",
}


def is_root() -> bool:
    """POSIX root (can mount); Windows has no effective user id and no mount command."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


def _unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _fill(folder: Path, leave: int) -> None:
    """Write filler until the file system is full, then give back `leave` bytes."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\xaa" * 512)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    if leave:
        size = filler.stat().st_size
        os.truncate(filler, max(0, size - leave))


@pytest.fixture
def clinic(tmp_path: Path, mini) -> tuple[Path, str]:
    """A clinic data folder with one answered assessment: (home, assessment id)."""
    home = tmp_path / "clinic"
    with Store(home / "guidecheck.db") as store:
        assessment = store.new_assessment(mini, make_profile())
        for item, value in (
            ("a_review", "yes"),
            ("a_poster", "no"),
            ("a_staff", 3),
            ("b_remarks", "x" * 4000),
        ):
            store.save_answer(assessment.id, item, value, note="seen " * 200)
        # some incompressible text, so a bundle is larger than two pages of the small stick
        store.save_answer(assessment.id, "b_remarks", base64.b64encode(os.urandom(3000)).decode())
    return home, assessment.id


@pytest.fixture
def stick(
    request, tmp_path: Path, clinic: tuple[Path, str]
) -> Iterator[tuple[Path, Path, list[str]]]:
    """(stick folder, the earlier bundle already on it, command prefix for the writing process)."""
    kind: str = request.param
    home, _id = clinic
    stick = tmp_path / "stick"
    stick.mkdir()
    prefix = [sys.executable]
    mounted: list[Path] = []
    if sys.platform == "win32" and kind in NOT_ON_WINDOWS:
        pytest.skip(NOT_ON_WINDOWS[kind])
    if kind in MOUNTED and (not is_root() or shutil.which("mount") is None):
        pytest.skip(
            "mounting a file system needs root; the file-size-limit case covers this machine"
        )
    if kind == "file size limit":
        _make_big(home, _id)
    try:
        if kind in ("full tmpfs", "nearly full tmpfs", "read-only tmpfs"):
            _mount("-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(stick))
            mounted.append(stick)
        earlier = _export(
            home, stick if kind != "read-only bind mount" else tmp_path / "bind-source"
        )
        if kind == "full tmpfs":
            _fill(stick, 0)
        elif kind == "nearly full tmpfs":
            assert earlier.stat().st_size > 4096 + 1024
            _fill(stick, 4096)  # one free page: the write starts, then the stick runs out
        elif kind == "read-only tmpfs":
            _mount("-o", "remount,ro", str(stick))
        elif kind == "read-only bind mount":
            _mount("--bind", str(earlier.parent), str(stick))
            mounted.append(stick)
            _mount("-o", "remount,bind,ro", str(stick))
            earlier = stick / earlier.name
        elif kind == "folder with mode 0500":
            stick.chmod(0o500)
            if (
                shutil.which("setpriv") and is_root()
            ):  # root ignores modes unless it gives up the capability
                prefix = [
                    "setpriv",
                    "--bounding-set",
                    "-dac_override,-dac_read_search",
                    sys.executable,
                ]
        elif kind == "file size limit":
            limit = (
                "import resource, signal, runpy, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
                f" resource.setrlimit(resource.RLIMIT_FSIZE, ({FILE_LIMIT}, {FILE_LIMIT})); sys.argv = sys.argv[1:];"
                " runpy.run_module('guidecheck.cli.main', run_name='__main__')"
            )
            prefix = [sys.executable, "-c", limit, "guidecheck"]
        yield stick, earlier, prefix
    finally:
        if stick.exists() and not mounted:
            stick.chmod(0o755)  # so pytest can clean the folder up
        for path in reversed(mounted):
            _unmount(path)


FILE_LIMIT = 48 * 1024  # above SQLite's 32 KiB shared-memory file, below the report and bundle


def _make_big(home: Path, assessment_id: str) -> None:
    """Long random notes, so the bundle and the PDF are larger than FILE_LIMIT even compressed."""

    def noise() -> str:
        return base64.b64encode(os.urandom(7000)).decode()

    with Store(home / "guidecheck.db") as store:
        for item in (
            "a_review",
            "a_poster",
            "a_storage",
            "a_staff",
            "b_places",
            "b_reviewed_on",
            "b_remarks",
        ):
            value = (
                store.answers(assessment_id)[item].value
                if item in store.answers(assessment_id)
                else None
            )
            value = (
                value
                if value is not None
                else {
                    "a_storage": "shelf",
                    "b_places": ["local"],
                    "b_reviewed_on": "2026-10-01",
                }.get(item)
            )
            store.save_answer(
                assessment_id, item, noise() if item == "b_remarks" else value, note=noise()
            )


def _export(home: Path, folder: Path) -> Path:
    from guidecheck.bundles.export import export_bundle

    folder.mkdir(exist_ok=True)
    with Store(home / "guidecheck.db") as store:
        return export_bundle(home, store, folder, full=True).path


def _run(prefix: list[str], home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        *prefix,
        *(["-m", "guidecheck.cli.main"] if prefix[-1] == sys.executable else []),
        "--home",
        str(home),
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=cli_env())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "filler.bin")


@pytest.mark.parametrize("stick", KINDS, indirect=True)
def test_exporting_to_a_full_or_read_only_stick_fails_cleanly(clinic, stick) -> None:
    home, _id = clinic
    folder, earlier, prefix = stick
    earlier_digest, files_before = _digest(earlier), _listing(folder)
    before = dump_database(home / "guidecheck.db")
    done = _run(prefix, home, "bundle", "export", "--out", str(folder), "--full")
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    message = [line for line in done.stderr.strip().split("\n") if not line.startswith("Warning:")]
    assert (
        len(message) == 1
        and "Traceback" not in done.stderr
        and "Something went wrong" not in done.stderr
    ), done.stderr
    assert str(folder) in message[0], message  # names the stick, not the data folder
    assert _listing(folder) == files_before  # no half bundle, no leftover temporary file
    assert _digest(earlier) == earlier_digest  # the earlier bundle is untouched
    assert (
        dump_database(home / "guidecheck.db") == before
        and integrity(home / "guidecheck.db") == "ok"
    )
    TALLY["media: failed exports that left everything intact"] += 1
    print(message[0])


# The district PDF of one clinic is smaller than the file-size limit, so that pair is not a test.
REPORT_CASES = [
    (kind, what)
    for what in ("assessment report", "district report")
    for kind in KINDS
    if (kind, what) != ("file size limit", "district report")
]


@pytest.mark.parametrize(("stick", "what"), REPORT_CASES, indirect=["stick"])
def test_writing_a_report_to_a_full_or_read_only_stick_fails_cleanly(
    clinic, stick, what: str
) -> None:
    home, assessment_id = clinic
    folder, earlier, prefix = stick
    earlier_digest, files_before = _digest(earlier), _listing(folder)
    before = dump_database(home / "guidecheck.db")
    command = ["report", assessment_id] if what == "assessment report" else ["district", "report"]
    done = _run(prefix, home, *command, "--pdf", str(folder / "report.pdf"))
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().split("\n")
    assert (
        len(lines) == 1
        and "Traceback" not in done.stderr
        and "Something went wrong" not in done.stderr
    ), done.stderr
    assert str(folder) in lines[0], lines  # names the stick, not the data folder
    assert _listing(folder) == files_before
    assert _digest(earlier) == earlier_digest
    assert dump_database(home / "guidecheck.db") == before
    TALLY["media: failed reports that left everything intact"] += 1
    print(lines[0])


def test_the_same_export_succeeds_once_there_is_room(clinic, tmp_path: Path) -> None:
    """The control case: the clinic and commands above are fine; only the media was the problem."""
    home, assessment_id = clinic
    out = tmp_path / "roomy"
    out.mkdir()
    done = _run([sys.executable], home, "bundle", "export", "--out", str(out), "--full")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).stat().st_size > 2048
    done = _run([sys.executable], home, "report", assessment_id, "--pdf", str(out / "report.pdf"))
    assert done.returncode == 0 and (out / "report.pdf").stat().st_size > 2048, done.stderr


def test_a_full_data_folder_loses_nothing_already_saved(tmp_path: Path, mini) -> None:
    """The data folder itself runs out of space mid-work: the failed save is refused as a whole
    and every earlier answer and audit entry is still there when the app starts again."""
    if not is_root() or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root")
    home = tmp_path / "home"
    home.mkdir()
    _mount("-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(home))
    try:
        with Store(home / "guidecheck.db") as store:
            assessment = store.new_assessment(mini, make_profile())
            store.save_answer(assessment.id, "a_review", "yes", note="kept")
            store.save_answer(assessment.id, "a_poster", "no", note="kept too")
            before = dump_database(home / "guidecheck.db")
            _fill(home, 0)
            with pytest.raises(Exception) as caught:
                for _n in range(50):
                    store.save_answer(
                        assessment.id,
                        "b_remarks",
                        base64.b64encode(os.urandom(7000)).decode(),
                        note=base64.b64encode(os.urandom(7000)).decode(),
                    )
            print(type(caught.value).__name__, caught.value)
        (home / "filler.bin").unlink()
        assert integrity(home / "guidecheck.db") == "ok"
        with Store(home / "guidecheck.db") as store:
            answers = store.answers(assessment.id)
            assert (answers["a_review"].value, answers["a_poster"].note) == ("yes", "kept too")
            assert store.verify_audit().ok
        after = dump_database(home / "guidecheck.db")
        assert {t: after[t] for t in ("answers", "audit", "assessments")} == {
            t: before[t] for t in ("answers", "audit", "assessments")
        }
    finally:
        _unmount(home)


@pytest.mark.parametrize(
    "stick",
    ["full tmpfs", "nearly full tmpfs", "read-only tmpfs", "read-only bind mount"],
    indirect=True,
)
def test_the_app_says_in_one_sentence_that_the_stick_is_full_or_read_only(
    qtbot, clinic, stick
) -> None:
    """The same failures through the app's Export for district dialog, offscreen."""
    from guikit import export_from_window, open_main_window

    home, assessment_id = clinic
    folder, earlier, _prefix = stick
    earlier_digest, files_before = _digest(earlier), _listing(folder)
    before = dump_database(home / "guidecheck.db")
    window = open_main_window(qtbot, home)
    dialog = export_from_window(
        qtbot, window, assessment_id, folder, expect_failure=True, full=True
    )
    text = dialog.message.text()
    assert (
        text.startswith("The bundle was not written:") and str(folder) in text and "\n" not in text
    ), text
    assert dialog.written is None
    window.close()
    assert _listing(folder) == files_before and _digest(earlier) == earlier_digest
    assert dump_database(home / "guidecheck.db") == before
    TALLY["media: failed exports from the app that left everything intact"] += 1
