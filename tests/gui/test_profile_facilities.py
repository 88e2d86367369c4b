"""The profile step: the district's facility list (from its key file) to pick from, free entry as
the fallback, and a clear word when the list is missing."""

from __future__ import annotations

from gui_helpers import click, open_window
from PySide6.QtCore import Qt

from guidecheck.bundles.key_facilities import (
    KeyFacility,
    facilities_from_key_file,
    facilities_from_key_text,
    installed_key_facilities,
    save_key_facilities,
)

KEY_TEXT = """# GuideCheck district key: the PUBLIC part.
guidecheck-district-key 1
name: Kisumu district
recipient: age1ahpkryg45qz7hgjudttjl3rxv9y0fzj879ztxkmwyrk5uqp8e5mstdy7jv
facility: KE-0042 | Kisumu East Health Centre | Kisumu East | Western
facility: KE-0107 | Lwala Dispensary | Kisumu East
facility: KE-0042 | A second line with the same code is ignored
facility: only-a-code
facilities: [{"code": "KE-0203", "name": "Siaya County Referral Hospital", "district": "Siaya"}]
something-newer: a field this version does not know
"""


def test_key_file_facilities_are_read_leniently(tmp_path):
    found = facilities_from_key_text(KEY_TEXT)
    assert [(f.code, f.name, f.district) for f in found] == [
        ("KE-0042", "Kisumu East Health Centre", "Kisumu East"),
        ("KE-0107", "Lwala Dispensary", "Kisumu East"),
        ("KE-0203", "Siaya County Referral Hospital", "Siaya"),
    ]
    assert facilities_from_key_text("facilities: [not json") == []
    assert facilities_from_key_file(tmp_path / "missing.gckey") == []
    path = tmp_path / "district.gckey"
    path.write_text(KEY_TEXT, "utf-8")
    assert facilities_from_key_file(path) == found


def test_nurse_picks_the_facility_from_the_district_list(qtbot, home, checklists):
    save_key_facilities(
        home,
        [
            KeyFacility("KE-0042", "Kisumu East Health Centre", "Kisumu East", "Western"),
            KeyFacility("KE-0107", "Lwala Dispensary", "Kisumu East"),
        ],
    )
    assert len(installed_key_facilities(home)) == 2
    window = open_window(qtbot, home, checklists)
    click(qtbot, window.home.new_button)
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.facility_name.count() == 2)
    click(qtbot, screen.next_button)
    assert screen.facility_hint.isVisible()
    combo = screen.facility_name
    index = combo.findData("KE-0107")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what choosing the line in the drop-down does
    assert combo.currentText() == "Lwala Dispensary"
    assert screen.facility_code.text() == "KE-0107"
    assert screen.district.text() == "Kisumu East"
    # free entry stays possible for a facility not on the list
    combo.setEditText("")
    qtbot.keyClicks(combo.lineEdit(), "New Outreach Post")
    assert screen.profile().facility_name == "New Outreach Post"


def test_without_a_list_the_facility_is_typed(qtbot, home, checklists):
    window = open_window(qtbot, home, checklists)
    click(qtbot, window.home.new_button)
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 1)
    qtbot.keyClick(screen.questionnaire_list, Qt.Key.Key_Return)
    assert screen.facility_name.count() == 0
    assert not screen.facility_hint.isVisible()


def test_dates_come_from_a_calendar(qtbot, home, checklists, mini):
    from gui_helpers import card, sample_profile, stored, wait_saved
    from PySide6.QtCore import QDate

    from guidecheck.gui.assessment.editors import CalendarButton
    from guidecheck.storage.store import Store

    with Store(home / "guidecheck.db") as store:
        assessment = store.new_assessment(mini, sample_profile(), "Amina Otieno")
    window = open_window(qtbot, home, checklists)
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(assessment.id)
    window.walkthrough.show_domain("safety")
    editor = card(window, "saf_last_audit").editor
    button = editor.calendar
    assert isinstance(button, CalendarButton)
    click(qtbot, button)
    assert button.popup.isVisible()
    button.popup.clicked.emit(QDate(2025, 1, 20))  # a day clicked in the calendar
    assert not button.popup.isVisible()
    wait_saved(qtbot, window)
    assert stored(home)["saf_last_audit"] == ("2025-01-20", "")
    # the profile's date of assessment is a date edit with a calendar pop-up
    window.start_new()
    assert window.new_screen.date.calendarPopup()
    assert window.finalize_screen.calendar.field is window.finalize_screen.date
