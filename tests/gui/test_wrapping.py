"""The wrapping row mirrors its buttons for right-to-left languages exactly as Qt's own layouts do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QPushButton, QStyle, QWidget

from guidecheck.gui.shell.wrapping import FlowLayout, mirrored

AREA = QRect(16, 40, 900, 120)


@pytest.mark.parametrize(
    "direction", [Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft]
)
@pytest.mark.parametrize(
    "rect", [QRect(16, 40, 120, 34), QRect(300, 80, 1, 1), QRect(700, 40, 216, 34), AREA]
)
def test_mirrored_places_a_rectangle_where_qstyle_would(direction, rect) -> None:
    assert mirrored(direction, AREA, rect) == QStyle.visualRect(direction, AREA, rect)


def test_right_to_left_puts_the_first_button_at_the_right_edge(qtbot) -> None:
    row = QWidget()
    qtbot.addWidget(row)
    row.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    layout = FlowLayout(row)
    first, second = QPushButton("First", row), QPushButton("Second", row)
    layout.addWidget(first)
    layout.addWidget(second)
    row.resize(600, 60)
    layout.setGeometry(row.rect())
    assert first.geometry().right() == row.rect().right()
    assert second.geometry().right() < first.geometry().left()
