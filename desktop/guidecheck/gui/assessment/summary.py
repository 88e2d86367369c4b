"""Result screen: verdict, overall score, the domain chart (the report's own SVG) and the
action plan, with the report, export and revise actions.

The chart SVG comes from `guidecheck.reports.charts.domain_chart_svg`, which uses reportlab; it is
built by the background worker so opening this screen never waits on that import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QFontInfo, QPalette, QResizeEvent
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

from guidecheck.checklist.model import Assessment, Questionnaire, ScoreResult, Thresholds
from guidecheck.gui.shell.labels import (
    compliance_label,
    reasons_text,
    score_text,
    set_badge,
    set_scaled_font,
    verdict_text,
)
from guidecheck.gui.shell.theme import is_dark

_CLIP = re.compile(r"<clipPath\b.*?</clipPath>", re.DOTALL)
CHART_SHARE = 0.6  # of the screen's width, beside the action plan (body stretch 3 : 2)
MIN_CHART_WIDTH = 300

# Chart colours on a dark palette (the PDF keeps its print colours): bars a little lighter so they
# stand out from a dark background; text and the dashed line take the palette's own text colour.
DARK_BANDS = {"good": "#5cb86f", "fair": "#e0a53a", "low": "#ff7a6b"}
DARK_MUTED = "#c4c7c5"
DARK_RULE = "#5f6368"


def chart_colours(palette: QPalette) -> Any:
    """Print colours on a light palette; on a dark one the palette's base and text with
    lighter bars (each text colour at least 4.5:1 on the background)."""
    from guidecheck.reports.charts import PRINT_COLOURS, ChartColours

    if not is_dark(palette):
        return PRINT_COLOURS
    return ChartColours(
        background=palette.color(QPalette.ColorRole.Base).name(),
        ink=palette.color(QPalette.ColorRole.Text).name(),
        muted=DARK_MUTED,
        rule=DARK_RULE,
        bands=DARK_BANDS,
    )


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


@dataclass(frozen=True)
class ChartRequest:
    """What the chart is drawn from, and at which width, text size and colours (in pixels)."""

    labels: list[str]
    scores: list[float | None]
    thresholds: Thresholds
    width: float
    font_size: float
    colours: Any


def build_chart_svg(request: ChartRequest) -> str:
    """Runs in the worker the first time: imports the chart module (and reportlab) only when
    needed; later redraws (resize, text size, palette) are quick and run on the spot."""
    from guidecheck.reports.charts import domain_chart_svg

    return domain_chart_svg(
        request.labels,
        request.scores,
        width=request.width,
        thresholds=request.thresholds,
        font_size=request.font_size,
        colours=request.colours,
    )


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
        chart_column = QVBoxLayout()
        chart_column.addWidget(QLabel(self.tr("Score per domain"), self))
        self.chart = QSvgWidget(self)
        self.chart.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.chart.setAccessibleName(self.tr("Domain score chart"))
        self._chart_inputs: tuple[list[str], list[float | None], Thresholds] | None = None
        self._chart_drawn = False  # reportlab is loaded once the first chart came back
        # The chart and its legend scroll together in their own area when many parts or large
        # text make them taller than the room left (never pushing the buttons off a 1024×600
        # screen, never overlapping).
        self.chart_area = QScrollArea(self)
        self.chart_area.setWidgetResizable(True)
        self.chart_area.setFrameShape(QFrame.Shape.NoFrame)
        self.chart_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(self.chart_area)
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addWidget(
            self.chart, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        )
        self.chart_legend = QLabel(inner)
        self.chart_legend.setWordWrap(True)
        inner_layout.addWidget(self.chart_legend)
        inner_layout.addStretch(1)
        self.chart_area.setWidget(inner)
        chart_column.addWidget(self.chart_area, 1)
        body.addLayout(chart_column, 3)
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
        set_badge(self.verdict, result.verdict)
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
        self._chart_inputs = (labels, scores, questionnaire.thresholds)
        # The chart's numbers as text for screen readers (the picture itself also prints them).
        self.chart.setAccessibleDescription(
            "; ".join(
                f"{label}: {score_text(value)}" for label, value in zip(labels, scores, strict=True)
            )
        )
        self.chart.load(QByteArray())
        self.chart.setVisible(False)
        self._chart_drawn = False
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

    def chart_request(self) -> ChartRequest | None:
        """The chart at this screen's width, the app's text size and the palette in use."""
        if self._chart_inputs is None:
            return None
        labels, scores, thresholds = self._chart_inputs
        scroll_bar = self.chart_area.verticalScrollBar().sizeHint().width()
        width = max(MIN_CHART_WIDTH, round((self.width() - 48) * CHART_SHARE) - scroll_bar)
        font_size = QFontInfo(self.font()).pixelSize() or 12
        return ChartRequest(
            labels, scores, thresholds, width, font_size, chart_colours(self.palette())
        )

    def set_chart_svg(self, svg: str) -> None:
        data = QByteArray(screen_svg(svg).encode("utf-8"))
        self.chart.load(data)
        size = self.chart.renderer().defaultSize()
        if size.isValid():
            self.chart.setFixedSize(size)  # drawn at its pixel size: text as large as the app's
        self._chart_drawn = True
        self.chart.setVisible(True)

    def redraw_chart(self) -> None:
        """Draw the chart again for a new width, text size or palette."""
        request = self.chart_request()
        if request is not None and self._chart_drawn:
            self.set_chart_svg(build_chart_svg(request))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._chart_drawn and abs(event.size().width() - event.oldSize().width()) > 8:
            self.redraw_chart()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self.redraw_chart()

    def set_export_available(self, available: bool, reason: str) -> None:
        self.export_available = available
        if not available:
            self.export_button.setEnabled(False)
            self.export_button.setToolTip(reason)
