"""Answer controls, one class per item type, all with the same small interface.

Each editor emits `committed(value)` when the person has given a valid answer (None = cleared),
and `set_value(value)` shows a stored answer without emitting. Number and date editors check the
text themselves and show a plain message beside the field; nothing is committed until it parses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.checklist.answers import normalize_value
from guidecheck.checklist.model import Item
from guidecheck.errors import AnswerError
from guidecheck.gui.shell.labels import compliance_options
from guidecheck.gui.shell.theme import themed

TYPING_PAUSE_MS = 500  # free text is saved this long after the last key press, or on leaving


class AnswerEditor(QWidget):
    """Base class: `committed(value)` signal, `set_value`, `set_read_only`, `first_focus`."""

    committed = Signal(object)
    answered_by_key = Signal()
    answered_by_click = Signal()

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        for child in self.findChildren(QWidget):
            child.setEnabled(not read_only)

    def first_focus(self) -> QWidget:
        return self

    def flush(self) -> None:
        """Commit text still waiting for the typing pause (before leaving a page or closing)."""


class ChoiceButtonsEditor(AnswerEditor):
    """Large checkable buttons (compliance scale) or radio buttons (single choice), with keys.

    Keys (1–9, and Alt+letter for the compliance scale) act only while the keyboard focus is on
    one of this question's buttons. They are read from the buttons' own key events, not from
    shortcuts: a shortcut scoped to the question also fired while typing in its note box, so the
    "3" of "3 of 4 registers" re-answered the question as No.
    """

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QAbstractButton] = {}
        self._keys: dict[tuple[int, bool], str] = {}  # (Qt key, with Alt) -> value
        compliance = item.type == "compliance"
        layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self) if compliance else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8 if compliance else 4)
        options: list[tuple[str, str, str, str | None]]
        if compliance:
            options = [  # a critical item that refuses "not applicable" does not offer it
                (v, label, key, alt)
                for v, label, key, alt in compliance_options()
                if not (v == "na" and item.na_refused)
            ]
        else:
            options = [(c.id, c.label.en, str(n + 1), None) for n, c in enumerate(item.choices)]
        for value, label, key, alt in options:
            if compliance:
                button: QAbstractButton = QPushButton(label, self)
                button.setCheckable(True)
                button.setMinimumHeight(38)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.setProperty("answerButton", True)
                hint = self.tr("Key {key} or Alt+{alt}").format(key=key, alt=alt)
            else:
                button = QRadioButton(f"{key}. {label}", self)
                hint = self.tr("Key {key}").format(key=key)
            button.setToolTip(hint)
            button.setAccessibleDescription(hint)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.installEventFilter(self)
            self.group.addButton(button)
            self.buttons[value] = button
            layout.addWidget(button)
            button.clicked.connect(lambda _checked=False, v=value: self._clicked(v))
            if compliance:
                button.toggled.connect(
                    lambda on, b=button, text=label: b.setText(f"✔ {text}" if on else text)
                )
            if len(key) == 1 and key.isdigit():
                self._keys[(Qt.Key.Key_0.value + int(key), False)] = value
            if alt:
                self._keys[(ord(alt.upper()), True)] = value

    def _key_value(self, event: QKeyEvent) -> str | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        alt = modifiers == Qt.KeyboardModifier.AltModifier
        if modifiers and not alt:
            return None
        return self._keys.get((int(event.key()), alt))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Answer keys on this question's own buttons; everything else passes through."""
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            value = self._key_value(event)
            if value is not None and watched in self.buttons.values():
                event.accept()  # an override claims the key before any window shortcut
                if kind == QEvent.Type.KeyPress:
                    self.choose_by_key(value)
                return True
        return super().eventFilter(watched, event)

    def _clicked(self, value: str) -> None:
        self.committed.emit(value)
        self.answered_by_click.emit()

    def choose_by_key(self, value: str) -> None:
        button = self.buttons[value]
        if not button.isEnabled():
            return
        button.setChecked(True)
        button.setFocus()
        self.committed.emit(value)
        self.answered_by_key.emit()

    def set_value(self, value: Any) -> None:
        self.group.setExclusive(False)
        for code, button in self.buttons.items():
            button.setChecked(code == value)
        self.group.setExclusive(True)

    def first_focus(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked or next(iter(self.buttons.values()))


class MultipleChoiceEditor(AnswerEditor):
    """Check boxes; the value is the list of ticked choice ids in file order."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.boxes: dict[str, QCheckBox] = {}
        for choice in item.choices:
            box = QCheckBox(choice.label.en, self)
            self.boxes[choice.id] = box
            layout.addWidget(box)
            box.toggled.connect(self._changed)

    def _changed(self) -> None:
        value = [code for code, box in self.boxes.items() if box.isChecked()]
        self.committed.emit(value or None)

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for code, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(code in chosen)
            box.blockSignals(False)

    def first_focus(self) -> QWidget:
        return next(iter(self.boxes.values()), self)


class CheckedLineEditor(AnswerEditor):
    """A line field whose text must parse; a plain message beside it explains what is wrong."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = QLineEdit(self)
        self.field.setMaximumWidth(220)
        layout.addWidget(self.field)
        self.unit = QLabel(item.unit.en, self)
        layout.addWidget(self.unit)
        self.unit.setVisible(bool(item.unit.en))
        self.message = QLabel(self)
        self.message.setObjectName("fieldMessage")
        themed(self.message, "color:{error};")
        self.message.setWordWrap(True)
        layout.addWidget(self.message, 1)
        self._last: Any = None
        self.field.editingFinished.connect(self.flush)
        self.field.returnPressed.connect(self.flush)
        self.field.textEdited.connect(lambda _text: self.message.clear())

    def parse(self, text: str) -> Any:
        """Return the value, or raise ValueError with the plain message to show."""
        raise NotImplementedError

    def display(self, value: Any) -> str:
        return "" if value is None else str(value)

    def flush(self) -> None:
        text = self.field.text().strip()
        if not text:
            value = None
        else:
            try:
                value = self.parse(text)
            except ValueError as problem:
                self.message.setText(str(problem))
                self.field.setAccessibleDescription(str(problem))
                return
        self.message.clear()
        self.field.setAccessibleDescription("")
        if value != self._last:
            self._last = value
            self.committed.emit(value)

    def set_value(self, value: Any) -> None:
        self._last = value
        self.field.setText(self.display(value))
        self.message.clear()

    def first_focus(self) -> QWidget:
        return self.field


class NumberEditor(CheckedLineEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.field.setPlaceholderText(
            self.tr("a whole number") if item.integer else self.tr("a number")
        )

    def parse(self, text: str) -> int | float:
        """The core's `normalize_value` decides; this screen only words the problem for a nurse."""
        try:
            number: int | float = normalize_value(self.item, text)
        except AnswerError as problem:
            low, high = self.item.minimum, self.item.maximum
            messages = {
                "not_whole": self.tr("Please type a whole number, without a decimal part."),
                "too_low": self.tr("The number must be at least {low:g}.").format(low=low or 0),
                "too_high": self.tr("The number must be at most {high:g}.").format(high=high or 0),
            }
            default = self.tr("Please type a number, for example 12.")
            raise ValueError(messages.get(problem.reason, default)) from None
        return number

    def display(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)


class CalendarButton(QToolButton):
    """A small button beside a date field that opens a calendar; the picked day is written into
    the field as YYYY-MM-DD and `picked` is emitted. Typing the date stays possible."""

    picked = Signal(str)

    def __init__(self, field: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setText(self.tr("Calendar…"))
        self.setToolTip(self.tr("Pick the date from a calendar"))
        self.setAccessibleName(self.tr("Pick the date from a calendar"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field; type instead
        self.popup = QCalendarWidget()
        self.popup.setWindowFlags(Qt.WindowType.Popup)
        self.popup.setGridVisible(True)
        self.popup.clicked.connect(self._chosen)
        self.popup.activated.connect(self._chosen)
        self.clicked.connect(self.open_calendar)
        self.destroyed.connect(self.popup.deleteLater)

    def open_calendar(self) -> None:
        current = QDate.fromString(self.field.text().strip(), "yyyy-MM-dd")
        self.popup.setSelectedDate(current if current.isValid() else QDate.currentDate())
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        self.popup.setFocus()

    def _chosen(self, date: QDate) -> None:
        self.popup.hide()
        text = date.toString("yyyy-MM-dd")
        self.field.setText(text)
        self.picked.emit(text)


class DateEditor(CheckedLineEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.field.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.calendar = CalendarButton(self.field, self)
        self.layout().insertWidget(1, self.calendar)
        self.calendar.picked.connect(lambda _text: self.flush())

    def parse(self, text: str) -> str:
        """The core's `normalize_value` decides; this screen only words the problem for a nurse."""
        try:
            return str(normalize_value(self.item, text))
        except AnswerError:
            raise ValueError(
                self.tr("Please write the date as year-month-day, for example 2025-03-31.")
            ) from None


class PausedTextEdit(QPlainTextEdit):
    """Multi-line text that reports its text after a typing pause or when focus leaves it."""

    text_ready = Signal(str)
    pending_changed = Signal(bool)  # True from the first unsaved key press until text_ready

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self._last = ""
        self.pending = False
        self.textChanged.connect(self._typed)

    def _typed(self) -> None:
        self._timer.start()
        self._set_pending(self.toPlainText() != self._last)

    def _set_pending(self, pending: bool) -> None:
        if pending != self.pending:
            self.pending = pending
            self.pending_changed.emit(pending)

    def flush(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text != self._last:
            self._last = text
            self.text_ready.emit(text)
        self._set_pending(False)

    def set_text_quietly(self, text: str) -> None:
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)
        self._timer.stop()
        self._last = text
        self._set_pending(False)

    def focusOutEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.flush()
        super().focusOutEvent(event)


class TextEditor(AnswerEditor):
    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.field = PausedTextEdit(self)
        self.field.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.field)
        self.field.text_ready.connect(
            lambda text: self.committed.emit(text if text.strip() else None)
        )

    def set_value(self, value: Any) -> None:
        self.field.set_text_quietly("" if value is None else str(value))

    def flush(self) -> None:
        self.field.flush()

    def first_focus(self) -> QWidget:
        return self.field


def make_editor(item: Item, parent: QWidget | None = None) -> AnswerEditor:
    """The editor for an item's answer type."""
    if item.type in ("compliance", "single_choice"):
        return ChoiceButtonsEditor(item, parent)
    if item.type == "multiple_choice":
        return MultipleChoiceEditor(item, parent)
    if item.type == "number":
        return NumberEditor(item, parent)
    if item.type == "date":
        return DateEditor(item, parent)
    return TextEditor(item, parent)
