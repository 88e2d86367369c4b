"""Choosing the language: the first start follows the system, Settings applies a choice at once
to the open screens (no restart) and keeps it, Qt's own buttons follow, and every screen mirrors
for a right-to-left language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from guidecheck.checklist.model import Profile
from guidecheck.gui.shell.dialogs import SettingsDialog
from guidecheck.gui.shell.main_window import MainWindow
from guidecheck.gui.shell.settings import AppSettings
from guidecheck.i18n import current_language, normalize_language
from guidecheck.paths import database_path
from guidecheck.storage.store import Store


def _window(qtbot, home: Path, folder: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(home, folder)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.home_loaded, timeout=10_000):
        window.show()
    return window


def _draft(home: Path, questionnaire) -> str:  # type: ignore[no-untyped-def]
    with Store(database_path(home)) as store:
        profile = Profile(facility_name="Lwala", facility_code="KE-0042", tool_name="ChestScan",
                          use_category="patient_triage", assessor_name="Amina Otieno",
                          date="2026-03-31")  # fmt: skip
        assessment = store.new_assessment(questionnaire, profile)
        store.save_answer(assessment.id, "prv_encrypted", "yes")
        return assessment.id


def test_system_locales_map_to_shipped_languages():
    assert [normalize_language(n) for n in ("fr_CM", "fr-SN", "pt_MZ", "pt_BR.UTF-8", "de_DE")] == [
        "fr", "fr", "pt", "pt", "en"
    ]  # fmt: skip
    assert normalize_language("") == "en" and normalize_language(None) == "en"


def test_first_start_has_no_saved_choice(home):
    assert AppSettings(home).language == ""  # app.py then takes the system's language


def test_settings_switches_the_open_walkthrough_at_once_and_keeps_the_choice(
    qtbot, switch, home, trilingual_folder, trilingual
):
    draft = _draft(home, trilingual)
    window = _window(qtbot, home, trilingual_folder)
    window.open_assessment(draft)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._walkthrough, timeout=10_000)
    assert "Privacy and data security" in window.walkthrough.domain_list.item(0).text()

    dialog = SettingsDialog(window)
    dialog.language.setCurrentIndex(dialog.language.findData("pt"))
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        dialog.accept()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._walkthrough, timeout=10_000)
    assert current_language() == "pt"
    assert window.windowTitle() == "GuideCheck — orientações da OMS sobre IA na saúde"
    assert [a.text() for a in window.menuBar().actions()][0] == "&Ficheiro"
    assert "Privacidade e segurança dos dados" in window.walkthrough.domain_list.item(0).text()
    card = window.walkthrough.card_for("prv_encrypted")
    assert card is not None and card.editor.buttons["yes"].isChecked()  # the answer is kept
    assert "Sim" in card.editor.buttons["yes"].text()
    assert AppSettings(home).language == "pt"
    window.close()


@pytest.mark.parametrize(
    ("lang", "save", "cancel"), [("fr", "Enregistrer", "Annuler"), ("pt", "Guardar", "Cancelar")]
)
def test_qt_own_buttons_follow_the_language(qtbot, switch, lang, save, cancel):
    switch(lang)
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {save, cancel}
    translate = QCoreApplication.translate
    assert (
        translate("QFileDialog", "File &name:")
        .replace("&", "")
        .startswith("Nom" if lang == "fr" else "Nome do ficheiro")
    )


def test_right_to_left_mirrors_home_and_walkthrough(
    qtbot, switch, qapp, home, trilingual_folder, trilingual
):
    draft = _draft(home, trilingual)
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    window = _window(qtbot, home, trilingual_folder)

    def x_of(widget) -> int:  # type: ignore[no-untyped-def]
        return widget.mapTo(window, QPoint(0, 0)).x()

    home_screen = window.home
    new_button = home_screen.new_button
    assert x_of(new_button) > window.width() // 2  # the first button starts at the right edge
    window.open_assessment(draft)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._walkthrough, timeout=10_000)
    walkthrough = window.walkthrough
    side, page = walkthrough.domain_list, walkthrough.visible_cards()[0]
    assert x_of(side) > x_of(page)  # the list of parts is on the right
    assert x_of(side) + side.width() > window.width() - 40
    assert window.grab().save(str(home / "rtl-walkthrough.png"))
    window.close()


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_the_user_guide_opens_in_the_language_at_the_screens_part(qtbot, switch, home, lang):
    from guidecheck.gui.help.parts import PARTS_BY_LANGUAGE

    switch(lang)
    window = _window(qtbot, home, None)
    guide = window.open_guide("WalkthroughScreen")
    qtbot.waitUntil(guide.isVisible)
    headings = guide.heading_titles()
    for title in PARTS_BY_LANGUAGE[lang].values():  # every screen's part is in the translation
        assert any(h.startswith(title) for h in headings), title
    assert guide.current_heading().startswith(PARTS_BY_LANGUAGE[lang]["WalkthroughScreen"])
    assert PARTS_BY_LANGUAGE[lang]["HomeScreen"] in window.help_link.text()
    guide.close()
    window.close()
