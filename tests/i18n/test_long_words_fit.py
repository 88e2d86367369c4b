"""French and Portuguese words run 30–70 % longer than English ones: on a 1024×600 netbook at
125 % text, every screen in each language keeps every button inside the window, no button is
squeezed narrower than its words, and nothing scrolls sideways."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QWidget

from guidecheck.gui.screenshots import render_screens
from guidecheck.gui.shell.settings import apply_text_scale

sys.path.append(str(Path(__file__).resolve().parents[1] / "gui"))
from test_small_screens import cut_off

OUT = Path(__file__).resolve().parents[2] / "test-output" / "languages"


def squeezed(root: QWidget) -> list[str]:
    """Buttons narrower than their own text needs (the words would be cut)."""
    found = []
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        needed = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
        if button.width() < needed:
            found.append(f"{button.text()!r} is {button.width()} px wide, needs {needed}")
    return found


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_every_screen_fits_a_netbook_in_the_language(qapp, switch, lang):
    switch(lang)
    problems: dict[str, list[str]] = {}
    seen: list[str] = []

    def inspect(name: str, screen: QWidget) -> None:
        seen.append(name)
        found = cut_off(screen) + squeezed(screen)
        if found:
            problems[name] = found

    try:
        apply_text_scale(qapp, 125)
        render_screens(OUT / f"{lang}-1024x600-125", inspect=inspect, size=(1024, 600))
    finally:
        apply_text_scale(qapp, 100)
    assert len(seen) >= 12
    assert problems == {}
