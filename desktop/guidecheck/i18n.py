"""Every word GuideCheck shows, in the language the person chose: one gettext catalogue per language.

The core marks its strings with `_()`; the screens use Qt's `self.tr`, which the app routes to this
same catalogue (gui/shell/translation.py), so a translator edits one `.po` file per language:
`guidecheck/locale/<lang>/LC_MESSAGES/guidecheck.po`, compiled to `.mo` by `make translations`.
A string without a translation stays English.

The language is one setting for the whole process (`set_language`), except inside `language(lang)`:
a report saved in Portuguese while the screens stay French switches only the thread that writes it
(a context variable), so the screens never flicker into another language meanwhile.

Dates and numbers are formatted for the language with Babel (loaded only when a date or number is
formatted, so start-up stays light).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from guidecheck.errors import UserError

if TYPE_CHECKING:
    import datetime as _dt

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "guidecheck"
# Languages shipped complete: the test suite fails when one of them has an untranslated entry.
SHIPPED_LANGUAGES: tuple[str, ...] = ("en", "fr", "pt")
# Each language's name in itself, as the Settings list shows it.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français", "pt": "Português"}
# The CLDR locale used for dates and numbers: Mozambican Portuguese, not Brazilian.
FORMAT_LOCALES: dict[str, str] = {"en": "en_GB", "fr": "fr_FR", "pt": "pt_MZ"}

_default_lang = "en"
_default: gettext.NullTranslations = gettext.NullTranslations()
_override: ContextVar[tuple[str, gettext.NullTranslations] | None] = ContextVar(
    "guidecheck_language", default=None
)


def _load(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def normalize_language(code: str | None) -> str:
    """A locale name ("fr_CM", "pt-MZ", "pt_BR.UTF-8") to a shipped language; anything else is en."""
    if not code:
        return "en"
    base = code.replace("-", "_").split("_")[0].split(".")[0].lower()
    return base if base in SHIPPED_LANGUAGES else "en"


def check_language(code: str) -> str:
    """A language asked for by name (`--lang`): a shipped one, or one plain sentence."""
    if code in SHIPPED_LANGUAGES:
        return code
    raise UserError(
        _("Unknown language {code}: choose one of {choices}.").format(
            code=code, choices=", ".join(SHIPPED_LANGUAGES)
        )
    )


def set_language(lang: str | None) -> None:
    """Switch the core's messages to `lang` (e.g. "fr"); unknown languages fall back to English."""
    global _default, _default_lang
    _default_lang = normalize_language(lang)
    _default = _load(_default_lang)


def current_language() -> str:
    """The language messages are in now (in this thread)."""
    override = _override.get()
    return override[0] if override is not None else _default_lang


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Messages in `lang` inside the block, for this thread only (a report in another language).
    None keeps the current language."""
    chosen = normalize_language(lang) if lang else current_language()
    token = _override.set((chosen, _load(chosen)))
    try:
        yield chosen
    finally:
        _override.reset(token)


def _catalogue() -> gettext.NullTranslations:
    override = _override.get()
    return override[1] if override is not None else _default


def _(message: str) -> str:
    return _catalogue().gettext(message)


def lookup(message: str) -> str | None:
    """The catalogue's entry for `message` in the current language, or None when it has none
    (English has none): the screens' translator then lets Qt's own translations answer."""
    entries = getattr(_catalogue(), "_catalog", None)
    if not entries:
        return None
    found = entries.get(message)
    return found if isinstance(found, str) and found else None


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it yet (translated where shown)."""
    return message


def format_date(value: _dt.date | str | None, lang: str | None = None) -> str:
    """A date as people write it in the language: "30 Nov 2026", "30 nov. 2026", "30/11/2026".
    Text that is not an ISO date is shown as it is."""
    if value is None or value == "":
        return ""
    import datetime as _dt  # here, with Babel: the app shows its first window without dates

    if isinstance(value, str):
        try:
            day = _dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    from babel.dates import format_date as babel_date

    return str(babel_date(day, format="medium", locale=_format_locale(lang)))


def format_number(value: float | int, digits: int = 0, lang: str | None = None) -> str:
    """A number with the language's decimal and grouping signs ("1 234,5" in French)."""
    if _format_locale(lang) == "en_GB":  # English needs no Babel: keeps start-up light
        return f"{value:,.{digits}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return str(format_decimal(value, format=pattern, locale=_format_locale(lang)))


def format_percent(value: float | None, lang: str | None = None) -> str:
    """A score out of 100 as a percentage in the language ("72 %" in French); "–" for none."""
    if value is None:
        return "–"
    from babel.numbers import format_percent as babel_percent

    return str(babel_percent(value / 100.0, locale=_format_locale(lang)))


def _format_locale(lang: str | None) -> str:
    return FORMAT_LOCALES[normalize_language(lang or current_language())]


set_language(os.environ.get("GUIDECHECK_LANG"))
