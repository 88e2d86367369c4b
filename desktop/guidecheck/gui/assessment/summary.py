"""Result screen: verdict, overall score, the domain chart (the report's own SVG) and the
action plan, with the report, export and revise actions.

The chart SVG comes from `guidecheck.reports.charts.domain_chart_svg`, which uses reportlab; it is
built by the background worker so opening this screen never waits on that import.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from guidecheck.checklist.model import Assessment, Questionnaire, ScoreResult
from guidecheck.gui.shell.labels import (
    badge_style,
    compliance_label,
    reasons_text,
    score_text,
    set_scaled_font,
    verdict_text,
)

CHART_SCALE = 1.3  # the chart is drawn in points for paper; a little larger reads well on screen
_CLIP = re.compile(r"<clipPath\b.*?</clipPath>", re.DOTALL)


def screen_svg(svg: str) -> str:
    """Adapt the report's SVG for Qt's SVG renderer, which does not support clipPath: it would
    paint the clip rectangle as a black box behind the chart. The chart never draws outside its
    own box, so dropping the clip changes nothing else."""
    svg = _CLIP.sub("", svg)
    return svg.replace("clip-path: url(#clip)", "")


def chart_inputs(
    questionnaire: Questionnaire, result: ScoreResult
) -> tuple[list[str], list[float | None]]:
    """Domain titles and scores for the chart: shown domains only, in questionnaire order."""
    labels: list[str] = []
    scores: list[float | None] = []
    for domain in questionnaire.domains:
        if result.domain_progress.get(domain.id, (0, 0))[1]:
            labels.append(domain.title.en)
            scores.append(result.domains.get(domain.id))
    return labels, scores


def build_chart_svg(questionnaire: Questionnaire, result: ScoreResult, width: float = 560.0) -> str:
    """Runs in the worker: imports the chart module (and reportlab) only when needed."""
    from guidecheck.reports.charts import domain_chart_svg

    labels, scores = chart_inputs(questionnaire, result)
    return domain_chart_svg(labels, scores, width=width, thresholds=questionnaire.thresholds)


class SummaryScreen(QWidget):
    home_requested = Signal()
    report_requested = Signal(str)
    export_requested = Signal(str)
    revise_requested = Signal(str)
    answers_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment: Assessment | None = None
        self.export_available = True
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        self.title = QLabel(self)
        set_scaled_font(self.title, 1.35, bold=True)
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        verdict_row = QHBoxLayout()
        self.verdict = QLabel(self)
        set_scaled_font(self.verdict, 1.3, bold=True)
        self.score = QLabel(self)
        set_scaled_font(self.score, 1.3)
        verdict_row.addWidget(self.verdict)
        verdict_row.addWidget(self.score)
        verdict_row.addStretch(1)
        outer.addLayout(verdict_row)
        self.reasons = QLabel(self)  # why the verdict is what it is (the core's words)
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons.setAccessibleName(self.tr("Why this verdict"))
        outer.addWidget(self.reasons)

        body = QHBoxLayout()
        # The chart grows with the number of parts and the text size: it scrolls in its own area
        # rather than pushing the buttons off a 1024×600 screen.
        chart_area = QScrollArea(self)
        chart_area.setWidgetResizable(True)
        chart_area.setFrameShape(QFrame.Shape.NoFrame)
        chart_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        chart_box = QWidget(chart_area)
        chart_column = QVBoxLayout(chart_box)
        chart_column.setContentsMargins(0, 0, 0, 0)
        chart_column.addWidget(QLabel(self.tr("Score per domain"), self))
        self.chart = QSvgWidget(self)
        self.chart.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.chart.setAccessibleName(self.tr("Domain score chart"))
        self.chart.setAutoFillBackground(True)
        palette = self.chart.palette()
        palette.setColor(self.chart.backgroundRole(), Qt.GlobalColor.white)
        self.chart.setPalette(palette)
        chart_column.addWidget(
            self.chart, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        )
        self.chart_legend = QLabel(self)
        self.chart_legend.setWordWrap(True)
        chart_column.addWidget(self.chart_legend)
        chart_column.addStretch(1)
        chart_area.setWidget(chart_box)
        body.addWidget(chart_area, 3)
        plan_column = QVBoxLayout()
        self.plan_title = QLabel(self.tr("Action plan"), self)
        set_scaled_font(self.plan_title, 1.1, bold=True)
        self.plan = QListWidget(self)
        self.plan.setWordWrap(True)
        self.plan.setSpacing(4)
        self.plan.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plan.setAccessibleName(self.tr("Action plan"))
        plan_column.addWidget(self.plan_title)
        plan_column.addWidget(self.plan, 1)
        body.addLayout(plan_column, 2)
        outer.addLayout(body, 1)

        buttons = QHBoxLayout()
        self.home_button = QPushButton(self.tr("H&ome"), self)
        self.answers_button = QPushButton(self.tr("See the &answers"), self)
        self.report_button = QPushButton(self.tr("Save &report…"), self)
        self.export_button = QPushButton(self.tr("&Export for district…"), self)
        self.revise_button = QPushButton(self.tr("Re&vise"), self)
        buttons.addWidget(self.home_button)
        buttons.addStretch(1)
        for button in (
            self.answers_button,
            self.report_button,
            self.export_button,
            self.revise_button,
        ):
            buttons.addWidget(button)
        outer.addLayout(buttons)
        self.home_button.clicked.connect(self.home_requested)
        self.answers_button.clicked.connect(lambda: self._emit(self.answers_requested))
        self.report_button.clicked.connect(lambda: self._emit(self.report_requested))
        self.export_button.clicked.connect(lambda: self._emit(self.export_requested))
        self.revise_button.clicked.connect(lambda: self._emit(self.revise_requested))

    def _emit(self, signal: Signal) -> None:
        if self.assessment is not None:
            signal.emit(self.assessment.id)  # type: ignore[attr-defined]

    def set_data(
        self, questionnaire: Questionnaire, assessment: Assessment, result: ScoreResult
    ) -> None:
        self.assessment = assessment
        profile = assessment.profile
        self.title.setText(
            self.tr("Result — {facility}, {tool}").format(
                facility=profile.facility_name, tool=profile.tool_name
            )
        )
        if assessment.is_final and assessment.sign_off is not None:
            sign = assessment.sign_off
            self.status.setText(
                self.tr(
                    "Final (revision {rev}). Signed on {date} by {assessor} and {head} (facility head)."
                ).format(
                    rev=assessment.revision,
                    date=sign.date,
                    assessor=sign.assessor_name,
                    head=sign.facility_head_name,
                )
            )
        else:
            self.status.setText(
                self.tr("Draft (revision {rev}): the result may still change.").format(
                    rev=assessment.revision
                )
            )
        self.verdict.setText(verdict_text(result.verdict))
        self.verdict.setStyleSheet(badge_style(result.verdict))
        self.score.setText(
            self.tr("Overall score {score}").format(score=score_text(result.overall))
        )
        self.reasons.setText(reasons_text(questionnaire, result))
        limits = questionnaire.thresholds
        self.chart_legend.setText(
            self.tr(
                "╎ The dashed line is the lowest score a domain may have ({minimum}). Green: at or "
                "above the ready level ({ready}); orange: at or above the dashed line; red: below it."
            ).format(minimum=score_text(limits.domain_minimum), ready=score_text(limits.ready))
        )
        labels, scores = chart_inputs(questionnaire, result)
        # The chart's numbers as text for screen readers (the picture itself also prints them).
        self.chart.setAccessibleDescription(
            "; ".join(
                f"{label}: {score_text(value)}" for label, value in zip(labels, scores, strict=True)
            )
        )
        self.chart.load(QByteArray())
        self.chart.setVisible(False)
        self.plan.clear()
        for entry in result.action_plan:
            item = questionnaire.item(entry.item_id)
            answer = (
                compliance_label(entry.answer)
                if isinstance(entry.answer, str)
                else str(entry.answer)
            )
            priority = {
                "critical": self.tr("Critical"),
                "high": self.tr("High"),
                "medium": self.tr("Medium"),
            }.get(entry.priority, entry.priority)
            question = item.question.en if item else entry.item_id
            self.plan.addItem(
                f"[{priority}] {entry.action.en or question}\n   ({question} — {answer})"
            )
        if not result.action_plan:
            self.plan.addItem(self.tr("Nothing to do: every scored item is fully met."))
        self.revise_button.setEnabled(assessment.is_final)
        self.export_button.setEnabled(self.export_available)

    def set_chart_svg(self, svg: str) -> None:
        data = QByteArray(screen_svg(svg).encode("utf-8"))
        self.chart.load(data)
        size = self.chart.renderer().defaultSize()
        if size.isValid():
            scale = CHART_SCALE * self.logicalDpiY() / 96.0 * self.font().pointSizeF() / 9.0
            # never more than ~55% of the window, so the action plan keeps room at large text
            scale = min(scale, 0.55 * max(self.window().width(), 800) / size.width())
            self.chart.setFixedSize(
                QSize(round(size.width() * scale), round(size.height() * scale))
            )
        self.chart.setVisible(True)

    def set_export_available(self, available: bool, reason: str) -> None:
        self.export_available = available
        if not available:
            self.export_button.setEnabled(False)
            self.export_button.setToolTip(reason)
