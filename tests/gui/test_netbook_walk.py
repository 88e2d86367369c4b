"""The whole clinic flow on a nurse's netbook: 1024×600, 150% text, dark palette, from New
assessment to Save report, once with the mouse and once with the keyboard only.

With the mouse, every click lands on a button a person can see: scrolled into view first (as a
person scrolls), then its centre must be inside the window and not clipped by a scroll area.
With the keyboard, whatever has the focus must be on screen after each key. After each screen,
nothing may be cut off or scroll sideways (the check of test_small_screens)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from gui_helpers import card, click, close_window, open_window, press_in_next_box, stored
from PySide6.QtCore import QDate, QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QScrollArea, QWidget
from test_small_screens import cut_off

from guidecheck.gui.shell.settings import apply_text_scale
from guidecheck.gui.shell.theme import PALETTES

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SIZE = (1024, 600)
OUT = Path(__file__).resolve().parents[2] / "test-output" / "netbook-walk"


@pytest.fixture
def netbook(qapp):
    original = qapp.palette()
    qapp.setPalette(PALETTES["dark"]())
    apply_text_scale(qapp, 150)
    yield
    apply_text_scale(qapp, 100)
    qapp.setPalette(original)


@pytest.fixture
def save_to(tmp_path, monkeypatch):
    """The save dialog answers with a file in tmp_path (Qt's native dialog cannot be driven)."""
    target = tmp_path / "reports" / "chestscan.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a: (str(target), "PDF report (*.pdf)")
    )
    return target


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """A button whole, or a text field's first lines, inside the window and not clipped away by a
    scroll area (a tall note box may run on below the fold: a person clicks its top)."""
    shown = widget.visibleRegion().boundingRect()
    if isinstance(widget, QAbstractButton):
        whole = shown == widget.rect()
    else:
        whole = shown.height() >= min(widget.height(), 2 * widget.fontMetrics().height())
    corner = widget.mapTo(window, shown.topLeft())
    return whole and window.rect().contains(QRect(corner, shown.size()))


def scroll_to(widget: QWidget) -> None:
    """Scroll the way a person does, once the screen has settled (focus scrolls come first)."""
    QTest.qWait(20)
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 10, 10)
        parent = parent.parentWidget()
    QApplication.processEvents()


def fits(window: QWidget) -> None:
    QApplication.processEvents()
    assert window.size().toTuple() == SIZE
    assert cut_off(window) == []


def must_see(widget: QWidget, window: QWidget, name: str) -> None:
    scroll_to(widget)
    if not on_screen(widget, window):
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "cannot-click.png"))  # to look at what went wrong
    assert on_screen(widget, window), f"{name!r} cannot be seen to click"


def seen_click(qtbot, window, button: QAbstractButton) -> None:
    must_see(button, window, button.text())
    if not button.isEnabled():
        window.grab().save(str(OUT / "disabled.png"))
    assert button.isEnabled(), button.text()
    click(qtbot, button)  # on its text, where a person clicks


