"""A file system that forgets: what a power cut does to everything not yet flushed to the disk.

Run as a process: `python forgetful_fs.py BACKING MOUNTPOINT SEED`. It mounts (FUSE, through the
`mfusepy` ctypes bindings to libfuse) a view of the folder BACKING at MOUNTPOINT. BACKING stands for
the disk: what is in it when the layer mounts has survived. Every change made through the mount is
kept in this process's memory, the page cache of a real system, and becomes durable only the way a
disk makes it durable:

- a file's contents (and size) when that file is fsynced (`fsync`/`fdatasync`);
- a folder's names (a new file or folder, a rename, a deletion) when that folder is fsynced.

A rename is two name changes: the new name survives only with its folder's fsync, the old name
goes only with its own folder's fsync. A file whose name was made durable but whose contents were
never fsynced comes back empty, as on a real journalling file system after a crash.

The cut: creating the file `/.forgetful-cut` (or `/.forgetful-cut-tear`) in the mount writes the
durable state, and nothing else, into BACKING and turns the power off: from then on every operation
fails with EIO until the harness unmounts. With `-tear`, the last write that was not yet fsynced is
torn: a random leading part of it reaches the disk, the rest does not (a page half written when the
power went). The figures of the cut (writes lost, writes torn) are written to `BACKING.cut.json`.

The test side is `PowerCutMount`: mount, cut (after SIGKILLing the processes using the mount, as a
power cut would), remount on what survived.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CUT_NAMES = {"/.forgetful-cut": False, "/.forgetful-cut-tear": True}
ROOT = 1


@dataclass
class Node:
    """One inode as the running system sees it (the page cache): a file's bytes or a folder's names."""

    is_dir: bool
    mode: int
    data: bytearray = field(default_factory=bytearray)
    entries: dict[str, int] = field(default_factory=dict)
    mtime: float = field(default_factory=time.time)


class ForgetfulState:
    """The volatile view (what programs see) and the durable one (what a cut leaves), by inode."""

    def __init__(self, backing: Path, rng: random.Random) -> None:
        self.backing = backing
        self.rng = rng
        self.nodes: dict[int, Node] = {}
        self.kinds: dict[int, bool] = {}  # inode -> is a folder (kept after deletion)
        self.durable_data: dict[int, bytes] = {}
        self.durable_entries: dict[int, dict[str, int]] = {}
        self.durable_modes: dict[int, int] = {}
        self.last_unsynced: tuple[int, int, bytes] | None = None  # (inode, offset, bytes)
        self.unsynced_writes = 0
        self.next_ino = ROOT
        self.powered = True
        self._load(backing, None)

    # --- loading what survived -------------------------------------------------------------------

    def _new(self, is_dir: bool, mode: int) -> int:
        ino = self.next_ino
        self.next_ino += 1
        self.nodes[ino] = Node(is_dir=is_dir, mode=mode)
        self.kinds[ino] = is_dir
        return ino

    def _load(self, path: Path, parent: int | None) -> int:
        info = path.lstat()
        if stat.S_ISDIR(info.st_mode):
            ino = self._new(True, stat.S_IMODE(info.st_mode))
            for child in sorted(path.iterdir()):
                if child.is_symlink() or not (child.is_dir() or child.is_file()):
                    continue
                self.nodes[ino].entries[child.name] = self._load(child, ino)
            self.durable_entries[ino] = dict(self.nodes[ino].entries)
        else:
            ino = self._new(False, stat.S_IMODE(info.st_mode))
            self.nodes[ino].data = bytearray(path.read_bytes())
            self.durable_data[ino] = bytes(self.nodes[ino].data)
        self.nodes[ino].mtime = info.st_mtime
        self.durable_modes[ino] = self.nodes[ino].mode
        return ino

    # --- the view ----------------------------------------------------------------------------------

    def lookup(self, path: str) -> int:
        ino = ROOT
        for part in [p for p in path.split("/") if p]:
            node = self.nodes[ino]
            if not node.is_dir:
                raise OSError(errno.ENOTDIR, path)
            if part not in node.entries:
                raise OSError(errno.ENOENT, path)
            ino = node.entries[part]
        return ino

    def parent_of(self, path: str) -> tuple[int, str]:
        head, _, name = path.rstrip("/").rpartition("/")
        parent = self.lookup(head or "/")
        if not self.nodes[parent].is_dir:
            raise OSError(errno.ENOTDIR, path)
        return parent, name

    def create(self, path: str, mode: int, is_dir: bool) -> int:
        parent, name = self.parent_of(path)
        if name in self.nodes[parent].entries:
            raise OSError(errno.EEXIST, path)
        ino = self._new(is_dir, stat.S_IMODE(mode))
        self.nodes[parent].entries[name] = ino
        self.nodes[parent].mtime = time.time()
        return ino

    def remove(self, path: str, is_dir: bool) -> None:
        parent, name = self.parent_of(path)
        entries = self.nodes[parent].entries
        if name not in entries:
            raise OSError(errno.ENOENT, path)
        node = self.nodes[entries[name]]
        if is_dir and not node.is_dir:
            raise OSError(errno.ENOTDIR, path)
        if not is_dir and node.is_dir:
            raise OSError(errno.EISDIR, path)
        if is_dir and node.entries:
            raise OSError(errno.ENOTEMPTY, path)
        del entries[name]

    def rename(self, old: str, new: str) -> None:
        old_parent, old_name = self.parent_of(old)
        new_parent, new_name = self.parent_of(new)
        if old_name not in self.nodes[old_parent].entries:
            raise OSError(errno.ENOENT, old)
        ino = self.nodes[old_parent].entries[old_name]
        replaced = self.nodes[new_parent].entries.get(new_name)
        if replaced is not None and replaced != ino:
            if self.nodes[replaced].is_dir != self.nodes[ino].is_dir:
                raise OSError(errno.EISDIR if self.nodes[replaced].is_dir else errno.ENOTDIR, new)
            if self.nodes[replaced].is_dir and self.nodes[replaced].entries:
                raise OSError(errno.ENOTEMPTY, new)
        del self.nodes[old_parent].entries[old_name]
        self.nodes[new_parent].entries[new_name] = ino

    def write(self, ino: int, data: bytes, offset: int) -> int:
        buffer = self.nodes[ino].data
        if offset > len(buffer):
            buffer.extend(b"\0" * (offset - len(buffer)))
        buffer[offset : offset + len(data)] = data
        self.nodes[ino].mtime = time.time()
        self.last_unsynced = (ino, offset, bytes(data))
        self.unsynced_writes += 1
        return len(data)

    def truncate(self, ino: int, length: int) -> None:
        buffer = self.nodes[ino].data
        if length < len(buffer):
            del buffer[length:]
        else:
            buffer.extend(b"\0" * (length - len(buffer)))
        self.nodes[ino].mtime = time.time()

    # --- flushing ----------------------------------------------------------------------------------

    def fsync_file(self, ino: int) -> None:
        self.durable_data[ino] = bytes(self.nodes[ino].data)
        self.durable_modes[ino] = self.nodes[ino].mode
        if self.last_unsynced and self.last_unsynced[0] == ino:
            self.last_unsynced = None

    def fsync_dir(self, ino: int) -> None:
        self.durable_entries[ino] = dict(self.nodes[ino].entries)
        self.durable_modes[ino] = self.nodes[ino].mode
        for child in self.durable_entries[ino].values():
            self.durable_modes.setdefault(child, self.nodes[child].mode)

    # --- the cut -----------------------------------------------------------------------------------

    def _durable_paths(self) -> dict[int, list[tuple[str, ...]]]:
        """Every inode reachable through durable names, with the names it is reachable by."""
        found: dict[int, list[tuple[str, ...]]] = {ROOT: [()]}
        todo = [(ROOT, ())]
        while todo:
            ino, parts = todo.pop()
            for name, child in self.durable_entries.get(ino, {}).items():
                path = (*parts, name)
                found.setdefault(child, []).append(path)
                if self.kinds[child] and len(found[child]) == 1:
                    todo.append((child, path))
        return found

    def cut(self, tear: bool) -> dict[str, int]:
        """Turn the power off: write exactly the durable state (plus a torn page) into BACKING."""
        self.powered = False
        figures = {"unsynced writes lost": self.unsynced_writes, "torn writes": 0}
        durable = self._durable_paths()
        if tear and self.last_unsynced and self.last_unsynced[0] in durable:
            ino, offset, data = self.last_unsynced
            if len(data) > 1 and not self.kinds[ino]:
                keep = self.rng.randrange(1, len(data))
                old = bytearray(self.durable_data.get(ino, b""))
                if offset > len(old):
                    old.extend(b"\0" * (offset - len(old)))
                old[offset : offset + keep] = data[:keep]
                self.durable_data[ino] = bytes(old)
                figures["torn writes"] = 1
        for child in list(self.backing.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for ino, paths in sorted(durable.items(), key=lambda item: len(item[1][0])):
            for parts in paths:
                if not parts:
                    continue
                target = self.backing.joinpath(*parts)
                if self.kinds[ino]:
                    target.mkdir(exist_ok=True)
                else:
                    target.write_bytes(self.durable_data.get(ino, b""))
                os.chmod(
                    target, self.durable_modes.get(ino, 0o644 if not self.kinds[ino] else 0o755)
                )
        return figures


def serve(backing: Path, mountpoint: Path, seed: int) -> None:
    """The FUSE loop (in this process, single-threaded) over `backing`, until unmounted."""
    import mfusepy as fuse

    state = ForgetfulState(backing, random.Random(seed))
    handles: dict[int, int] = {}
    counter = iter(range(1, 1 << 62))
    uid, gid = os.getuid(), os.getgid()

    def powered() -> None:
        if not state.powered:
            raise fuse.FuseOSError(errno.EIO)

    def ino_of(path: str | None, fh: int | None) -> int:
        if fh:
            return handles[fh]
        if path is None:
            raise fuse.FuseOSError(errno.EBADF)
        return state.lookup(path)

    def handle(ino: int) -> int:
        fh = next(counter)
        handles[fh] = ino
        return fh

    class Operations(fuse.Operations):
        use_ns = True

        def __getattribute__(self, name: str):  # turn OSError into FuseOSError, check the power
            attribute = object.__getattribute__(self, name)
            if (
                not callable(attribute)
                or name.startswith("_")
                or name in ("init", "destroy")
                or getattr(attribute, "libfuse_ignore", False)  # not ours: libfuse's default
            ):
                return attribute

            def guarded(*args):
                if name not in ("release", "releasedir"):
                    powered()
                try:
                    return attribute(*args)
                except KeyError as exc:
                    raise fuse.FuseOSError(errno.ENOENT) from exc
                except OSError as exc:
                    if isinstance(exc, fuse.FuseOSError):
                        raise
                    raise fuse.FuseOSError(exc.errno or errno.EIO) from exc

            return guarded

        def getattr(self, path, fh=None):
            ino = ino_of(path, fh)
            node = state.nodes[ino]
            kind = stat.S_IFDIR if node.is_dir else stat.S_IFREG
            ns = int(node.mtime * 1e9)
            return {
                "st_mode": kind | node.mode,
                "st_nlink": 2 if node.is_dir else 1,
                "st_size": len(node.data) if not node.is_dir else 4096,
                "st_uid": uid,
                "st_gid": gid,
                "st_atime": ns,
                "st_mtime": ns,
                "st_ctime": ns,
                "st_blocks": (len(node.data) + 511) // 512,
                "st_blksize": 4096,
            }

        def readdir(self, path, fh):
            return [".", "..", *state.nodes[ino_of(path, fh)].entries]

        def opendir(self, path):
            return handle(state.lookup(path))

        def releasedir(self, path, fh):
            handles.pop(fh, None)
            return 0

        def fsyncdir(self, path, datasync, fh):
            state.fsync_dir(ino_of(path, fh))
            return 0

        def mkdir(self, path, mode):
            state.create(path, mode, is_dir=True)
            return 0

        def rmdir(self, path):
            state.remove(path, is_dir=True)
            return 0

        def create(self, path, mode, fi=None):
            if path in CUT_NAMES:
                figures = state.cut(tear=CUT_NAMES[path])
                Path(f"{backing}.cut.json").write_text(json.dumps(figures))
                raise fuse.FuseOSError(errno.EHOSTDOWN)  # the harness's sign that the cut is done
            return handle(state.create(path, mode, is_dir=False))

        def open(self, path, flags):
            ino = state.lookup(path)
            if state.nodes[ino].is_dir:
                raise fuse.FuseOSError(errno.EISDIR)
            return handle(ino)

        def release(self, path, fh):
            handles.pop(fh, None)
            return 0

        def flush(self, path, fh):
            return 0

        def read(self, path, size, offset, fh):
            return bytes(state.nodes[ino_of(path, fh)].data[offset : offset + size])

        def write(self, path, data, offset, fh):
            return state.write(ino_of(path, fh), data, offset)

        def truncate(self, path, length, fh=None):
            state.truncate(ino_of(path, fh), length)
            return 0

        def fsync(self, path, datasync, fh):
            state.fsync_file(ino_of(path, fh))
            return 0

        def unlink(self, path):
            state.remove(path, is_dir=False)
            return 0

        def rename(self, old, new):
            state.rename(old, new)
            return 0

        def chmod(self, path, mode, fh=None):
            state.nodes[ino_of(path, fh)].mode = stat.S_IMODE(mode)
            return 0

        def chown(self, path, uid_, gid_, fh=None):
            return 0

        def utimens(self, path, times=None, fh=None):
            node = state.nodes[ino_of(path, fh)]
            node.mtime = times[1] / 1e9 if times else time.time()
            return 0

        def statfs(self, path):
            info = os.statvfs(backing)
            return {
                key: getattr(info, key)
                for key in (
                    "f_bsize",
                    "f_frsize",
                    "f_blocks",
                    "f_bfree",
                    "f_bavail",
                    "f_files",
                    "f_ffree",
                    "f_namemax",
                )
            }

    fuse.FUSE(
        Operations(),
        str(mountpoint),
        foreground=True,
        nothreads=True,
        hard_remove=True,
        fsname="forgetful",
    )


# --- the test side -----------------------------------------------------------------------------------


def holders(mountpoint: Path) -> list[str]:
    """Processes with a file, folder or mapping open under `mountpoint` (why an unmount is busy)."""
    found = []
    prefix = str(mountpoint)
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        # one link that cannot be read (an fd closed meanwhile, such as the one listing /proc/self/fd)
        # must not hide the process's other files
        links = [_readlink(proc / "cwd")]
        with contextlib.suppress(OSError):
            links += [_readlink(fd) for fd in (proc / "fd").iterdir()]
        maps = ""
        with contextlib.suppress(OSError):
            maps = (proc / "maps").read_text()
        if any(link.startswith(prefix) for link in links) or prefix in maps:
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                cmd = "?"
            found.append(f"{proc.name}: {cmd[:200]} {[x for x in links if x.startswith(prefix)]}")
    return found


def _readlink(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def own_files(mountpoint: Path) -> list[str]:
    """Files this process (the test) holds open under `mountpoint`: each one keeps the mount busy,
    so a cut could not unmount it."""
    prefix = str(mountpoint)
    return [
        target
        for fd in Path("/proc/self/fd").iterdir()
        if (target := _readlink(fd)).startswith(prefix)
    ]


class MountFailed(RuntimeError):
    """FUSE is not usable here (no /dev/fuse, no libfuse, no permission to mount)."""


def fuse_problem() -> str | None:
    """Why a FUSE mount cannot work on this machine, or None when it should."""
    if not Path("/dev/fuse").exists():
        return "there is no /dev/fuse (FUSE is not available in this kernel or container)"
    try:
        import mfusepy  # noqa: F401  (loads libfuse through ctypes)
    except (ImportError, OSError) as exc:
        return f"the FUSE bindings cannot load ({exc}); install mfusepy and libfuse3 (fuse3)"
    return None


def is_dead_mount(path: Path) -> bool:
    """True when `path` is a FUSE mount whose process is gone: every call on it fails with
    ENOTCONN, and `os.path.ismount` says False (its lstat fails), so it looks unmounted."""
    try:
        os.lstat(path)
    except OSError as exc:
        return exc.errno == errno.ENOTCONN
    return False


def is_mounted(path: Path) -> bool:
    """Mounted, live or dead: a dead mount must be detached before the folder is used again."""
    return os.path.ismount(path) or is_dead_mount(path)


class PowerCutMount:
    """A forgetful mount run by its own process: mount, cut (power off), remount."""

    def __init__(self, backing: Path, mountpoint: Path, seed: int) -> None:
        self.backing = backing
        self.mountpoint = mountpoint
        self.rng = random.Random(seed)
        self.process: subprocess.Popen[bytes] | None = None
        self.backing.mkdir(parents=True, exist_ok=True)
        self.mountpoint.mkdir(parents=True, exist_ok=True)

    def mount(self) -> None:
        """Start the file system process and wait until its mount is live. A mount point left
        dead (ENOTCONN) by a process that died is detached first; when the kernel still reports
        it dead as the new process starts, that start is retried (at most three times)."""
        for attempt in range(3):
            if is_dead_mount(self.mountpoint):
                subprocess.run(["fusermount3", "-u", "-z", str(self.mountpoint)], timeout=30)
            if is_mounted(self.mountpoint):
                raise MountFailed(f"{self.mountpoint} is still mounted from an earlier run")
            if self._start():
                return
            time.sleep(0.2 * (attempt + 1))
        raise MountFailed(
            f"the forgetful file system did not mount: {self.mountpoint} stayed a dead mount "
            "(Transport endpoint is not connected) over three starts"
        )

    def _start(self) -> bool:
        """True once mounted; False when the process stopped on a dead mount point (retry)."""
        log_path = Path(f"{self.backing}.fs.log")
        start_of_log = log_path.stat().st_size if log_path.exists() else 0
        log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__)),
                str(self.backing),
                str(self.mountpoint),
                str(self.rng.randrange(1 << 30)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while not os.path.ismount(self.mountpoint):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                self.process.wait()
                self.process = None
                with open(log_path, "rb") as f:
                    f.seek(start_of_log)
                    said = f.read().decode(errors="replace")
                if "Transport endpoint is not connected" in said:
                    return False
                raise MountFailed(f"the forgetful file system did not mount: {said[-1500:]}")
            time.sleep(0.01)
        return True

    @contextlib.contextmanager
    def watch(self, what: str, seconds: float) -> Iterator[None]:
        """Bound a wait on the mount: if `what` is not over in `seconds`, the file system process
        is stopped (the kernel then fails every call still waiting on it) and the test fails
        naming what it waited for, instead of hanging on a file system that stopped answering."""
        fired = threading.Event()

        def stop() -> None:
            fired.set()
            if self.process is not None and self.process.poll() is None:
                self.process.kill()

        timer = threading.Timer(seconds, stop)
        timer.daemon = True
        timer.start()
        message = f"{what} did not finish within {seconds:.0f} s (the file system was stopped)"
        try:
            yield
        except BaseException as exc:
            if fired.is_set():
                raise AssertionError(message) from exc
            raise
        finally:
            timer.cancel()
        if fired.is_set():
            raise AssertionError(message)

    def cut(self, users: list[subprocess.Popen], tear: bool) -> dict[str, int]:
        """The power goes: SIGKILL every process using the mount, drop what was never flushed."""
        for user in users:
            if user.poll() is None:
                user.send_signal(signal.SIGKILL)
        for user in users:
            try:
                user.wait(timeout=30)
            except subprocess.TimeoutExpired as exc:
                raise AssertionError(
                    f"process {user.pid} did not die within 30 s of SIGKILL"
                ) from exc
        mine = own_files(self.mountpoint)
        assert not mine, f"the test process itself holds files on the mount: {mine}"
        name = ".forgetful-cut-tear" if tear else ".forgetful-cut"
        with self.watch("the file system taking the cut", 30):
            try:
                open(self.mountpoint / name, "wb").close()
            except OSError as exc:
                if exc.errno != errno.EHOSTDOWN:
                    raise
            else:
                raise AssertionError("the forgetful file system did not take the cut")
        self.unmount()
        return json.loads(Path(f"{self.backing}.cut.json").read_text())

    def unmount(self) -> None:
        """Unmount and wait for the file system process to end. The kernel may still be
        releasing the files of the processes just killed, so a busy mount is retried for about
        5 s; still busy after that, the mount is detached, its process stopped, and the test
        fails naming what held it (a slow silent fallback here once made each cut take 50 s)."""
        if self.process is None:
            return
        busy: list[str] = []
        deadline = time.monotonic() + 5
        while True:
            done = subprocess.run(
                ["fusermount3", "-u", str(self.mountpoint)], capture_output=True, timeout=30
            )
            if done.returncode == 0 or not is_mounted(self.mountpoint):
                break
            if time.monotonic() > deadline:
                busy = holders(self.mountpoint) or [done.stderr.decode(errors="replace")]
                subprocess.run(["fusermount3", "-u", "-z", str(self.mountpoint)], timeout=30)
                break
            time.sleep(0.05)
        try:
            self.process.wait(timeout=0 if busy else 30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        finally:
            self.process = None
        if is_mounted(self.mountpoint):  # the process was stopped: a dead mount is left
            subprocess.run(["fusermount3", "-u", "-z", str(self.mountpoint)], timeout=30)
        assert not busy, f"the mount {self.mountpoint} stayed busy for 5 s: held by {busy}"

    def remount(self) -> None:
        self.mount()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
