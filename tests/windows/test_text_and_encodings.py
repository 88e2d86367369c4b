"""UTF-8 output under a cp1252 console or redirect; files saved with a byte-order mark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from winkit import MINI, cli, clinic_with_assessment

from guidecheck.checklist.loading import load_questionnaire

BOM = b"\xef\xbb\xbf"


def test_redirected_output_is_utf8_under_cp1252(tmp_path: Path):
    home = tmp_path / "home"
    clinic_with_assessment(home, name="Ọ̀yọ́ Health Post")
    out_file = tmp_path / "out.txt"
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    with open(out_file, "wb") as out:  # `guidecheck assessment list > out.txt`
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "guidecheck.cli.main",
                "--home",
                str(home),
                "assessment",
                "list",
            ],
            stdout=out,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "Ọ̀yọ́ Health Post" in out_file.read_bytes().decode("utf-8")
    # errors go out as UTF-8 too
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "guidecheck.cli.main",
            "--home",
            str(home),
            "assessment",
            "show",
            "Ọ̀yọ́",
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2 and "Ọ̀yọ́" in bad.stderr.decode("utf-8")


def test_key_file_with_a_bom_is_installed(capsys, tmp_path: Path):
    hub, clinic = tmp_path / "hub", tmp_path / "clinic"
    key = tmp_path / "district.gckey"
    assert cli(capsys, "--home", hub, "keys", "district-init", "--out", key)[0] == 0
    notepad = tmp_path / "notepad.gckey"  # saved again by Notepad: BOM and CRLF
    notepad.write_bytes(BOM + key.read_bytes().replace(b"\n", b"\r\n"))
    code, out, err = cli(capsys, "--home", clinic, "keys", "install-district", notepad)
    assert code == 0, err
    assert "Installed district key" in out


def test_answers_file_with_a_bom_is_read(capsys, tmp_path: Path):
    answers = {
        "questionnaire": "who-ai-health-2025",
        "profile": {"facility_name": "Ọ̀yọ́", "facility_code": "NG-OY-1", "district": "Ibarapa",
                    "region": "Oyo", "tool_name": "Scan", "tool_vendor": "Acme", "tool_version": "1",
                    "use_category": "diagnostic_imaging", "phase": "routine", "assessor_name": "Ade",
                    "assessor_role": "Nurse",
                    "date": "2026-11-20"},
        "answers": {},
    }  # fmt: skip
    path = tmp_path / "answers.json"
    path.write_bytes(
        BOM + json.dumps(answers, ensure_ascii=False).encode("utf-8")
    )  # PowerShell 5.1
    code, out, err = cli(capsys, "--home", tmp_path / "h", "assessment", "new", "--from", path)
    assert code == 0, err
    code, listing, err = cli(capsys, "--home", tmp_path / "h", "assessment", "list")
    assert "Ọ̀yọ́" in listing


def test_questionnaire_with_a_bom_loads(tmp_path: Path):
    path = tmp_path / "mini.yaml"
    path.write_bytes(BOM + MINI.read_bytes())
    assert load_questionnaire(path).id == load_questionnaire(MINI).id
