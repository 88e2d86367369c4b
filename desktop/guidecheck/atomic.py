"""Crash-safe file writes: the one helper every writer uses.

A temporary name beside the target, write, flush, fsync the file, `os.replace` onto the real name
(retried while Windows reports the file in use, `fileops.replace_with_retry`),
fsync the folder. A power cut or a USB stick pulled mid-write never leaves a half file under the
real name: the name holds the old file or the complete new one. Bundles, archive copies, key files,
report PDFs and workbooks are all written this way.

`WriteGroup` gives the same promise to many files at once for less: their bytes wait under
temporary names until `commit` flushes them together (one `sync` on Linux, then a cheap fsync per
file that reports any write error; one fsync per file elsewhere), then renames each onto its name
and fsyncs each folder once. The
bundle import uses it to archive a whole batch of bundles with one flush instead of two per file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from guidecheck.fileops import replace_with_retry

TEMP_SUFFIX = ".partial"


@contextlib.contextmanager
def atomic_path(target: Path, overwrite: bool = True) -> Iterator[Path]:
    """A temporary path beside `target` for a writer that needs a file name (a workbook library);
    when the block ends without error the file is fsynced and renamed onto `target` like
    `write_atomic` does. On an error the temporary file is removed and the target is untouched."""
    target = Path(target)
    temp = _temp_name(target)
    try:
        yield temp
        fd = os.open(temp, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _rename(temp, target, overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_atomic(target: Path, data: bytes, private: bool = False, overwrite: bool = False) -> Path:
    """Write `data` to `target` so the name only ever holds the complete file; return `target`.

    `private` creates the file readable by its owner only (0600) where the OS allows it.
    Without `overwrite`, an existing target raises FileExistsError (the name is checked again
    right before the rename, which is as close as portable Python gets).
    """
    target = Path(target)
    temp = _temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _rename(temp, target, overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return target


def make_folder(path: Path, mode: int = 0o777) -> Path:
    """Create `path` (and missing parents) so that it survives a power cut; return it.

    A new folder is only a name in its parent until the parent itself is flushed: without that, a
    power cut soon after first use can take the whole data folder (database, keys) with it even
    though every file inside was flushed. So the parent of each folder made here is fsynced.
    `mode` is the last folder's (as for `Path.mkdir`); missing parents get the default.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.is_dir() and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    for made in reversed(missing):
        _sync_folder(made.parent)
    return path


def _temp_name(target: Path) -> Path:
    # os.urandom is what secrets.token_hex reads; importing secrets would load hashlib at start-up
    return target.parent / f".{target.name}.{os.urandom(4).hex()}{TEMP_SUFFIX}"


def _rename(temp: Path, target: Path, overwrite: bool) -> None:
    if not overwrite and target.exists():
        raise FileExistsError(str(target))
    replace_with_retry(temp, target)  # Windows: a scanner may hold the new file for a moment
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no folder handles, so skip there."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class WriteGroup:
    """Files that become durable together: `add` writes each one's bytes under a temporary name
    beside its target (not flushed yet); `commit` makes all of them durable, then renames each
    onto its target and fsyncs each folder once. Before `commit` no target name has changed, so a
    crash or power cut leaves at most temporary files behind, never a half file under a real name;
    `discard` drops one file, `abandon` all of them (both remove the temporary files)."""

    def __init__(self) -> None:
        self._pending: dict[Path, tuple[Path, bool]] = {}  # target -> (temporary file, overwrite)

    def __contains__(self, target: object) -> bool:
        return target in self._pending

    def __len__(self) -> int:
        return len(self._pending)

    def add(
        self, target: Path, data: bytes, private: bool = False, overwrite: bool = False
    ) -> Path:
        """Write `data` for `target` (made durable and put in place by `commit`); return `target`.
        A second `add` for the same target replaces the first."""
        target = Path(target)
        if not overwrite and target.exists():
            raise FileExistsError(str(target))
        self.discard(target)
        temp = _temp_name(target)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(temp, flags, 0o600 if private else 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        self._pending[target] = (temp, overwrite)
        return target

    def staged(self, target: Path) -> Path | None:
        """The temporary file holding `target`'s bytes until `commit`, or None."""
        entry = self._pending.get(Path(target))
        return entry[0] if entry is not None else None

    def discard(self, target: Path) -> None:
        """Forget `target`'s pending bytes (its temporary file is removed)."""
        entry = self._pending.pop(Path(target), None)
        if entry is not None:
            with contextlib.suppress(OSError):
                entry[0].unlink()

    def abandon(self) -> None:
        """Forget every pending file."""
        for target in list(self._pending):
            self.discard(target)

    def commit(self) -> list[Path]:
        """Flush every pending file to the disk, then rename each into place and fsync each folder
        once; returns the targets now in place. On an error nothing more is renamed (the targets
        already renamed hold complete files) and the remaining temporary files are removed."""
        pending, self._pending = self._pending, {}
        done: list[Path] = []
        try:
            _flush([temp for temp, _overwrite in pending.values()])
            for target, (temp, overwrite) in pending.items():
                if not overwrite and target.exists():
                    raise FileExistsError(str(target))
                replace_with_retry(temp, target)
                done.append(target)
            for folder in dict.fromkeys(target.parent for target in done):
                _sync_folder(folder)
        except BaseException:
            for target, (temp, _overwrite) in pending.items():
                if target not in done:
                    with contextlib.suppress(OSError):
                        temp.unlink()
            raise
        return done


def _flush(files: list[Path]) -> None:
    """Make the bytes of `files` durable, with one wait for the disk rather than one per file.

    On Linux `sync()` writes every dirty page and inode and waits for them (drive cache included);
    the fsync of each file that follows then finds nothing left to write, and still reports a
    write error, which `sync()` cannot. Elsewhere (macOS's `sync` does not wait, Windows has
    none) each file is fsynced in turn."""
    if not files:
        return
    if sys.platform.startswith("linux"):
        os.sync()
    for path in files:
        fd = os.open(
            path, os.O_RDWR | getattr(os, "O_BINARY", 0)
        )  # Windows flushes writable handles only
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
