"""The imitation of Windows' file rules refuses what Windows refuses (else it proves nothing)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def test_an_open_file_cannot_be_deleted_or_renamed(windows_fs, tmp_path: Path):
    path = tmp_path / "open.txt"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("x")
        with pytest.raises(PermissionError, match="WinError 32"):
            path.unlink()
        with pytest.raises(PermissionError, match="WinError 32"):
            os.replace(path, tmp_path / "moved.txt")
        other = tmp_path / "other.txt"
        other.write_text("y", encoding="utf-8")
        with pytest.raises(PermissionError, match="WinError 32"):
            os.replace(other, path)  # nor can anything replace it
    path.unlink()  # closed: allowed again
    fd = os.open(tmp_path / "raw.bin", os.O_WRONLY | os.O_CREAT)
    with pytest.raises(PermissionError):
        os.unlink(tmp_path / "raw.bin")
    os.close(fd)
    os.unlink(tmp_path / "raw.bin")


@pytest.mark.parametrize(
    "name", ["CON", "nul.txt", "COM1.pdf", "lpt9.xlsx", "a:b.pdf", "why?.pdf", "x*y", "dot.", "sp "]
)
def test_names_windows_refuses(windows_fs, tmp_path: Path, name: str):
    with pytest.raises(OSError, match="WinError (123|87)"):
        (tmp_path / name).write_bytes(b"x")
    with pytest.raises(OSError, match="WinError (123|87)"):
        os.open(tmp_path / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    assert not (tmp_path / name).exists()


def test_names_differing_in_case_are_one_file(windows_fs, tmp_path: Path):
    (tmp_path / "report.pdf").write_bytes(b"first")
    (tmp_path / "Report.PDF").write_bytes(b"second")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
    assert (tmp_path / "report.pdf").read_bytes() == b"second"
    with pytest.raises(FileExistsError):
        os.open(tmp_path / "REPORT.pdf", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    with pytest.raises(FileExistsError):
        os.rename(tmp_path / "b.txt", tmp_path / "REPORT.PDF")
