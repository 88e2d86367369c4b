"""One question on a walk-through page: its text, answer control, guidance panel and note field.

The card knows nothing about the database; it emits `value_committed` / `note_committed` and the
answer binder (binding.py) saves them.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.checklist.model import Answer, Item
from guidecheck.checklist.scoring import note_required
from guidecheck.gui.assessment.editors import AnswerEditor, PausedTextEdit, make_editor
from guidecheck.gui.shell.labels import set_scaled_font
from guidecheck.gui.shell.theme import themed


def scroll_into_view(widget: QWidget, margin: int = 40) -> None:
    """Scroll the nearest scroll area so `widget` is on screen (after layouts have settled)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        area = parent
        QTimer.singleShot(0, lambda: area.ensureWidgetVisible(widget, 0, margin))


def note_prompt(value: Any) -> str:
    """What the note should say, fitting the answer given (shown inside the empty note box)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("QuestionCard", text)

    prompts = {
        "yes": tr("What you saw that shows this: a document, a register, a screen, and where."),
        "partly": tr("What is in place and what is still missing."),
        "no": tr("What is missing, and what you were told about it."),
        "dont_know": tr("Whom you asked, and who could know the answer."),
        "na": tr("Why this does not apply to this tool or this clinic."),
    }
    if value is None:
        return tr("Answer the question first, then add your note here.")
    if isinstance(value, str) and value in prompts:
        return prompts[value]
    return tr("What you saw or were told, and who told you.")


class QuestionCard(QFrame):
    value_committed = Signal(str, object)
    note_committed = Signal(str, str)
    answered_by_key = Signal(str)
    answered_by_click = Signal(str)
    note_pending = Signal(str, bool)  # item id, True while typed text waits to be saved

    def __init__(self, item: Item, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.value: Any = None
        self.setObjectName("questionCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)

        top = QHBoxLayout()
        self.question = QLabel(f"{number}. {item.question.en}", self)
        self.number = str(number)
        self.question.setWordWrap(True)
        set_scaled_font(self.question, 1.1, bold=True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.question, 1)
        if item.critical:
            tag = QLabel(self.tr("⚠ Critical"), self)
            tag.setToolTip(self.tr("A 'No' or 'Don't know' here is a red flag."))
            themed(
                tag,
                "color:{critical}; border:1px solid {critical}; border-radius:3px; padding:1px 6px;",
            )
            top.addWidget(tag, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.editor: AnswerEditor = make_editor(item, self)
        self.editor.committed.connect(self._on_value)
        self.editor.answered_by_key.connect(lambda: self.answered_by_key.emit(item.id))
        self.editor.answered_by_click.connect(lambda: self.answered_by_click.emit(item.id))
        layout.addWidget(self.editor)

        self.guidance_toggle = QToolButton(self)
        self.guidance_toggle.setCheckable(True)
        self.guidance_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.guidance_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.guidance_toggle.setText(self.tr("Why this matters / what counts as evidence"))
        self.guidance_toggle.setAutoRaise(True)
        self.guidance_toggle.toggled.connect(self._toggle_guidance)
        self.guidance = QLabel(self._guidance_html(), self)
        self.guidance.setWordWrap(True)
        self.guidance.setTextFormat(Qt.TextFormat.RichText)
        self.guidance.setObjectName("guidancePanel")
        themed(
            self.guidance,
            "background:palette(alternate-base); color:palette(text);"
            "border:1px solid palette(mid); border-radius:4px; padding:8px;",
        )
        self.guidance.setVisible(False)
        has_guidance = any(
            t.en
            for t in (item.guidance.why, item.guidance.evidence, item.guidance.example, item.basis)
        )
        self.guidance_toggle.setVisible(has_guidance)
        layout.addWidget(self.guidance_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.guidance)

        self.note_label = QLabel(self)
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self.note = PausedTextEdit(self)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.note.setAccessibleName(self.tr("Evidence note"))
        self.note.text_ready.connect(lambda text: self.note_committed.emit(item.id, text))
        self.note.pending_changed.connect(lambda pending: self.note_pending.emit(item.id, pending))
        # Alt+T goes to this question's note while the keyboard is anywhere in this question.
        # Not a label buddy: every card's label would claim Alt+T window-wide, and Qt ignores a
        # shortcut claimed twice, so the key did nothing.
        note_key = QShortcut(QKeySequence("Alt+T"), self)
        note_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        note_key.activated.connect(self.focus_note)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note)
        self._read_only = False
        self._update_note()

    def set_number(self, number: str) -> None:
        """Number the question as shown (part.question): hidden questions take no number."""
        if number != self.number:
            self.number = number
            self.question.setText(f"{number} {self.item.question.en}")

    def _guidance_html(self) -> str:
        parts = []
        for title, text in (
            (self.tr("Why this matters"), self.item.guidance.why.en),
            (self.tr("What counts as evidence"), self.item.guidance.evidence.en),
            (self.tr("Example"), self.item.guidance.example.en),
            (self.tr("Based on"), self.item.basis.en),  # format 2: the source of the item
        ):
            if text:
                parts.append(f"<p><b>{html.escape(title)}:</b> {html.escape(text)}</p>")
        return "".join(parts)

    def _toggle_guidance(self, shown: bool) -> None:
        self.guidance.setVisible(shown)
        self.guidance_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        if shown:  # the guidance, and then its own toggle above it, on screen
            scroll_into_view(self.guidance, 10)
            scroll_into_view(self.guidance_toggle, 10)

    def _on_value(self, value: Any) -> None:
        self.note.flush()  # a note still being typed is saved with the answer it was meant for
        self.value = value
        self._update_note()
        self.value_committed.emit(self.item.id, value)

    def show_answer(self, answer: Answer | None) -> None:
        """Show a stored answer (no signals)."""
        self.value = answer.value if answer else None
        self.editor.set_value(self.value)
        self.note.set_text_quietly(answer.note if answer else "")
        self._update_note()

    def _update_note(self) -> None:
        rule = self.item.note
        needed = note_required(self.item, self.value)
        has_text = bool(self.note.toPlainText().strip())
        shown = rule in ("optional", "required") or needed or (rule == "on_unmet" and has_text)
        self.note_label.setVisible(shown)
        self.note.setVisible(shown)
        if needed:
            self.note_label.setText(self.tr("Evidence no<u>t</u>e (needed for this answer):"))
        else:
            self.note_label.setText(self.tr("Evidence no<u>t</u>e (optional):"))
        answered = self.value is not None
        self.note.setEnabled(answered and not self._read_only)
        self.note.setPlaceholderText(note_prompt(self.value))

    def note_needed_and_empty(self) -> bool:
        return (
            note_required(self.item, self.value)
            and self.note.isEnabled()
            and not self.note.toPlainText().strip()
        )

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.editor.set_read_only(read_only)
        self.note.setReadOnly(read_only)
        self._update_note()

    def flush(self) -> None:
        self.editor.flush()
        self.note.flush()

    def focus_answer(self) -> None:
        target = self.editor.first_focus()
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        scroll_into_view(target)

    def focus_note(self) -> bool:
        """Put the keyboard in the note box (scrolled into view); False when there is none yet."""
        if not self.note.isVisible() or not self.note.isEnabled():
            return False
        self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
        scroll_into_view(self.note)
        return True
