"""`guidecheck monitor add | list | tally` as scripts use it: real processes, real data folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from guidecheck.paths import database_path
from guidecheck.storage.store import Store


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "guidecheck.cli.main", "--home", str(home), *args],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )  # fmt: skip


def clinic(tmp_path: Path, mini, profile) -> Path:
    home = tmp_path / "home"
    with Store(database_path(home)) as store:
        store.new_assessment(mini, profile)
    return home


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


EVENT = {
    "date": "2026-11-21",
    "facility_code": "MZ-0042",
    "tool_name": "ChestScan",
    "kind": "overridden",
    "severity": "minor",
    "what_happened": "Flagged a healed scar as active TB; the clinician overruled it.",
    "action_taken": "Noted in the register.",
}


def test_add_prints_the_id_and_list_shows_it_as_table_and_json(tmp_path, mini, profile):
    home = clinic(tmp_path, mini, profile)
    added = run(home, "monitor", "add", "--from", str(write(tmp_path, "e.json", EVENT)))
    assert added.returncode == 0, added.stderr
    new_id = added.stdout.strip()
    assert len(new_id) == 36
    table = run(home, "monitor", "list")
    assert new_id[:8] in table.stdout and "Output overruled by the clinician" in table.stdout
    listed = json.loads(run(home, "monitor", "list", "--tool", "ChestScan", "--json").stdout)
    assert [(e["id"], e["severity"], e["tool_name"]) for e in listed] == [
        (new_id, "minor", "ChestScan")
    ]


def test_list_for_an_unknown_tool_is_one_sentence_exit_2(tmp_path, mini, profile):
    home = clinic(tmp_path, mini, profile)
    result = run(home, "monitor", "list", "--tool", "NoSuchTool")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "NoSuchTool" in result.stderr


def test_text_with_a_phone_number_exits_2_with_one_sentence_and_writes_nothing(
    tmp_path, mini, profile
):
    home = clinic(tmp_path, mini, profile)
    bad = {**EVENT, "what_happened": "The mother (0712 345 678) complained about the result"}
    result = run(home, "monitor", "add", "--from", str(write(tmp_path, "bad.json", bad)))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "phone number" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(run(home, "monitor", "list", "--json").stdout) == []
    fixed = {**bad, "what_happened": "The mother complained about the result"}
    assert (
        run(home, "monitor", "add", "--from", str(write(tmp_path, "ok.json", fixed))).returncode
        == 0
    )


def test_bad_files_exit_2_and_write_nothing(tmp_path, mini, profile):
    home = clinic(tmp_path, mini, profile)
    cases = {
        "kind.json": {**EVENT, "kind": "oops"},
        "missing.json": {k: v for k, v in EVENT.items() if k != "severity"},
        "extra.json": {**EVENT, "patient_name": "x"},
        "number.json": {**EVENT, "what_happened": 5},
    }
    for name, data in cases.items():
        result = run(home, "monitor", "add", "--from", str(write(tmp_path, name, data)))
        assert result.returncode == 2, name
        assert result.stderr.count("\n") == 1, result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert run(home, "monitor", "add", "--from", str(broken)).returncode == 2
    assert json.loads(run(home, "monitor", "list", "--json").stdout) == []


def test_tally_file_records_months_and_a_bad_month_refuses_the_whole_file(tmp_path, mini, profile):
    home = clinic(tmp_path, mini, profile)
    months = [
        {"facility_code": "MZ-0042", "tool_name": "ChestScan", "month": "2026-09", "times_used": 80, "times_overridden": 4},
        {"facility_code": "MZ-0042", "tool_name": "ChestScan", "month": "2026-10", "times_used": 50, "times_overridden": 10},
    ]  # fmt: skip
    bad = [*months, {**months[0], "month": "2026-10", "times_overridden": 99}]
    refused = run(home, "monitor", "tally", "--from", str(write(tmp_path, "bad.json", bad)))
    assert refused.returncode == 2 and "more often" in refused.stderr
    with Store(database_path(home)) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM monitoring_tallies").fetchone()[0] == 0
    done = run(home, "monitor", "tally", "--from", str(write(tmp_path, "t.json", months)))
    assert done.returncode == 0, done.stderr
    assert "2026-10" in done.stdout and "20%" in done.stdout
