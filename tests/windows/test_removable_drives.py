"""The "USB drives" list: removable drives only, never the system drive (simulated drive tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.gui.sync.drives import (
    Volume,
    normalize_root,
    pick_removable,
    posix_is_removable,
    removable_drives,
    system_roots,
)

# What QStorageInfo reports on a Windows laptop: Qt writes C:/ where Path.home().anchor is C:\
WINDOWS_TABLE = [
    Volume("C:/", "Windows", "NTFS", free_bytes=50_000_000_000),
    Volume("D:/", "DATA", "NTFS", free_bytes=200_000_000_000),  # second internal disk
    Volume("E:/", "KINGSTON", "exFAT", free_bytes=14_000_000_000),  # the USB stick
    Volume("F:/", "SDCARD", "FAT32", free_bytes=1_400_000_000, read_only=True),  # locked card
    Volume("G:/", "", "UDF", ready=False),  # empty card reader
    Volume("Z:/", "share", "NTFS", free_bytes=9),  # network drive
]
DRIVE_TYPES = {"C:/": 3, "D:/": 3, "E:/": 2, "F:/": 2, "G:/": 2, "Z:/": 4}  # GetDriveTypeW answers


def windows_type(volume: Volume) -> bool:
    return DRIVE_TYPES[volume.root] == 2


def test_windows_offers_the_stick_and_never_c():
    drives = pick_removable(WINDOWS_TABLE, windows_type, {normalize_root("C:\\")})
    assert [(d.name, str(d.path)) for d in drives] == [("KINGSTON", str(Path("E:/")))]


def test_the_system_drive_is_left_out_even_when_called_removable():
    everything = pick_removable(WINDOWS_TABLE, lambda v: True, {normalize_root("C:\\")})
    assert "C:/" not in [normalize_root(str(d.path)) for d in everything]
    assert normalize_root("C:\\") == normalize_root("c:/") == "C:/"


def test_linux_table_uses_the_kernel_removable_flag(tmp_path: Path):
    sys_block = tmp_path / "sys" / "block"
    for disk, flag in (("sda", "0"), ("sdb", "1"), ("mmcblk0", "1"), ("nvme0n1", "0")):
        (sys_block / disk).mkdir(parents=True)
        (sys_block / disk / "removable").write_text(flag + "\n", encoding="utf-8")
    table = [
        Volume("/", "root", "ext4", device="/dev/nvme0n1p2"),
        Volume("/home", "home", "ext4", device="/dev/nvme0n1p3"),
        Volume("/boot/efi", "EFI", "vfat", device="/dev/nvme0n1p1"),
        Volume("/mnt/backup", "backup", "ext4", device="/dev/sda1"),  # fixed disk under /mnt
        Volume("/mnt/stick", "STICK", "vfat", device="/dev/sdb1"),  # mounted by hand
        Volume("/media/amina/CARD", "CARD", "exfat", device="/dev/mmcblk0p1"),
        Volume("/run/media/amina/USBHDD", "USBHDD", "ntfs", device="/dev/sdc1"),  # desktop-mounted
        Volume("/run/user/1000", "tmp", "tmpfs", device="tmpfs"),
    ]
    drives = pick_removable(table, lambda v: posix_is_removable(v, sys_block), system_roots())
    assert [d.name for d in drives] == ["STICK", "CARD", "USBHDD"]


@pytest.mark.skipif(
    not hasattr(__import__("ctypes"), "windll"), reason="GetDriveTypeW exists on Windows only"
)
def test_windows_asks_the_real_drive_types():
    assert all(
        normalize_root(str(d.path)) != normalize_root(Path.home().anchor)
        for d in removable_drives()
    )


def test_this_machine_never_lists_its_system_disk():
    roots = system_roots()
    for drive in removable_drives():
        assert normalize_root(str(drive.path)) not in roots
