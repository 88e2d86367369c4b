"""Review: what is still missing, the red flags, domain scores and the verdict as it stands.

Every line about a question jumps to it (Enter or double-click); a domain line opens its page.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidecheck.checklist.model import Assessment, Questionnaire, ScoreResult
from guidecheck.gui.shell.labels import (
    reasons_text,
    score_text,
    set_badge,
    set_scaled_font,
    verdict_text,
)

ITEM_ROLE = Qt.ItemDataRole.UserRole
DOMAIN_ROLE = Qt.ItemDataRole.UserRole + 1


class ReviewScreen(QWidget):
    item_requested = Signal(str)
    domain_requested = Signal(str)
    back_requested = Signal()
    finalize_requested = Signal()
    home_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        self.title = QLabel(self)
        set_scaled_font(self.title, 1.35, bold=True)
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        verdict_row = QHBoxLayout()
        self.verdict = QLabel(self)
        set_scaled_font(self.verdict, 1.2, bold=True)
        self.score = QLabel(self)
        set_scaled_font(self.score, 1.2)
        verdict_row.addWidget(QLabel(self.tr("Verdict as it stands:"), self))
        verdict_row.addWidget(self.verdict)
        verdict_row.addWidget(self.score)
        verdict_row.addStretch(1)
        outer.addLayout(verdict_row)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.reasons = QLabel(self)  # why the verdict is what it is, in the core's words
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons.setAccessibleName(self.tr("Why this verdict"))
        outer.addWidget(self.reasons)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.setAccessibleName(self.tr("Review list"))
        self.tree.itemActivated.connect(self._activated)
        outer.addWidget(self.tree, 1)
        hint = QLabel(self.tr("Press Enter or double-click a line to go to that question."), self)
        outer.addWidget(hint)
        buttons = QHBoxLayout()
        self.home_button = QPushButton(self.tr("H&ome"), self)
        self.back_button = QPushButton(self.tr("← &Back to the questions"), self)
        self.finalize_button = QPushButton(self.tr("Finali&ze and sign…"), self)
        buttons.addWidget(self.home_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.finalize_button)
        outer.addLayout(buttons)
        self.home_button.clicked.connect(self.home_requested)
        self.back_button.clicked.connect(self.back_requested)
        self.finalize_button.clicked.connect(self.finalize_requested)

    def set_data(
        self, questionnaire: Questionnaire, assessment: Assessment, result: ScoreResult
    ) -> None:
        profile = assessment.profile
        self.title.setText(
            self.tr("Review — {facility}, {tool}").format(
                facility=profile.facility_name, tool=profile.tool_name
            )
        )
        self.verdict.setText(
            verdict_text(result.verdict if result.overall is not None or result.red_flags else None)
        )
        set_badge(self.verdict, result.verdict)
        self.score.setText(
            self.tr("Overall score {score}").format(score=score_text(result.overall))
        )
        answered = len(result.visible_items) - len(result.unanswered)
        self.summary.setText(
            self.tr(
                "{answered} of {total} questions answered · evidence notes missing: {notes} · red flags: {flags}."
            ).format(
                answered=answered,
                total=len(result.visible_items),
                notes=len(result.missing_notes),
                flags=len(result.red_flags),
            )
        )
        self.reasons.setText(reasons_text(questionnaire, result))
        self.tree.clear()

        def question_text(item_id: str) -> str:
            item = questionnaire.item(item_id)
            domain = questionnaire.domain(item.domain_id) if item else None
            if item is None:
                return item_id
            return f"{domain.title.en if domain else ''}: {item.question.en}"

        # Red flags and missing notes first (few, and they matter most); unanswered questions
        # are grouped by domain so a long list never pushes the rest off the screen.
        groups = [
            (
                self.tr("Red flags: critical items answered No or Don't know ({n})"),
                result.red_flags,
                "⚠ ",
            ),
            (self.tr("Evidence note needed ({n})"), result.missing_notes, "✎ "),
            (self.tr("Not answered yet ({n})"), result.unanswered, "○ "),
        ]
        for title, ids, mark in groups:
            group = self._heading(title.format(n=len(ids)))
            if not ids:
                self._line(group, self.tr("None.")).setFlags(Qt.ItemFlag.ItemIsEnabled)
            elif ids is result.unanswered and len(ids) > 8:
                self._by_domain(group, questionnaire, ids, mark, question_text)
            else:
                for item_id in ids:
                    self._line(group, mark + question_text(item_id), item_id=item_id)
            group.setExpanded(True)
        scores = self._heading(self.tr("Domain scores"))
        minimum = questionnaire.thresholds.domain_minimum
        for domain in questionnaire.domains:
            done, total = result.domain_progress.get(domain.id, (0, 0))
            if not total:
                continue
            value = result.domains.get(domain.id)
            below = value is not None and value < minimum
            text = self.tr("{title}: {score}{below} — {done}/{total} answered").format(
                title=domain.title.en,
                score=score_text(value),
                below=self.tr(" (below the {m:g}% minimum)").format(m=minimum) if below else "",
                done=done,
                total=total,
            )
            self._line(scores, text, domain_id=domain.id)
        scores.setExpanded(True)
        self.finalize_button.setEnabled(result.complete and not assessment.is_final)
        if assessment.is_final:
            self.finalize_button.setToolTip(self.tr("This assessment is already final."))
        elif not result.complete:
            self.finalize_button.setToolTip(
                self.tr("Answer every question and add the needed notes first.")
            )
            self.summary.setText(
                self.summary.text()
                + " "
                + self.tr("Answer every question and add the needed notes, then you can finalize.")
            )
        else:
            self.finalize_button.setToolTip("")
        first = self._first_line()
        if first is not None:
            self.tree.setCurrentItem(first)

    def _heading(self, text: str) -> QTreeWidgetItem:
        group = self._line(self.tree, text)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        return group

    def _by_domain(
        self,
        group: QTreeWidgetItem,
        questionnaire: Questionnaire,
        ids: tuple[str, ...],
        mark: str,
        question_text: Callable[[str], str],
    ) -> None:
        """One collapsed line per domain ("Equity and inclusion: 4 not answered"), opening to
        its questions; Enter on the domain line goes to its first unanswered question."""
        by_domain: dict[str, list[str]] = {}
        for item_id in ids:
            item = questionnaire.item(item_id)
            by_domain.setdefault(item.domain_id if item else "", []).append(item_id)
        for domain_id, items in by_domain.items():
            domain = questionnaire.domain(domain_id)
            title = domain.title.en if domain else domain_id
            line = self._line(
                group,
                self.tr("{title}: {n} not answered").format(title=title, n=len(items)),
                item_id=items[0],
            )
            for item_id in items:
                self._line(line, mark + question_text(item_id), item_id=item_id)

    @staticmethod
    def _line(
        parent: QTreeWidget | QTreeWidgetItem, text: str, item_id: str = "", domain_id: str = ""
    ) -> QTreeWidgetItem:
        line = QTreeWidgetItem(parent, [text])
        line.setToolTip(0, text)  # the full line when large text makes the view shorten it
        line.setData(0, ITEM_ROLE, item_id)
        line.setData(0, DOMAIN_ROLE, domain_id)
        return line

    def _first_line(self) -> QTreeWidgetItem | None:
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            for child in range(group.childCount()):
                line = group.child(child)
                if line.data(0, ITEM_ROLE) or line.data(0, DOMAIN_ROLE):
                    return line
        return None

    def _activated(self, line: QTreeWidgetItem, _column: int) -> None:
        item_id = line.data(0, ITEM_ROLE)
        domain_id = line.data(0, DOMAIN_ROLE)
        if item_id:
            self.item_requested.emit(item_id)
        elif domain_id:
            self.domain_requested.emit(domain_id)
