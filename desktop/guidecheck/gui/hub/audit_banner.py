"""The hub's audit marker: a band above the tabs naming the assessments whose clinic audit log
did not verify on import (bundles/audit_check.py), with the reason.

Exactly two lines, each cut with "…" to the band's width (the count and what to do, then the
first flagged assessment and its reason): more would push the tables under it on a 1024×600
screen. Every flagged assessment with its whole reason is in the band's tooltip, each overview
row's tooltip, `assessment show` and the district reports. Drawn in the theme's "low" pair (dark
red on pink; light pink on deep red in dark mode; both above 4.5:1) and led by a word and a sign,
never by colour alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from guidecheck.gui.shell.labels import tr
from guidecheck.gui.shell.theme import themed

if TYPE_CHECKING:
    from guidecheck.district.summary import DistrictSummary

TOOLTIP_ITEMS = 20
MARGIN = 8


class AuditBand(QLabel):
    """Two plain-text lines (people's names are data, never markup), elided to the width."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._lines: list[str] = []
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setMargin(MARGIN)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(tr("Audit check"))
        themed(self, "background:{band_low_bg}; color:{band_low_fg};")
        self.setVisible(False)

    def show_lines(self, lines: list[str]) -> None:
        self._lines = lines
        self.setFixedHeight(self.fontMetrics().lineSpacing() * len(lines) + 2 * MARGIN + 2)
        self._elide()

    def full_text(self) -> str:
        return "\n".join(self._lines)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.width() - 2 * MARGIN - 4, 40)
        metrics = self.fontMetrics()
        self.setText(
            "\n".join(
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in self._lines
            )
        )


def audit_banner(parent: QWidget) -> AuditBand:
    return AuditBand(parent)


def show_audit(band: AuditBand, summary: DistrictSummary) -> None:
    """Show the flagged assessments of `summary`, or hide the band when there are none."""
    flagged = summary.audit_flagged()
    band.setVisible(bool(flagged))
    if not flagged:
        band.show_lines([])
        band.setToolTip("")
        return
    headline = tr("⚠ Audit check – assessments flagged: {n}. Ask the clinic to run “audit verify”; "
                  "each row's ⚠ audit says why.").format(n=len(flagged))  # fmt: skip
    items = [f"• {r.facility_name} ({r.facility_code}), {r.tool_label}, {r.id[:8]}: {m.reason}"
             for r, m in flagged]  # fmt: skip
    more = tr(" (+{n} more)").format(n=len(items) - 1) if len(items) > 1 else ""
    band.show_lines([headline, items[0] + more])
    band.setToolTip("\n".join(items[:TOOLTIP_ITEMS]))
