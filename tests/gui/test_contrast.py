"""Text stays readable in light, dark and high-contrast palettes: the screens are rendered, and
the colours actually drawn (text against its background) are sampled from the picture."""

from __future__ import annotations

from collections import Counter

import pytest
from gui_helpers import card, click, open_window, sample_profile
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from guidecheck.gui.shell.theme import PALETTES, contrast
from guidecheck.storage.store import Store

AA = 4.5


def drawn_contrast(picture: QImage, widget: QWidget, root: QWidget) -> tuple[float, str, str]:
    """(ratio, background, text): the commonest colour in the widget's area is its background,
    the colour furthest from it is its text (anti-aliased edges lie in between)."""
    corner = widget.mapTo(root, QPoint(0, 0))
    area = QRect(corner, widget.size()).adjusted(3, 3, -3, -3)  # inside any border
    part = picture.copy(area).convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(part.constBits())[: part.sizeInBytes()]
    counts = Counter(data[i : i + 4] for i in range(0, len(data), 4))
    background = QColor.fromRgb(int.from_bytes(counts.most_common(1)[0][0], "little"))
    best, text = 1.0, background
    for raw in counts:
        colour = QColor.fromRgb(int.from_bytes(raw, "little"))
        ratio = contrast(colour, background)
        if ratio > best:
            best, text = ratio, colour
    return best, background.name(), text.name()


@pytest.fixture
def themed_app(qapp):
    original = qapp.palette()
    yield qapp
    qapp.setPalette(original)


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_text_contrast_in_every_palette(qtbot, home, checklists, mini, themed_app, theme):
    themed_app.setPalette(PALETTES[theme]())
    store = Store(home / "guidecheck.db")
    try:
        assessment = store.new_assessment(mini, sample_profile(), "Amina Otieno")
    finally:
        store.close()
    window = open_window(qtbot, home, checklists)
    window.resize(1280, 720)
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(assessment.id)
    walk = window.walkthrough
    encrypted = card(window, "prv_encrypted")
    click(qtbot, encrypted.editor.buttons["no"])  # chosen answer, note label and box
    encrypted.guidance_toggle.setChecked(True)
    walk.read_only_note.setVisible(True)  # the band a final assessment shows
    QApplication.processEvents()
    qtbot.wait(50)
    picture = window.grab().toImage()

    checked = {
        "question": encrypted.question,
        "guidance": encrypted.guidance,
        "critical tag": next(
            w
            for w in encrypted.findChildren(QWidget)
            if getattr(w, "text", lambda: "")() == "⚠ Critical"
        ),
        "chosen answer": encrypted.editor.buttons["no"],
        "other answer": encrypted.editor.buttons["yes"],
        "note label": encrypted.note_label,
        "keys hint": walk.hint,
        "read-only band": walk.read_only_note,
        "part title": walk.domain_title,
    }
    problems = {}
    for name, widget in checked.items():
        assert widget.isVisible(), name
        ratio, background, text = drawn_contrast(picture, widget, window)
        if ratio < AA:
            problems[name] = f"{ratio:.2f}:1 ({text} on {background})"
    assert problems == {}, theme

    # a message beside a field, in the form's error colour
    walk.show_domain("safety")
    field = card(window, "saf_errors_per_month").editor
    field.field.setText("lots")
    field.flush()
    QApplication.processEvents()
    picture = window.grab().toImage()
    ratio, background, text = drawn_contrast(picture, field.message, window)
    assert field.message.text() and ratio >= AA, f"{ratio:.2f}:1 ({text} on {background})"


def test_the_sampler_sees_poor_contrast(qtbot):
    from PySide6.QtWidgets import QLabel

    label = QLabel("Poorly readable text on white")
    label.setStyleSheet("background:#ffffff; color:#bbbbbb; font-size:18px;")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    ratio, _background, _text = drawn_contrast(label.grab().toImage(), label, label)
    assert 1.8 < ratio < 2.0  # #bbbbbb on white is 1.9:1


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_heat_map_cells_are_readable_in_every_palette(themed_app, theme):
    """The district heat map's band fills follow the palette (deep fills with light text on a
    dark one), and each keeps its text at AA contrast or better."""
    from guidecheck.gui.hub.district_models import band_colours

    themed_app.setPalette(PALETTES[theme]())
    fills = []
    for band in ("good", "fair", "low"):
        background, text = (QColor(c) for c in band_colours(band))
        assert contrast(background, text) >= AA, (theme, band)
        fills.append(background)
    window = themed_app.palette().color(themed_app.palette().ColorRole.Window)
    # on a dark palette the cells are dark too, not light patches glaring out of it
    assert all((f.lightnessF() < 0.5) == (window.lightnessF() < 0.5) for f in fills), theme
