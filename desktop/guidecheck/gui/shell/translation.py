"""The screens' language: Qt's `self.tr` routed to the core's gettext catalogue, Qt's own dialog
strings from the Qt translations we ship, and switching language while the app runs.

One catalogue per language (`guidecheck/locale/<lang>/LC_MESSAGES/guidecheck.po`) serves the core,
the CLI, the reports and the screens: `GettextTranslator` answers every `tr()` from it, ignoring
Qt's context (a string means the same on every screen). A string it does not know goes on to Qt's
own translations: `qtbase_fr.qm` for French; for Portuguese `qtbase_pt_BR.qm` with `qt_pt_PT.qm`
over it, and our catalogue above both, so a Mozambican nurse reads "Guardar" and "Ficheiro", not
the Brazilian "Salvar" and "Arquivo" (`QT_OWN_STRINGS` lists the words we correct).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from guidecheck import i18n
from guidecheck.i18n import N_

QT_TRANSLATIONS = Path(i18n.LOCALE_DIR) / "qt"
# Qt's own .qm files for each language, in the order they are installed (later ones win).
QT_FILES: dict[str, tuple[str, ...]] = {
    "fr": ("qtbase_fr",),
    "pt": ("qtbase_pt_BR", "qt_pt_PT"),
}

# Strings of Qt's own dialogs and buttons (QPlatformTheme, QFileDialog, QMessageBox) that our
# catalogue translates itself: Qt ships no European/Mozambican Portuguese for them.
QT_OWN_STRINGS: tuple[str, ...] = (
    N_("OK"),
    N_("Save"),
    N_("&Save"),
    N_("Save As"),
    N_("Save All"),
    N_("Open"),
    N_("&Open"),
    N_("Cancel"),
    N_("Close"),
    N_("Apply"),
    N_("Discard"),
    N_("Don't Save"),
    N_("&Yes"),
    N_("&No"),
    N_("Yes to &All"),
    N_("N&o to All"),
    N_("Abort"),
    N_("Retry"),
    N_("Ignore"),
    N_("Help"),
    N_("Reset"),
    N_("Restore Defaults"),
    N_("&Choose"),
    N_("File &name:"),
    N_("Files of type:"),
    N_("Look in:"),
    N_("Directory:"),
    N_("All Files (*)"),
    N_("New Folder"),
    N_("Create New Folder"),
    N_("Parent Directory"),
    N_("Back"),
    N_("Forward"),
    N_("Detail View"),
    N_("List View"),
    N_("My Computer"),
    N_("Recent Places"),
    N_("Name"),
    N_("Size"),
    N_("Type"),
    N_("Date Modified"),
    N_("Show Details..."),
    N_("Hide Details..."),
    N_("&Copy"),
    N_("&Paste"),
    N_("Cu&t"),
    N_("Select All"),
    N_("&Undo"),
    N_("&Redo"),
    N_("Delete"),
)


class GettextTranslator(QTranslator):
    """Answers Qt's translation requests from the gettext catalogue of the current language.
    A string the catalogue lacks gets no answer, so Qt asks its own .qm files or keeps the source."""

    def translate(  # type: ignore[override]
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not source_text:
            return None  # type: ignore[return-value]
        # None (a null string) makes Qt ask the next translator, then keep the source text; an
        # empty string would show as empty.
        return i18n.lookup(source_text)  # type: ignore[return-value]

    def isEmpty(self) -> bool:
        return False


def system_language() -> str:
    """The language to start in before any choice: the system's when we ship it, else English."""
    return i18n.normalize_language(QLocale.system().name())


def available_languages() -> list[tuple[str, str]]:
    """(code, name in its own language) of every shipped language, for the Settings list."""
    return [(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.SHIPPED_LANGUAGES]


_installed: list[QTranslator] = []


def install_language(app: QCoreApplication, lang: str | None) -> str:
    """Make `lang` the language of the core and of every screen built from now on; returns the
    language installed. Qt sends each widget a LanguageChange event; MainWindow.retranslate
    rebuilds the open screens."""
    lang = i18n.normalize_language(lang)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    i18n.set_language(lang)
    QLocale.setDefault(QLocale(lang if lang != "pt" else "pt_MZ"))
    if lang != "en":
        for name in QT_FILES.get(lang, ()):
            translator = QTranslator(app)
            if translator.load(name, str(QT_TRANSLATIONS)) or translator.load(
                name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            ):
                _installed.append(translator)
        _installed.append(GettextTranslator(app))
    for translator in _installed:
        app.installTranslator(translator)
    if isinstance(app, QApplication):
        # English, French and Portuguese read left to right; a later Arabic flips every screen.
        app.setLayoutDirection(QLocale(lang).textDirection())
    return lang


def switch_language(window: object, lang: str) -> str:
    """Settings' language choice, applied at once: install it, then rebuild the open screens."""
    app = QCoreApplication.instance()
    assert app is not None
    installed = install_language(app, lang)
    retranslate = getattr(window, "retranslate", None)
    if callable(retranslate):
        retranslate()
    return installed
