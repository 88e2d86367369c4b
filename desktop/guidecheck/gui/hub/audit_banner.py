"""The hub's audit marker: a band above the tabs naming the assessments whose clinic audit log
did not verify on import (bundles/audit_check.py), with the reason for each.

Drawn in the theme's "low" pair (dark red on pink, light pink on deep red in dark mode, both
above 4.5:1) and led by a word, never by colour alone; it wraps, so it fits a 1024×600 screen.
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

# Two lines fit above the tables on a 1024×600 screen; the band's tooltip names up to 20 flagged
# assessments with their whole reason, each row's tooltip its own, the district PDF all of them.
LINE_CHARS = 140
TOOLTIP_ITEMS = 20


class _Band(QLabel):
    """A wrapping label that asks its layout for the height of its wrapped text at its width
    (box layouts do not honour height-for-width when the window is short, and cut lines off)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setMinimumHeight(max(self.heightForWidth(self.width()), 0))


def audit_banner(parent: QWidget) -> QLabel:
    label = _Band(parent)
    label.setWordWrap(True)
    label.setTextFormat(
        Qt.TextFormat.PlainText
    )  # names and reasons are people's text: never markup
    # as tall as its wrapped text needs, never squeezed by the tables below on a 600 px screen
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.setAccessibleName(tr("Audit check"))
    # padding as a margin, not in the style sheet: the wrapped text's height counts it then
    themed(label, "background:{band_low_bg}; color:{band_low_fg};")
    label.setMargin(8)
    label.setVisible(False)
    return label


def show_audit(label: QLabel, summary: DistrictSummary) -> None:
    """Show the flagged assessments of `summary` (two lines: the count, then the first one; every
    reason in the tooltip), or hide the band when there are none."""
    flagged = summary.audit_flagged()
    label.setVisible(bool(flagged))
    if not flagged:
        label.clear()
        label.setToolTip("")
        return
    headline = tr("⚠ Audit check: {n} flagged. Their records differ from the clinic's audit log, or the "
                  "log was rewritten: ask the clinic to run “audit verify”.").format(n=len(flagged))  # fmt: skip
    items = [f"• {r.facility_name} ({r.facility_code}), {r.tool_label}, {r.id[:8]}: {m.reason}"
             for r, m in flagged]  # fmt: skip
    first = items[0] if len(items[0]) <= LINE_CHARS else items[0][: LINE_CHARS - 1] + "…"
    more = tr(" (+{n} more)").format(n=len(items) - 1) if len(items) > 1 else ""
    label.setText(f"{headline}\n{first}{more}")
    label.setToolTip("\n".join(items[:TOOLTIP_ITEMS]))
