"""Which mounted volumes are USB sticks or memory cards: the places offered for bundles.

The list must never offer the system drive. On Windows, Qt names drives `C:/` while
`Path.home().anchor` is `C:\\`, so roots are compared after `normalize_root`, and a drive counts
only when Windows itself calls it removable (`GetDriveTypeW(root) == DRIVE_REMOVABLE`). Elsewhere a
volume counts when the kernel marks its disk removable (`/sys/block/<disk>/removable`) or when it
is mounted where desktops mount plugged-in media (`/media`, `/run/media`, `/Volumes`).

`pick_removable` holds the rules and takes the volume table and the removable test as arguments,
so the rules are tested with a simulated drive table on any system.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

DRIVE_REMOVABLE = 2  # GetDriveTypeW's answer for USB sticks and card readers
SKIPPED_FILE_SYSTEMS = frozenset(
    ["tmpfs", "devtmpfs", "overlay", "squashfs", "proc", "sysfs", "ramfs", "autofs"]
)
MEDIA_PREFIXES = ("/media/", "/run/media/", "/Volumes/")


@dataclass(frozen=True)
class Volume:
    """One mounted volume as the system reports it (from QStorageInfo or a test's table)."""

    root: str
    name: str
    file_system: str = ""
    device: str = ""
    free_bytes: int = 0
    read_only: bool = False
    ready: bool = True


@dataclass(frozen=True)
class Drive:
    name: str
    path: Path
    free_bytes: int


def normalize_root(root: str) -> str:
    """`C:/`, `C:\\` and `c:` compare equal; POSIX roots lose a trailing slash (except `/`)."""
    text = root.replace("\\", "/")
    if len(text) >= 2 and text[1] == ":":
        return text[:2].upper() + "/"
    return text.rstrip("/") or "/"


def system_roots() -> set[str]:
    """Roots that hold the operating system or this user's files: never offered."""
    roots = {"/", "/boot", "/boot/efi", "/home", "/var", "/usr", "/tmp", "/System/Volumes/Data"}
    for place in (Path.home().anchor, os.environ.get("SystemDrive", ""), sys.prefix):
        if place:
            roots.add(normalize_root(Path(place).anchor or place))
    return {normalize_root(r) for r in roots}


def pick_removable(
    volumes: Iterable[Volume], is_removable: Callable[[Volume], bool], system: set[str]
) -> list[Drive]:
    """The writable, ready volumes that `is_removable` accepts, never a system root."""
    drives = []
    for volume in volumes:
        root = normalize_root(volume.root)
        if not volume.ready or volume.read_only or root in system:
            continue
        if volume.file_system.lower() in SKIPPED_FILE_SYSTEMS:
            continue
        if not is_removable(volume):
            continue
        drives.append(Drive(volume.name or root, Path(volume.root), volume.free_bytes))
    return drives


def windows_is_removable(volume: Volume) -> bool:
    """Windows: the drive letter's type is DRIVE_REMOVABLE (USB stick, SD card)."""
    import ctypes

    root = normalize_root(volume.root).replace("/", "\\")
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return int(kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))) == DRIVE_REMOVABLE


def posix_is_removable(volume: Volume, sys_block: Path = Path("/sys/block")) -> bool:
    """Linux: the disk behind the device is marked removable; any POSIX: mounted as media."""
    if volume.root.startswith(MEDIA_PREFIXES):
        return True
    device = Path(volume.device).name if volume.device.startswith("/dev/") else ""
    if not device:
        return False
    disk = device
    while disk and not (sys_block / disk).is_dir():  # sdb1 -> sdb, mmcblk0p1 -> mmcblk0
        disk = disk[:-1]
        if disk.endswith("p") and (sys_block / disk[:-1]).is_dir():
            disk = disk[:-1]
    try:
        return bool(disk) and (sys_block / disk / "removable").read_text().strip() == "1"
    except OSError:
        return False


def mounted_volumes() -> list[Volume]:
    """The system's mounted volumes through Qt (QStorageInfo)."""
    from PySide6.QtCore import QStorageInfo

    volumes = []
    for info in QStorageInfo.mountedVolumes():
        if not info.isValid():
            continue
        volumes.append(
            Volume(
                root=info.rootPath(),
                name=info.displayName() or info.name(),
                file_system=bytes(info.fileSystemType()).decode(errors="replace"),
                device=bytes(info.device()).decode(errors="replace"),
                free_bytes=int(info.bytesAvailable()),
                read_only=info.isReadOnly(),
                ready=info.isReady(),
            )
        )
    return volumes


def removable_drives() -> list[Drive]:
    """Mounted, writable USB sticks and memory cards (never the system drive)."""
    test = windows_is_removable if sys.platform == "win32" else posix_is_removable
    return pick_removable(mounted_volumes(), test, system_roots())
