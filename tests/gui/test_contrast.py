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


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_verdict_badges_follow_the_palette(qtbot, themed_app, theme):
    """A verdict badge, as drawn, keeps its text at AA contrast and is deep on a dark palette
    (not a pale patch); it follows a palette change made after it was shown."""
    from guidecheck.gui.shell.labels import verdict_badge
    from guidecheck.gui.shell.theme import restyle

    themed_app.setPalette(PALETTES["light"]())
    badges = [verdict_badge(v) for v in ("ready", "ready_with_conditions", "not_ready", None)]
    holder = QWidget()
    qtbot.addWidget(holder)
    for badge in badges:
        badge.setParent(holder)
    themed_app.setPalette(PALETTES[theme]())
    restyle(holder)  # what the main window does on a palette change
    window_colour = themed_app.palette().color(themed_app.palette().ColorRole.Window)
    for badge in badges:
        badge.show()
        qtbot.waitExposed(badge)
        ratio, background, text = drawn_contrast(badge.grab().toImage(), badge, badge)
        assert ratio >= AA, (theme, badge.text(), text, background)
        dark_fill = QColor(background).lightnessF() < 0.5
        assert dark_fill == (window_colour.lightnessF() < 0.5), (theme, badge.text(), background)


def _result_screen(qtbot, home, mini, width: int = 1024):
    """The result screen of a half-answered assessment, its chart drawn as the app draws it."""
    from guidecheck.checklist.model import Answer
    from guidecheck.checklist.scoring import score
    from guidecheck.gui.assessment.summary import SummaryScreen, build_chart_svg

    with Store(home / "guidecheck.db") as store:
        assessment = store.new_assessment(mini, sample_profile(), "Amina Otieno")
    answers = {
        item.id: Answer(item.id, "yes" if n % 2 else "partly", "")
        for n, item in enumerate(mini.items)
        if item.type == "compliance"
    }
    result = score(mini, assessment.profile, answers)
    screen = SummaryScreen()
    qtbot.addWidget(screen)
    screen.resize(width, 560)
    screen.show()
    qtbot.waitExposed(screen)
    screen.set_data(mini, assessment, result)
    screen.set_chart_svg(build_chart_svg(screen.chart_request()))
    QApplication.processEvents()
    return screen


@pytest.mark.parametrize("theme", sorted(PALETTES))
def test_result_chart_follows_the_palette(qtbot, home, mini, themed_app, theme):
    """The domain chart is drawn in the palette's colours: dark on a dark palette (no white
    patch), its text and dashed line readable at AA or better, as sampled from the picture."""
    from guidecheck.gui.assessment.summary import chart_colours

    themed_app.setPalette(PALETTES[theme]())
    screen = _result_screen(qtbot, home, mini)
    picture = screen.grab().toImage()
    ratio, background, text = drawn_contrast(picture, screen.chart, screen)
    assert ratio >= AA, (theme, text, background)
    window_colour = themed_app.palette().color(themed_app.palette().ColorRole.Window)
    assert (QColor(background).lightnessF() < 0.5) == (window_colour.lightnessF() < 0.5), background
    colours = chart_colours(screen.palette())
    for name in ("ink", "muted"):  # labels, scores, dashed line; tick labels and "not scored"
        ratio = contrast(QColor(getattr(colours, name)), QColor(colours.background))
        assert ratio >= AA, (theme, name, ratio)
    # switching the palette while the result is shown redraws the chart in the new colours
    other = "light" if theme != "light" else "dark"
    themed_app.setPalette(PALETTES[other]())
    QApplication.processEvents()
    _ratio, switched, _text = drawn_contrast(screen.grab().toImage(), screen.chart, screen)
    assert switched != background, (theme, other)


def test_result_chart_text_follows_the_text_size(qtbot, home, mini, qapp):
    """At 150% text the chart's labels are drawn 1.5 times as large (the chart grows taller, not
    wider than its column), and it redraws to the screen's width when the window is resized."""
    from guidecheck.gui.shell.settings import apply_text_scale

    screen = _result_screen(qtbot, home, mini)
    normal = screen.chart_request()
    normal_height = screen.chart.height()
    apply_text_scale(qapp, 150)
    try:
        QApplication.processEvents()
        large = screen.chart_request()
        assert large.font_size >= 1.4 * normal.font_size
        assert screen.chart.height() >= 1.4 * normal_height
        assert screen.chart.width() <= 0.6 * screen.width()
    finally:
        apply_text_scale(qapp, 100)
    QApplication.processEvents()
    narrow = screen.chart.width()
    screen.resize(1366, 700)
    QApplication.processEvents()
    assert screen.chart.width() > narrow + 100
