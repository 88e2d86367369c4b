"""Colours that follow the light, dark or high-contrast palette the system gives the app.

Style sheets here name the palette's roles (`palette(base)`, `palette(text)`) or a tone picked
for the palette in use (`{error}`), never a fixed light colour: on a dark palette a fixed
`color:#333` text is almost invisible. Qt resolves `palette()` once, when a style sheet is set, so
`themed()` remembers each widget's template and `restyle()` sets it again after the palette
changes (the main window calls it on every palette change).

Where a colour carries meaning (a chosen answer, a warning band), both the text and the fill are
set together, so the pair keeps its contrast (at least 4.5:1, WCAG AA) on any palette.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# tone name -> (on a light palette, on a dark palette)
TONES: dict[str, tuple[str, str]] = {
    "error": ("#8a1c0f", "#ffb4a8"),  # message text on the window background
    "critical": ("#7a1108", "#ffb4a8"),  # "Critical" tag text and border
    "warning_bg": ("#fff4d6", "#4a3800"),  # read-only band, with warning_fg text
    "warning_fg": ("#2b2100", "#fff4d6"),
    "chosen_bg": ("#1f5fa8", "#9cc7ff"),  # the chosen answer button, with chosen_fg text
    "chosen_fg": ("#ffffff", "#0b1e33"),
    "chosen_off_bg": ("#5d7fa6", "#6d8db3"),  # chosen answer on a final (read-only) assessment
    "chosen_off_fg": ("#ffffff", "#0b1e33"),
    "focus": ("#b86e00", "#ffb547"),  # focus frame around an answer button
    "differs_bg": ("#fff3c4", "#4a3800"),  # conflict cells that differ, with differs_fg text
    "differs_fg": ("#2b2100", "#fff4d6"),
    "band_good_bg": ("#cdebd3", "#1d4a2a"),  # heat-map cells, each with its _fg text
    "band_good_fg": ("#0d4f1f", "#d7f5de"),
    "band_fair_bg": ("#fbe7b5", "#4a3800"),
    "band_fair_fg": ("#5c3d00", "#fff1c7"),
    "band_low_bg": ("#f6c9c4", "#5e1a13"),
    "band_low_fg": ("#7a1108", "#ffd9d3"),
    # verdict badges (summary, review, home list, hub tables), each with its _fg text
    "verdict_ready_bg": ("#cdebd3", "#1d4a2a"),
    "verdict_ready_fg": ("#0d4f1f", "#d7f5de"),
    "verdict_ready_with_conditions_bg": ("#fbe7b5", "#4a3800"),
    "verdict_ready_with_conditions_fg": ("#5c3d00", "#fff1c7"),
    "verdict_not_ready_bg": ("#f6c9c4", "#5e1a13"),
    "verdict_not_ready_fg": ("#7a1108", "#ffd9d3"),
    "verdict_none_bg": ("#e4e6e8", "#3a3d40"),
    "verdict_none_fg": ("#25292d", "#eceff1"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is darker than its text (a dark or dark high-contrast
    palette)."""
    if palette is None:
        palette = QApplication.palette()
    background = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return background.lightnessF() < text.lightnessF()


def tone(name: str, palette: QPalette | None = None) -> str:
    light, dark = TONES[name]
    return dark if is_dark(palette) else light


def tone_colour(name: str, palette: QPalette | None = None) -> QColor:
    return QColor(tone(name, palette))


def render(template: str, palette: QPalette | None = None) -> str:
    """Fill `{tone}` fields of a style sheet template for the palette in use."""
    dark = is_dark(palette)
    values = {name: pair[1] if dark else pair[0] for name, pair in TONES.items()}
    return template.format(**values)


def themed(widget: QWidget, template: str) -> None:
    """Set a style sheet built from `template` now and again whenever the palette changes."""
    widget._guidecheck_style = template  # type: ignore[attr-defined]
    widget.setStyleSheet(render(template))


def restyle(root: QWidget) -> None:
    """Set every themed style sheet under `root` again (palette() is resolved when set)."""
    for widget in [root, *root.findChildren(QWidget)]:
        template = getattr(widget, "_guidecheck_style", None)
        if template is not None:
            widget.setStyleSheet(render(template))


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    def luminance(colour: QColor) -> float:
        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _palette(colours: dict[str, str], disabled_text: str) -> QPalette:
    """A palette from role names, with `disabled_text` for the text of disabled widgets."""
    palette = QPalette()
    for role_name, colour in colours.items():
        role = getattr(QPalette.ColorRole, role_name)
        palette.setColor(QPalette.ColorGroup.All, role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):  # fmt: skip
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def dark_palette() -> QPalette:
    """A dark palette like the one Windows 10/11 dark mode gives Qt apps (screenshots, tests)."""
    return _palette(
        {
            "Window": "#202020", "WindowText": "#ffffff", "Base": "#2b2b2b",
            "AlternateBase": "#323232", "Text": "#ffffff", "Button": "#2d2d2d",
            "ButtonText": "#ffffff", "Highlight": "#0078d4", "HighlightedText": "#ffffff",
            "ToolTipBase": "#2b2b2b", "ToolTipText": "#ffffff", "PlaceholderText": "#a0a0a0",
            "Light": "#3c3c3c", "Midlight": "#333333", "Mid": "#5a5a5a", "Dark": "#141414",
            "Shadow": "#000000", "Link": "#8ab4f8", "BrightText": "#ffffff",
        },
        disabled_text="#8a8a8a",
    )  # fmt: skip


def high_contrast_palette() -> QPalette:
    """Black with white and yellow, like Windows' high-contrast themes (screenshots, tests)."""
    return _palette(
        {
            "Window": "#000000", "WindowText": "#ffffff", "Base": "#000000",
            "AlternateBase": "#000000", "Text": "#ffffff", "Button": "#000000",
            "ButtonText": "#ffffff", "Highlight": "#1aebff", "HighlightedText": "#000000",
            "ToolTipBase": "#000000", "ToolTipText": "#ffffff", "PlaceholderText": "#c0c0c0",
            "Light": "#ffffff", "Midlight": "#c0c0c0", "Mid": "#ffffff", "Dark": "#ffffff",
            "Shadow": "#ffffff", "Link": "#ffff00", "BrightText": "#ffff00",
        },
        disabled_text="#3ff23f",
    )  # fmt: skip


def light_palette() -> QPalette:
    """The style's own light palette (Fusion's on Linux and in tests)."""
    return QApplication.style().standardPalette()


PALETTES = {"light": light_palette, "dark": dark_palette, "contrast": high_contrast_palette}
