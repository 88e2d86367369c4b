"""The monitoring log through the real widgets: Log an observation from home (button and Ctrl+L),
a refusal that keeps the text until the identifier is removed, the monthly counts, and the panel
on the assessment's monitoring part."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile
from guidecheck.gui.shell.main_window import MainWindow
from guidecheck.monitoring import store as monitoring
from guidecheck.storage.store import Store

GUI_MINI = Path(__file__).parent.parent / "gui" / "mini-checklist.yaml"
PROFILE = Profile(
    facility_name="Kisumu East Health Centre", facility_code="KE-0042", district="Kisumu East",
    region="Western", tool_name="ChestScan", tool_vendor="Acme", tool_version="2.1",
    use_category="diagnostic_imaging", assessor_name="Amina Otieno", assessor_role="Nurse",
    date="2026-11-20",
)  # fmt: skip


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Path, str]:
    home = tmp_path / "home"
    with Store(home / "guidecheck.db") as store:
        draft = store.new_assessment(load_questionnaire(GUI_MINI), PROFILE)
    return home, draft.id


@pytest.fixture
def window(qtbot, clinic):
    home, _draft = clinic
    win = MainWindow(home, GUI_MINI.parent)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.home_loaded, timeout=10_000):
        win.show()
    yield win
    if not win.runner._closed:
        win.close()
        qtbot.waitUntil(lambda: win.runner._closed, timeout=5_000)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def events(home: Path) -> list:
    with Store(home / "guidecheck.db") as store:
        return monitoring.observations(store.conn)


def open_dialog(qtbot, window, how):
    window.monitoring_actions.dialog = None
    how()
    qtbot.waitUntil(lambda: window.monitoring_actions.dialog is not None, timeout=10_000)
    dialog = window.monitoring_actions.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    return dialog


def test_log_from_home_refuses_a_phone_number_until_it_is_removed(qtbot, window, clinic):
    home, _draft = clinic
    dialog = open_dialog(qtbot, window, lambda: click(qtbot, window.home.log_button))
    assert dialog.date.date().toString("yyyy-MM-dd") and dialog.tool.currentText().startswith(
        "ChestScan 2.1"
    )
    assert "phone numbers" in dialog.warning.text()
    click(qtbot, dialog.kind_buttons["complaint"])
    click(qtbot, dialog.severity_buttons["minor"])
    qtbot.keyClicks(dialog.what, "Mother upset, call her on 0712 345 678")
    qtbot.keyClicks(dialog.action, "Explained the result")
    click(qtbot, dialog.save_button)
    assert dialog.problem.isVisible() and "phone number" in dialog.problem.text()
    assert dialog.what.toPlainText() == "Mother upset, call her on 0712 345 678"  # kept to edit
    assert events(home) == []
    dialog.what.selectAll()
    qtbot.keyClicks(dialog.what, "Mother upset: the result was shown without explanation")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        click(qtbot, dialog.save_button)
    (saved,) = events(home)
    assert (saved.kind, saved.severity, saved.facility_code) == ("complaint", "minor", "KE-0042")
    assert saved.what_happened == "Mother upset: the result was shown without explanation"
    assert "saved" in window.busy_label.text()


def test_ctrl_l_opens_the_form_and_a_missing_choice_is_one_sentence(qtbot, window, clinic):
    home, _draft = clinic
    dialog = open_dialog(
        qtbot,
        window,
        lambda: qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
    )
    qtbot.keyClicks(dialog.what, "Slow all morning")
    click(qtbot, dialog.save_button)
    assert "what kind of event" in dialog.problem.text()
    click(qtbot, dialog.kind_buttons["unavailable"])
    click(qtbot, dialog.save_button)
    assert "how serious" in dialog.problem.text()
    assert events(home) == []
    dialog.reject()


def test_monthly_counts_and_the_panel_on_the_monitoring_part(qtbot, window, clinic):
    home, draft = clinic
    dialog = open_dialog(qtbot, window, window.tally_action.trigger)
    dialog.used.selectAll()
    qtbot.keyClicks(dialog.used, "40")
    dialog.overridden.selectAll()
    qtbot.keyClicks(dialog.overridden, "10")
    assert dialog.rate.text() == "25%"
    month = dialog.month.currentText()
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        click(qtbot, dialog.save_button)
    dialog = open_dialog(qtbot, window, lambda: click(qtbot, window.home.log_button))
    click(qtbot, dialog.kind_buttons["wrong_output"])
    click(qtbot, dialog.severity_buttons["harm"])
    qtbot.keyClicks(dialog.what, "Missed a clear pneumonia; treatment two days late")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        click(qtbot, dialog.save_button)

    window.home.select(draft)
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, window.home.continue_button)
    walk = window.walkthrough
    assert not walk.monitoring_panel.isVisible()  # the first part is privacy
    walk.show_domain("safety")
    panel = walk.monitoring_panel
    assert panel.isVisible()
    assert "1 events" in panel.text() and "harm reached a patient 1" in panel.text()
    assert f"{month} 25% (10/40)" in panel.text()
    assert "For review:" in panel.text() and "Missed a clear pneumonia" in panel.text()
    walk.show_domain("privacy")
    assert not panel.isVisible()
    QApplication.processEvents()
