"""The app switched to French, then Portuguese: every screen of the assessment flow and of the
district hub is walked and nothing English may be left on it (names and codes allowed).

The assessment flow runs on a checklist translated into both languages, so its questions,
guidance, choices and part titles must show translated too. The hub runs on the district tests'
checklist, which is English only: its texts fall back to English by rule and are taken out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from screen_texts import english_left, english_only_words

from guidecheck import GUIDANCE
from guidecheck.checklist.model import Profile, SignOff
from guidecheck.gui.shell.dialogs import AboutDialog, SettingsDialog
from guidecheck.gui.shell.main_window import MainWindow
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

sys.path.append(str(Path(__file__).resolve().parents[1] / "district"))
from hub_builder import build_hub, import_conflict, load_test_questionnaire

# Names the test types in (people, places, products) and the guidance's own published title.
NAMES = ("Lwala", "KE-0042", "ChestScan", "Amina Otieno", "Joseph Mwangi", "Nyando", GUIDANCE)
# Each language is offered under its own name ("English" in the French app too).
LANGUAGE_NAMES = ("English", "Français", "Português")


def _profile() -> Profile:
    return Profile(
        facility_name="Lwala",
        facility_code="KE-0042",
        district="Nyando",
        tool_name="ChestScan",
        use_category="diagnostic_imaging",
        assessor_name="Amina Otieno",
        date="2026-03-31",
    )


def _assessments(home: Path, questionnaire) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A half-answered draft and a signed final one, through the real store."""
    with Store(database_path(home)) as store:
        draft = store.new_assessment(questionnaire, _profile())
        store.save_answer(draft.id, "prv_encrypted", "partly", "12")
        final = store.new_assessment(questionnaire, _profile())
        for item, value in (("prv_encrypted", "no"), ("prv_access", "anyone")):
            store.save_answer(final.id, item, value, "12")
        store.save_answer(final.id, "saf_validated", "yes")
        store.save_answer(final.id, "saf_errors", 3)
        store.finalize(final.id, SignOff("Amina Otieno", "", "Joseph Mwangi", "2026-03-31"))
        return draft.id, final.id


def _check(widget, where: str, data: tuple[str, ...] = NAMES) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{where}: {line}" for line in english_left(widget, data=data)]


def test_the_detector_finds_english(qtbot):
    """The check itself: an English screen is found out, word by word."""
    assert {"answers", "assessment", "finalize"} <= english_only_words()
    assert not {"score", "code", "date", "version"} & english_only_words()


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_assessment_flow_has_no_english_left(
    qtbot, switch, home, trilingual_folder, trilingual, lang
):
    switch(lang)
    problems: list[str] = []
    window = MainWindow(home, trilingual_folder)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.home_loaded, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: window.home.pages.currentWidget() is window.home.empty)
    problems += _check(window, "home (empty)")

    window.start_new()
    qtbot.waitUntil(lambda: window.new_screen.questionnaire_list.count() > 0, timeout=10_000)
    problems += _check(window, "new assessment, step 1")
    window.new_screen.show_step(1)
    problems += _check(window, "new assessment, step 2")

    window.close()
    qtbot.waitUntil(lambda: window.runner._closed, timeout=5_000)
    draft_id, final_id = _assessments(home, trilingual)
    window = MainWindow(home, trilingual_folder)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.home_loaded, timeout=10_000):
        window.show()
    window.home.select(draft_id)
    problems += _check(window, "home")

    window.open_assessment(draft_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._walkthrough, timeout=10_000)
    walkthrough = window.walkthrough
    for domain_id in list(walkthrough.shown_domains):
        walkthrough.show_domain(domain_id)
        for card in walkthrough.visible_cards():
            card.guidance_toggle.setChecked(True)
        problems += _check(window, f"walk-through, part {domain_id}")
    window.show_review()
    problems += _check(window, "review")
    window.show_finalize()
    problems += _check(window, "finalize")

    window.open_assessment(final_id)
    qtbot.waitUntil(
        lambda: window._summary is not None and window.stack.currentWidget() is window._summary,
        timeout=10_000,
    )
    problems += _check(window, "result")

    from guidecheck.gui.sync.export_dialog import ExportDialog
    from guidecheck.gui.sync.import_dialog import ImportDialog
    from guidecheck.gui.sync.interop_dialogs import NationalExportDialog, XlsformImportDialog

    dialogs = (
        ("about", AboutDialog(window)),
        ("settings", SettingsDialog(window)),
        ("export for district", ExportDialog(window, window.home_dir, window.runner)),
        ("import bundles", ImportDialog(window, window.home_dir, window.runner)),
        ("export for national systems", NationalExportDialog(window, window.runner)),
        ("checklist from Excel", XlsformImportDialog(window, window.runner)),
    )
    for name, dialog in dialogs:
        dialog.show()
        qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
        problems += _check(dialog, name, NAMES + LANGUAGE_NAMES + (str(home),))
        dialog.close()
    window.close()
    qtbot.waitUntil(lambda: window.runner._closed, timeout=5_000)
    assert problems == [], "\n".join(problems)


# What the district tests' hub builder typed: clinic, place, people and tool names, notes.
HUB_DATA = ("Clinic A", "Clinic B", "Clinic C", "Clinic K", "Officer", "Nurse", "Head", "North",
            "South", "West", "Lake", "Acme", "ChestScan", "TriageBot", "ReadMyXray",
            "seen on laptop-a", "seen on laptop-b")  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_district_hub_has_no_english_left(qtbot, switch, tmp_path, lang):
    from guidecheck.checklist.translations import texts
    from guidecheck.gui.hub.district_view import open_district_view

    switch(lang)
    hub = build_hub(tmp_path)
    import_conflict(tmp_path, hub)
    hub.store.close()
    checklist = tuple(text.en for text in texts(load_test_questionnaire()))
    widget = open_district_view(None, hub.home)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    with qtbot.waitSignal(widget.loaded, timeout=15_000):
        widget.show()
    problems: list[str] = []
    for tab in range(widget.tabs.count()):
        widget.tabs.setCurrentIndex(tab)
        qtbot.wait(50)
        problems += _check(widget, f"hub tab {tab}", HUB_DATA + checklist)
    widget.close()
    assert problems == [], "\n".join(problems)
