"""Windows' file rules, imitated inside this test process on Linux.

Inside one folder (the test's tmp_path), while `WindowsRules` is active:
- a file that is open (through `open`, `Path.open`, `os.open`) cannot be deleted, renamed or
  replaced, nor replaced over: PermissionError "[WinError 32] … being used by another process";
- names with `< > : " | ? *`, control characters, a trailing dot or space, or a reserved device
  name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with any extension) cannot be created: OSError
  "[WinError 123] … syntax is incorrect" (reserved names: "[WinError 87]");
- names are case-insensitive: making `Report.PDF` beside `report.pdf` reaches the existing file
  (and an exclusive create fails with FileExistsError), as NTFS and exFAT do.

The patches replace os/io/builtins functions for the test only and touch nothing outside the
folder, so pytest, Qt and SQLite (which opens files in C) go on as usual.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import weakref
from pathlib import Path
from typing import Any

FORBIDDEN = set('<>:"|?*') | {chr(n) for n in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


class WindowsRules:
    """Patch the process's file functions so paths under `root` follow Windows' rules."""

    def __init__(self, root: Path, monkeypatch: Any) -> None:
        self.root = os.path.realpath(root)
        self.monkeypatch = monkeypatch
        self._files: list[tuple[str, weakref.ref]] = []  # path, open file object
        self._fds: dict[int, tuple[str, int, int]] = {}  # fd -> path, device, inode
        self.refusals: list[str] = []  # what was refused, for the tests to show

    # --- what the rules say ---------------------------------------------------------------------

    def _inside(self, path: Any) -> str | None:
        if isinstance(path, int):
            return None
        full = os.path.realpath(os.fspath(path))
        return full if full == self.root or full.startswith(self.root + os.sep) else None

    def _refuse(self, code: int, winerror: int, text: str, path: str) -> OSError:
        self.refusals.append(f"WinError {winerror}: {path}")
        error = OSError(code, f"[WinError {winerror}] {text}", path)
        if code == errno.EACCES:
            error = PermissionError(code, f"[WinError {winerror}] {text}", path)
        return error

    def check_name(self, full: str) -> None:
        name = os.path.basename(full)
        if any(ch in FORBIDDEN for ch in name) or name != name.rstrip(" ."):
            raise self._refuse(
                errno.EINVAL,
                123,
                "The filename, directory name, or volume label syntax is incorrect",
                full,
            )
        if name.split(".", 1)[0].rstrip(" ").upper() in RESERVED:
            raise self._refuse(errno.EINVAL, 87, "The parameter is incorrect (reserved name)", full)

    def case_match(self, full: str) -> str:
        """The existing entry that `full` reaches on a case-insensitive volume (or `full`)."""
        folder, name = os.path.split(full)
        try:
            entries = os.listdir(folder)
        except OSError:
            return full
        if name in entries:
            return full
        for entry in entries:
            if entry.casefold() == name.casefold():
                return os.path.join(folder, entry)
        return full

    def is_open(self, full: str) -> bool:
        self._files = [(p, ref) for p, ref in self._files if ref() is not None and not ref().closed]
        if any(p == full for p, _ in self._files):
            return True
        try:
            info = os.stat(full)
        except OSError:
            return False
        for fd, (_path, dev, ino) in list(self._fds.items()):
            try:
                now = os.fstat(fd)
            except OSError:
                del self._fds[fd]
                continue
            if (now.st_dev, now.st_ino) != (dev, ino):
                del self._fds[fd]
            elif (dev, ino) == (info.st_dev, info.st_ino):
                return True
        return False

    def check_not_open(self, full: str) -> None:
        if os.path.exists(full) and self.is_open(full):
            raise self._refuse(
                errno.EACCES,
                32,
                "The process cannot access the file because it is being used by another process",
                full,
            )

    # --- the patched functions ------------------------------------------------------------------

    def install(self) -> WindowsRules:
        real_open, real_os_open = builtins.open, os.open
        real_replace, real_rename = os.replace, os.rename
        real_unlink, real_remove, real_rmdir, real_mkdir = os.unlink, os.remove, os.rmdir, os.mkdir

        def patched_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            full = self._inside(file)
            if full is None:
                return real_open(file, mode, *args, **kwargs)
            target = self.case_match(full)
            if target == full and any(m in mode for m in "wax+") and not os.path.exists(full):
                self.check_name(full)
            elif target != full and "x" in mode:
                raise FileExistsError(errno.EEXIST, "[WinError 80] The file exists", full)
            handle = real_open(target, mode, *args, **kwargs)
            self._files.append((target, weakref.ref(handle)))
            return handle

        def patched_os_open(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
            full = self._inside(path)
            if full is None:
                return real_os_open(path, flags, mode, **kwargs)
            target = self.case_match(full)
            if target != full and flags & os.O_EXCL:
                raise FileExistsError(errno.EEXIST, "[WinError 80] The file exists", full)
            if target == full and flags & os.O_CREAT and not os.path.exists(full):
                self.check_name(full)
            fd = real_os_open(target, flags, mode, **kwargs)
            info = os.fstat(fd)
            self._fds[fd] = (target, info.st_dev, info.st_ino)
            return fd

        def moving(real: Any) -> Any:
            def patched(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
                full_src, full_dst = self._inside(src), self._inside(dst)
                if full_src is not None:
                    self.check_not_open(full_src)
                if full_dst is not None:
                    target = self.case_match(full_dst)
                    if target == full_dst:
                        self.check_name(full_dst)
                    self.check_not_open(target)
                    if real is real_rename and os.path.exists(target):  # rename never replaces
                        raise FileExistsError(
                            errno.EEXIST,
                            "[WinError 183] Cannot create a file when that file already exists",
                            full_dst,
                        )
                    dst = target
                return real(src, dst, *args, **kwargs)

            return patched

        def deleting(real: Any) -> Any:
            def patched(path: Any, *args: Any, **kwargs: Any) -> Any:
                full = self._inside(path)
                if full is not None:
                    self.check_not_open(self.case_match(full))
                return real(path, *args, **kwargs)

            return patched

        def patched_mkdir(path: Any, mode: int = 0o777, *args: Any, **kwargs: Any) -> None:
            full = self._inside(path)
            if full is not None and not os.path.exists(full):
                if self.case_match(full) != full:
                    raise FileExistsError(
                        errno.EEXIST,
                        "[WinError 183] Cannot create a file when that file already exists",
                        full,
                    )
                self.check_name(full)
            real_mkdir(path, mode, *args, **kwargs)

        mp = self.monkeypatch
        mp.setattr(builtins, "open", patched_open)
        mp.setattr(io, "open", patched_open)
        mp.setattr(os, "open", patched_os_open)
        mp.setattr(os, "replace", moving(real_replace))
        mp.setattr(os, "rename", moving(real_rename))
        mp.setattr(os, "unlink", deleting(real_unlink))
        mp.setattr(os, "remove", deleting(real_remove))
        mp.setattr(os, "rmdir", deleting(real_rmdir))
        mp.setattr(os, "mkdir", patched_mkdir)
        return self
