"""Importing hand-built XLSForms (made with openpyxl here), and refusing what cannot be kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.cli.main import main
from guidecheck.interop.xlsform_expr import to_native

EN, SW = "label::English (en)", "label::Kiswahili (sw)"
SURVEY_HEADER = ["type", "name", EN, SW, "hint::English (en)", "relevant", "constraint",
                 "constraint_message::English (en)", "required", "weight", "critical", "action::English (en)"]  # fmt: skip
CHOICES = [
    ["list_name", "name", EN, SW],
    ["yesno", "yes", "Yes", "Ndiyo"],
    ["yesno", "no", "No", "Hapana"],
    *[["compliance", v, v.title(), v] for v in ("yes", "partly", "no", "dont_know", "na")],
    ["places", "local", "On a computer here", "Kwenye kompyuta hapa"],
    ["places", "cloud", "In the cloud", "Kwenye wingu"],
]
FULL_FORM = [
    ["begin_group", "intro", "Introduction", "Utangulizi"],
    ["note", "n_intro", "Ask the facility head to join.", "Mwombe mkuu ajiunge."],
    ["select_one yesno", "uses_ai", "Does the clinic use an AI tool?", "Je, kliniki inatumia AI?", "Any AI tool counts."],
    ["select_one compliance", "consent", "Are patients asked for consent?", "Wagonjwa wanaombwa idhini?", "", "", "", "", "yes", "3", "yes", "Ask every patient."],
    ["select_multiple places", "storage", "Where is patient data stored?", "Data huhifadhiwa wapi?"],
    ["integer", "staff", "How many staff use the tool?", "Wafanyakazi wangapi?", "", "", ". >= 0 and . <= 500", "From 0 to 500."],
    ["decimal", "budget", "Yearly budget for the tool?", "Bajeti ya mwaka?"],
    ["date", "since", "In use since?", "Tangu lini?"],
    ["text", "remarks", "Remarks", "Maoni"],
    ["end_group"],
    ["begin_group", "detail", "Details", "Maelezo", "", "${uses_ai} = 'yes'"],
    ["select_one compliance", "audit", "Is the cloud provider audited?", "Je, mtoa huduma anakaguliwa?", "",
     "selected(${storage}, 'cloud') and count-selected(${storage}) >= 1", "", "", "yes", "2", "", "Ask for the audit."],
    ["end_group"],
]  # fmt: skip
SETTINGS = [["form_title", "form_id", "version", "default_language"], ["Demo checklist", "demo_form", "2024010101", "English (en)"]]  # fmt: skip


def write_form(path: Path, survey: list[list[str]], header: list[str] | None = None,
               choices: list[list[str]] | None = None) -> Path:  # fmt: skip
    book = Workbook()
    book.remove(book.active)
    for name, rows in (
        ("survey", [header or SURVEY_HEADER, *survey]),
        ("choices", choices or CHOICES),
        ("settings", SETTINGS),
    ):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def run(*args: str) -> int:
    return main(["questionnaires", *args])


def test_every_supported_type_translation_and_conditions(tmp_path, capsys):
    form = write_form(tmp_path / "demo.xlsx", FULL_FORM)
    out = tmp_path / "demo.yaml"
    assert run("import-xlsform", str(form), "--out", str(out)) == 0, capsys.readouterr().err
    q = load_questionnaire(out)
    assert (q.id, q.version) == ("demo-form", "2024010101")
    assert [d.id for d in q.domains] == ["intro", "detail"]
    items = {i.id: i for i in q.items}
    assert {k: v.type for k, v in items.items()} == {
        "uses_ai": "single_choice", "consent": "compliance", "storage": "multiple_choice", "staff": "number",
        "budget": "number", "since": "date", "remarks": "text", "audit": "compliance"}  # fmt: skip
    assert "sw" in q.languages
    assert items["consent"].question.get("sw") == "Wagonjwa wanaombwa idhini?"
    assert items["storage"].choice("cloud").label.get("sw") == "Kwenye wingu"
    # the note is guidance text of the question after it; the hint joins it
    assert (
        items["uses_ai"].guidance.why.en == "Ask the facility head to join.\n\nAny AI tool counts."
    )
    assert (
        items["consent"].weight == 3
        and items["consent"].critical
        and items["consent"].action.en == "Ask every patient."
    )
    assert items["staff"].integer and (items["staff"].minimum, items["staff"].maximum) == (0, 500)
    assert not items["budget"].integer
    assert q.domain("detail").condition == "answer.uses_ai == 'yes'"
    assert items["audit"].condition == "'cloud' in answer.storage and count(answer.storage) >= 1"
    assert run("validate", str(out)) == 0


def test_conditions_behave_like_the_form(tmp_path):
    from guidecheck.checklist.model import Answer, Profile
    from guidecheck.checklist.scoring import visible_items

    form = write_form(tmp_path / "demo.xlsx", FULL_FORM)
    out = tmp_path / "demo.yaml"
    assert run("import-xlsform", str(form), "--out", str(out)) == 0
    q = load_questionnaire(out)

    def shown(**answers):
        return {
            i.id for i in visible_items(q, Profile(), {k: Answer(k, v) for k, v in answers.items()})
        }

    assert "audit" not in shown(uses_ai="no", storage=["cloud"])
    assert "audit" not in shown(uses_ai="yes", storage=["local"])
    assert "audit" in shown(uses_ai="yes", storage=["local", "cloud"])


def test_cross_field_constraint_translates_to_value():
    resolve = {"staff": ("answer", "number")}.__getitem__
    assert to_native(". <= ${staff}", resolve, allow_self=True) == "value <= answer.staff"
    assert (
        to_native("not(. = 0) or ${staff} > 2", resolve, allow_self=True)
        == "not (value == 0) or answer.staff > 2"
    )


def test_a_form_without_weights_is_an_unscored_survey(tmp_path, capsys):
    survey = [["text", "name_of_clinic", "Clinic name"], ["integer", "beds", "Number of beds"]]
    out = tmp_path / "survey.yaml"
    assert (
        run("import-xlsform", str(write_form(tmp_path / "s.xlsx", survey)), "--out", str(out)) == 0
    )
    assert "unscored survey" in capsys.readouterr().err
    assert all(i.weight == 0 for i in load_questionnaire(out).items)


UNSUPPORTED = [
    (
        "repeat",
        [["begin_repeat", "visits", "Visits"], ["text", "who", "Who?"], ["end_repeat"]],
        3,
        "repeat",
    ),
    ("calculate", [["calculate", "total", "", "", "", "", "", "", "", ""]], 3, "calculate"),
    ("geopoint", [["geopoint", "where", "Where?"]], 3, "geopoint"),
    ("media", [["image", "photo", "Photo of the poster"]], 3, "media"),
    ("choice_filter", [["select_one yesno", "filtered", "Filtered?"]], 3, "choice_filter"),
    ("or_other", [["select_one yesno or_other", "other", "Other?"]], 3, "or_other"),
    ("from_file", [["select_one_from_file sites.csv", "site", "Site?"]], 3, "select_one_from_file"),
    ("function", [["text", "when", "When?", "", "", "today() > 1"]], 3, "today()"),
]


@pytest.mark.parametrize("name,rows,row,feature", UNSUPPORTED, ids=[u[0] for u in UNSUPPORTED])
def test_unsupported_features_are_refused_naming_the_row_or_left_out(
    tmp_path, capsys, name, rows, row, feature
):
    header = SURVEY_HEADER + (["choice_filter"] if name == "choice_filter" else [])
    if name == "choice_filter":
        rows = [rows[0] + [""] * (len(SURVEY_HEADER) - len(rows[0])) + ["name = 'yes'"]]
    if name == "calculate":
        header = [*SURVEY_HEADER, "calculation"]
        rows = [rows[0] + ["", "", "1 + 1"]]
    survey = [["text", "first", "First question"], *rows]
    form = write_form(tmp_path / f"{name}.xlsx", survey, header)
    assert run("import-xlsform", str(form), "--out", str(tmp_path / "x.yaml")) == 2
    err = capsys.readouterr().err
    assert f"sheet 'survey', row {row}" in err and feature in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.yaml").exists()
    assert (
        run("import-xlsform", str(form), "--skip-unsupported", "--out", str(tmp_path / "x.yaml"))
        == 0
    )
    err = capsys.readouterr().err
    assert f"Left out: sheet 'survey', row {row}" in err
    assert [i.id for i in load_questionnaire(tmp_path / "x.yaml").items] == ["first"]


def test_broken_files_are_one_sentence(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    assert run("import-xlsform", str(bad)) == 2
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and "Traceback" not in err
    assert run("import-xlsform", str(tmp_path / "missing.xlsx")) == 2
    survey = [["select_one nolist", "q", "Question?"]]
    assert run("import-xlsform", str(write_form(tmp_path / "nolist.xlsx", survey))) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_cross_field_constraint_imports_as_format_2(tmp_path, capsys):
    header = [
        "type",
        "name",
        EN,
        "constraint",
        "constraint_message::English (en)",
        "basis::English (en)",
        "na_allowed",
    ]
    survey = [
        ["integer", "staff", "How many staff use the tool?", "", "", "Good practice: staffing"],
        ["integer", "trained", "How many of them are trained?", ". <= ${staff}", "Cannot be more than the staff.", "WHO 2025 guidance, area 5"],
    ]  # fmt: skip
    out = tmp_path / "c.yaml"
    assert (
        run(
            "import-xlsform",
            str(write_form(tmp_path / "c.xlsx", survey, header)),
            "--out",
            str(out),
        )
        == 0
    ), capsys.readouterr().err
    q = load_questionnaire(out)
    trained = q.item("trained")
    assert q.format == 2
    assert trained.constraint == "value <= answer.staff"
    assert trained.constraint_message.en == "Cannot be more than the staff."
    assert trained.basis.en == "WHO 2025 guidance, area 5"