def click_and_type(qtbot, window, field: QWidget, text: str) -> None:
    must_see(field, window, field.accessibleName())
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(8, field.height() // 2))
    qtbot.keyClicks(QApplication.focusWidget(), text)


def open_netbook_window(qtbot, home, checklists):
    window = open_window(qtbot, home, checklists)
    window.resize(*SIZE)
    qtbot.waitUntil(lambda: window.size().toTuple() == SIZE)
    return window


def test_mouse_walk_on_a_netbook_in_dark_mode(qtbot, home, checklists, netbook, save_to):
    window = open_netbook_window(qtbot, home, checklists)
    fits(window)
    seen_click(qtbot, window, window.home.new_button)
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 1)
    fits(window)
    seen_click(qtbot, window, screen.next_button)
    fits(window)
    for field, text in ((screen.facility_name.lineEdit(), "Kisumu East Health Centre"),
                        (screen.facility_code, "KE-0042"), (screen.district, "Kisumu East"),
                        (screen.tool_name.lineEdit(), "ChestScan"),
                        (screen.assessor_name, "Amina Otieno")):  # fmt: skip
        click_and_type(qtbot, window, field, text)
    screen.use_category.setCurrentIndex(screen.use_category.findData("diagnostic_imaging"))
    screen.date.setDate(QDate(2025, 3, 31))
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        seen_click(qtbot, window, screen.next_button)
    walk = window.walkthrough
    fits(window)

    def choose(item_id: str, value: str) -> None:
        editor = card(window, item_id).editor
        buttons = getattr(editor, "buttons", None) or editor.boxes
        seen_click(qtbot, window, buttons[value])

    choose("prv_encrypted", "partly")  # a note is needed: the keyboard goes to it
    qtbot.keyClicks(QApplication.focusWidget(), "3 of 4 registers")
    choose("prv_storage", "cloud")
    choose("prv_access", "named_staff")
    fits(window)
    seen_click(qtbot, window, walk.next_button)
    assert walk.current_domain() == "safety"
    choose("saf_validated", "yes")
    qtbot.keyClicks(QApplication.focusWidget(), "Local study 2024")
    click_and_type(qtbot, window, card(window, "saf_errors_per_month").editor.field, "7")
    click_and_type(qtbot, window, card(window, "saf_last_audit").editor.field, "2025-02-14")
    choose("saf_imaging_review", "no")
    fits(window)
    seen_click(qtbot, window, walk.next_button)
    assert walk.current_domain() == "training"
    choose("trn_trained", "yes")  # an optional note: the nurse clicks into it to write one
    click_and_type(qtbot, window, card(window, "trn_trained").note, "Trained 2 of 3 in May")
    click_and_type(qtbot, window, card(window, "trn_comments").editor.field, "Refresher in May.")
    fits(window)
    seen_click(qtbot, window, walk.review_button)
    review = window.review
    qtbot.waitUntil(lambda: window.stack.currentWidget() is review)
    fits(window)
    seen_click(qtbot, window, review.finalize_button)
    sign = window.finalize_screen
    fits(window)
    click_and_type(qtbot, window, sign.head_name, "Dr. Joseph Mwangi")
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        seen_click(qtbot, window, sign.sign_button)
    summary = window.summary
    qtbot.waitUntil(lambda: window.stack.currentWidget() is summary)
    fits(window)
    said = press_in_next_box(qtbot, "Close")
    seen_click(qtbot, window, summary.report_button)
    qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    assert "ChestScan" in pypdf.PdfReader(save_to).pages[0].extract_text()
    assert stored(home) == {
        "prv_encrypted": ("partly", "3 of 4 registers"),
        "prv_storage": (["cloud"], ""),
        "prv_access": ("named_staff", ""),
        "saf_validated": ("yes", "Local study 2024"),
        "saf_errors_per_month": (7, ""),
        "saf_last_audit": ("2025-02-14", ""),
        "saf_imaging_review": ("no", ""),
        "trn_trained": ("yes", "Trained 2 of 3 in May"),
        "trn_comments": ("Refresher in May.", ""),
    }
    close_window(qtbot, window)


def test_keyboard_walk_on_a_netbook_in_dark_mode(qtbot, home, checklists, netbook, save_to):
    window = open_netbook_window(qtbot, home, checklists)
    window.activateWindow()

    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def press(key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(focused(), key, modifier)
        QApplication.processEvents()
        if QApplication.activeModalWidget() is None:  # what has the focus is on screen
            assert on_screen(focused(), window), f"focus off screen: {focused()!r}"

    def type_then_tab(text: str) -> None:
        if text:
            qtbot.keyClicks(focused(), text)
        press(Qt.Key.Key_Tab)

    press(Qt.Key.Key_N, CTRL)
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 1)
    fits(window)
    press(Qt.Key.Key_Return)
    fits(window)
    for text in ("Lwala Dispensary", "KE-0107", "", "", "TriageMate", "", "", "", ""):
        type_then_tab(text)
    assert focused() is screen.use_category
    press(Qt.Key.Key_O)  # Other
    press(Qt.Key.Key_Tab)
    type_then_tab("Peter Ouma")
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        press(Qt.Key.Key_S, ALT)
    walk = window.walkthrough
    fits(window)
    press(Qt.Key.Key_2)  # Partly: the note takes the keyboard
    assert focused() is card(window, "prv_encrypted").note
    qtbot.keyClicks(focused(), "Only the lab results")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Space)  # local server: shows the locked-room question
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_N, ALT)  # locked room: No
    press(Qt.Key.Key_1)  # access: first choice
    press(Qt.Key.Key_Right, CTRL)
    assert walk.current_domain() == "safety"
    fits(window)
    press(Qt.Key.Key_Y, ALT)
    qtbot.keyClicks(focused(), "District study")
    press(Qt.Key.Key_Tab)
    type_then_tab("3")
    type_then_tab("2025-01-20")
    press(Qt.Key.Key_PageDown, CTRL)
    assert walk.current_domain() == "training"
    fits(window)
    press(Qt.Key.Key_5)  # Not applicable
    qtbot.keyClicks(focused(), "none")
    press(Qt.Key.Key_PageDown, CTRL)  # past the last page: review (Ctrl+→ is a word in text)
    assert window.stack.currentWidget() is window.review
    fits(window)
    press(Qt.Key.Key_Z, ALT)
    qtbot.waitUntil(lambda: focused() is window.finalize_screen.head_name)
    fits(window)
    qtbot.keyClicks(focused(), "Sr. Mary Akinyi")
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        press(Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.summary)
    fits(window)
    said = press_in_next_box(qtbot, "Close")
    press(Qt.Key.Key_R, ALT)  # Save report…
    qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    assert "saved as" in said[0] and Path(save_to).exists()
    assert stored(home)["prv_encrypted"] == ("partly", "Only the lab results")
    assert stored(home)["trn_comments"] == ("none", "")
    close_window(qtbot, window)
