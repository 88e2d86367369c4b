"""One sanitiser for generated file names, and renames retried while antivirus holds a file."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from winkit import clinic_with_assessment

from guidecheck.bundles.export import bundle_file_name
from guidecheck.fileops import is_reserved_name, replace_with_retry, safe_file_name
from guidecheck.paths import database_path
from guidecheck.reports import build_report_data
from guidecheck.reports.exporters import PdfExporter, WorkbookExporter
from guidecheck.storage.store import Store


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MOH/KSM/042-CAD4TB:_TB?-2026.pdf", "MOH_KSM_042-CAD4TB_TB_-2026.pdf"),
        ('a<b>c"d|e*f\\g.xlsx', "a_b_c_d_e_f_g.xlsx"),
        ("CON.pdf", "CON_.pdf"),
        ("nul", "nul_"),
        ("com1.report.pdf", "com1_.report.pdf"),  # Windows reads the part before the first dot
        ("com10.pdf", "com10.pdf"),
        ("lpt9.xlsx", "lpt9_.xlsx"),
        ("tab\there\x00.pdf", "tab_here.pdf"),
        ("ends with dots... ", "ends with dots"),
        ("", "guidecheck"),
        ("Ọ̀yọ́ clinic.pdf", "Ọ̀yọ́ clinic.pdf"),
    ],
)
def test_safe_file_name(raw: str, expected: str):
    assert safe_file_name(raw) == expected


def test_long_names_keep_their_suffix_and_fit():
    name = safe_file_name("x" * 400 + ".gcbundle")
    assert name.endswith(".gcbundle") and len(name) <= 120
    assert not is_reserved_name(name)


def test_report_default_names_are_valid_on_windows(windows_fs, tmp_path: Path):
    home = tmp_path / "clinic"
    assessment_id = clinic_with_assessment(home)
    with Store(database_path(home)) as store:
        data = build_report_data(store, assessment_id)
    for exporter in (PdfExporter(), WorkbookExporter()):
        name = exporter.default_name(data)
        assert not set('/\\:*?"<>|') & set(name), name
        written = exporter.export(data, tmp_path / name)  # refused by the imitation if invalid
        assert written.parent == tmp_path and written.stat().st_size > 1000
    assert (tmp_path / PdfExporter().default_name(data)).read_bytes().startswith(b"%PDF")
    assert windows_fs.refusals == []


def test_bundle_names_are_valid_on_windows():
    name = bundle_file_name("CON", "2026-11-20T10:15:00Z", "abcdef1234")
    assert name == "guidecheck-CON-20261120-1015-abcdef12.gcbundle" and not is_reserved_name(name)
    assert ":" not in bundle_file_name("A:B/C", "2026-11-20T10:15:00Z", "abcdef1234")


def test_replace_waits_while_antivirus_holds_the_file(windows_fs, tmp_path: Path):
    target = tmp_path / "bundle.gcbundle"
    target.write_bytes(b"old")
    new = tmp_path / "new.partial"
    new.write_bytes(b"new")
    scanner = open(target, "rb")

    def let_go() -> None:
        time.sleep(0.25)
        scanner.close()

    thread = threading.Thread(target=let_go)
    thread.start()
    with pytest.raises(PermissionError):
        os.replace(new, target)  # what the plain rename does on Windows
    replace_with_retry(new, target)
    thread.join()
    assert target.read_bytes() == b"new" and not new.exists()


def test_replace_gives_up_after_a_few_tries(windows_fs, tmp_path: Path):
    target = tmp_path / "held.pdf"
    target.write_bytes(b"old")
    new = tmp_path / "new.part"
    new.write_bytes(b"new")
    started = time.monotonic()
    with open(target, "rb"), pytest.raises(PermissionError):
        replace_with_retry(new, target, attempts=3, pause=0.01)
    assert time.monotonic() - started < 2
    assert target.read_bytes() == b"old"
