"""`audit verify` replays the log against the answers: an answer edited, added or deleted with
another SQLite tool is named, while everything done through GuideCheck (revisions too) passes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clinic_hub_helpers import fitting_value
from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile, SignOff
from guidecheck.cli.main import main
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

PROFILE = Profile(facility_name="Clinic", facility_code="KSM-1", district="K", region="N",
                  tool_name="T", tool_vendor="A", tool_version="1", use_category="patient_triage",
                  assessor_name="A", assessor_role="Nurse", date="2026-11-20")  # fmt: skip


value_for = fitting_value


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
    assert f"answers row {first}/{items[0].id}: value is 'yes', but the audit log says 'no'" in err
    assert (
        f"answers row {second}/{items[2].id} is missing, but the audit log says it holds 'yes'"
        in err
    )
    assert "2 records differ" in err


def _tamper(home: Path, sql: str, params: tuple = ()) -> None:
    """Change the clinic's database file with plain SQLite, as someone with the file could."""
    conn = sqlite3.connect(database_path(home))
    with conn:
        conn.execute(sql, params)
    conn.close()


def _verify(home: Path, capsys) -> tuple[int, list[str]]:
    code = main(["--home", str(home), "audit", "verify"])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def _finished(home: Path) -> tuple[str, str, list]:
    """A final assessment and a draft, every change made through GuideCheck."""
    mini = load_questionnaire(Path(__file__).parents[1] / "bundles" / "data" / "mini.yaml")
    with Store(database_path(home)) as store:
        final = store.new_assessment(mini, PROFILE).id
        for item in mini.items:
            store.save_answer(final, item.id, value_for(item), note="seen")
        store.finalize(final, SignOff("A", "Nurse", "Head", "2026-11-21"))
        draft = store.new_assessment(mini, PROFILE).id
        store.save_answer(draft, mini.items[0].id, value_for(mini.items[0]))
    return final, draft, mini.items


def test_an_answer_edited_in_the_file_is_named_with_what_the_log_says(tmp_path, capsys):
    final, _draft, items = _finished(tmp_path)
    assert _verify(tmp_path, capsys)[0] == 0
    _tamper(tmp_path, "UPDATE answers SET value_json = '\"no\"', note = 'fine'"
            " WHERE assessment_id = ? AND item_id = ?", (final, items[0].id))  # fmt: skip
    code, lines = _verify(tmp_path, capsys)
    assert code == 2
    assert lines == [
        f"Changed outside GuideCheck: answers row {final}/{items[0].id}: value is 'no', but the"
        " audit log says 'yes'.",
        f"Changed outside GuideCheck: answers row {final}/{items[0].id}: note is 'fine', but the"
        " audit log says 'seen'.",
        "The audit log is intact, but 2 records differ from it.",
    ]


def test_an_added_answer_is_named(tmp_path, capsys):
    _final, draft, items = _finished(tmp_path)
    _tamper(tmp_path, "INSERT INTO answers (assessment_id, item_id, value_json, note, answered_at,"
            " answered_by) VALUES (?, ?, '\"yes\"', '', '2026-11-22T00:00:00Z', 'A')",
            (draft, items[1].id))  # fmt: skip
    code, lines = _verify(tmp_path, capsys)
    assert code == 2
    assert f"answers row {draft}/{items[1].id} is not in the audit log (it holds 'yes')" in lines[0]


def test_an_assessment_status_edited_in_the_file_is_named(tmp_path, capsys):
    _final, draft, _items = _finished(tmp_path)
    _tamper(tmp_path, "UPDATE assessments SET status = 'final' WHERE id = ?", (draft,))
    code, lines = _verify(tmp_path, capsys)
    assert code == 2
    assert lines[0] == (
        f"Changed outside GuideCheck: assessments row {draft}: status is 'final', but the audit"
        " log says 'draft'."
    )


def test_a_finalized_assessment_reopened_in_the_file_is_named(tmp_path, capsys):
    final, _draft, _items = _finished(tmp_path)
    _tamper(tmp_path, "UPDATE assessments SET status = 'draft', sign_off_json = NULL,"
            " finalized_at = NULL WHERE id = ?", (final,))  # fmt: skip
    code, lines = _verify(tmp_path, capsys)
    text = "\n".join(lines)
    assert code == 2
    assert f"assessments row {final}: status is 'draft', but the audit log says 'final'" in text
    assert f"assessments row {final}: sign_off is nothing, but the audit log says" in text
    assert f"assessments row {final}: finalized_at is nothing, but the audit log says" in text


def test_a_facility_name_and_a_profile_edited_in_the_file_are_named(tmp_path, capsys):
    final, _draft, _items = _finished(tmp_path)
    _tamper(tmp_path, "UPDATE facilities SET name = 'Elsewhere' WHERE code = 'KSM-1'")
    _tamper(tmp_path, "UPDATE assessments SET profile_json = json_set(profile_json,"
            " '$.facility_name', 'Elsewhere') WHERE id = ?", (final,))  # fmt: skip
    code, lines = _verify(tmp_path, capsys)
    assert code == 2
    assert (
        "Changed outside GuideCheck: facilities row KSM-1: name is 'Elsewhere', but the audit log"
        " says 'Clinic'." in lines
    )
    assert (
        f"Changed outside GuideCheck: assessments row {final}: profile facility_name is"
        " 'Elsewhere', but the audit log says 'Clinic'." in lines
    )
    assert lines[-1] == "The audit log is intact, but 2 records differ from it."


def test_a_tool_and_a_deleted_assessment_are_named(tmp_path, capsys):
    final, draft, _items = _finished(tmp_path)
    _tamper(tmp_path, "UPDATE tools SET intended_use = 'anything'")
    _tamper(tmp_path, "DELETE FROM answers WHERE assessment_id = ?", (draft,))
    _tamper(tmp_path, "DELETE FROM assessments WHERE id = ?", (draft,))
    code, lines = _verify(tmp_path, capsys)
    text = "\n".join(lines)
    assert code == 2
    assert f"assessments row {draft} is missing, but the audit log says it holds 'draft'" in text
    assert "intended_use is 'anything', but the audit log says nothing" in text
    assert final not in text


def test_an_answer_value_is_read_as_the_log_writes_it_with_or_without_parsing():
    from guidecheck.storage.audit_replay import _logged_form

    cases = [
        ('"yes"', "yes", "yes"),
        ('"yes"', "no", "yes"),
        ('["local", "shelf"]', '["local", "shelf"]', '["local", "shelf"]'),
        ("4", "4", "4"),
        ("4", "5", "4"),
        ("null", None, None),
        ('"say \\"hi\\""', 'say "hi"', 'say "hi"'),
        ('"a\\nb"', "a\nb", "a\nb"),
        ('"\\u00e9t\\u00e9"', "été", "été"),
        ("not json", "not json", "\ufffdnot json"),
    ]
    for value_json, logged, expected in cases:
        assert _logged_form(value_json, logged) == expected, value_json
        assert _logged_form(value_json) == expected, value_json
    # never taken for equal when the row is not the JSON the store writes
    assert _logged_form("yes", "yes") == "\ufffdyes"
    assert _logged_form('"a\nb"', "a\nb") == "\ufffd" + '"a\nb"'
