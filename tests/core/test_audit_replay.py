"""`audit verify` replays the log against the answers: an answer edited, added or deleted with
another SQLite tool is named, while everything done through GuideCheck (revisions too) passes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile, SignOff
from guidecheck.cli.main import main
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

PROFILE = Profile(facility_name="Clinic", facility_code="KSM-1", district="K", region="N",
                  tool_name="T", tool_vendor="A", tool_version="1", use_category="patient_triage",
                  assessor_name="A", assessor_role="Nurse", date="2026-11-20")  # fmt: skip


def value_for(item):
    if item.type == "compliance":
        return "yes"
    if item.type == "single_choice":
        return item.choices[0].id
    if item.type == "multiple_choice":
        return [item.choices[0].id]
    if item.type == "number":
        return int(item.minimum or 0) + 1
    if item.type == "date":
        return "2026-10-01"
    return "ok"


def test_audit_verify_names_answers_changed_outside_guidecheck(tmp_path, capsys):
    mini = load_questionnaire(Path(__file__).parents[1] / "bundles" / "data" / "mini.yaml")
    items = [i for i in mini.items if i.type == "compliance"][:3]
    with Store(database_path(tmp_path)) as store:
        first = store.new_assessment(mini, PROFILE).id
        for item in mini.items:
            store.save_answer(first, item.id, value_for(item), note="seen")
        store.save_answer(first, items[0].id, "no")
        store.finalize(first, SignOff("A", "Nurse", "Head", "2026-11-21"))
        second = store.revise(first).id
        store.save_answer(second, items[1].id, "partly")
    assert main(["--home", str(tmp_path), "audit", "verify"]) == 0
    assert "OK" in capsys.readouterr().out
    conn = sqlite3.connect(database_path(tmp_path))
    with conn:
        conn.execute("UPDATE answers SET value_json = '\"yes\"' WHERE assessment_id = ? AND item_id = ?",
                     (first, items[0].id))  # fmt: skip
        conn.execute(
            "DELETE FROM answers WHERE assessment_id = ? AND item_id = ?", (second, items[2].id)
        )
    conn.close()
    assert main(["--home", str(tmp_path), "audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert f"answer {items[0].id} of assessment {first} differs from the audit log" in err
    assert f"answer {items[2].id} of assessment {second} was deleted outside GuideCheck" in err
    assert "2 answers differ" in err
