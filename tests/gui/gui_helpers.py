"""Small user-like actions shared by the desktop tests: click an answer, type, wait for saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton

from guidecheck.checklist.model import Profile
from guidecheck.gui.assessment.question_card import QuestionCard
from guidecheck.gui.shell.main_window import MainWindow


def card(window: MainWindow, item_id: str) -> QuestionCard:
    found = window.walkthrough.card_for(item_id)  # pages are built when first shown
    assert found is not None, item_id
    return found


def click(qtbot: Any, button: QAbstractButton) -> None:
    """Click where a person would: on the button's indicator/text, not in empty space."""
    assert button.isVisible(), f"{button.text()} is not visible"
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(
        button,
        Qt.MouseButton.LeftButton,
        pos=QPoint(min(10, button.width() // 2), button.height() // 2),
    )


def answer(qtbot: Any, window: MainWindow, item_id: str, value: str) -> None:
    """Click the compliance / single-choice button (or tick the check box) for `value`."""
    editor = card(window, item_id).editor
    buttons = getattr(editor, "buttons", None) or editor.boxes  # type: ignore[attr-defined]
    click(qtbot, buttons[value])


def wait_saved(qtbot: Any, window: MainWindow) -> None:
    """Wait until every answer and typed note is committed and the status bar says so."""
    qtbot.waitUntil(
        lambda: (
            window.runner.pending == 0
            and window.save_indicator.text().endswith("All changes saved")
        ),
        timeout=10_000,
    )


def type_note(qtbot: Any, window: MainWindow, item_id: str, text: str) -> None:
    note = card(window, item_id).note
    assert note.isVisible() and note.isEnabled()
    note.setFocus()
    qtbot.keyClicks(note, text)
    # the note is saved after the typing pause, without pressing anything
    qtbot.waitUntil(lambda: window.binder.answers[item_id].note == text, timeout=5_000)


def visible(window: MainWindow, item_id: str) -> bool:
    return not card(window, item_id).isHidden()


def stored(home: Any) -> dict[str, tuple[Any, str]]:
    """Every answer of the newest revision in the database, as item -> (value, note)."""
    from guidecheck.storage.store import Store

    store = Store(home / "guidecheck.db")
    try:
        newest = store.list_assessments()[0]
        return {k: (a.value, a.note) for k, a in store.answers(newest.id).items()}
    finally:
        store.close()


def open_window(qtbot: Any, home: Path, checklists: Path | None = None) -> MainWindow:
    window = MainWindow(home, checklists)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home_loaded, timeout=10_000):
        window.show()
    return window


def close_window(qtbot: Any, window: MainWindow) -> None:
    window.close()
    qtbot.waitUntil(lambda: window.runner._closed, timeout=5_000)


def sample_profile(**changes: str) -> Profile:
    data = dict(
        facility_name="Kisumu East Health Centre",
        facility_code="KE-0042",
        district="Kisumu East",
        region="Western",
        tool_name="ChestScan",
        tool_vendor="Acme Imaging",
        tool_version="2.1",
        tool_intended_use="reads chest X-rays",
        tool_date_deployed="2024-06-01",
        use_category="diagnostic_imaging",
        assessor_name="Amina Otieno",
        assessor_role="Nurse in charge",
        date="2025-03-31",
    )
    data.update(changes)
    return Profile(**data)


def press_in_next_box(qtbot: Any, *button_texts: str) -> list[str]:
    """Click the given buttons in the next message boxes that open, one box each (as a person
    would), and return the texts of the boxes seen, so a test can check what was said."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []
    waiting = list(button_texts)
    last: list[QMessageBox] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible() and (not last or box is not last[0]):
            last[:] = [box]
            seen.append(box.text())
            wanted = waiting.pop(0)
            for button in box.buttons():
                if button.text().replace("&", "") == wanted:
                    button.click()
                    break
            else:
                box.reject()
        if waiting:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    return seen
