"""The core's message catalogue: every user-facing core string goes through `_()`.

Catalogues are gettext `.mo` files under `guidecheck/locale/<lang>/LC_MESSAGES/guidecheck.mo`; a
missing catalogue falls back to English. The Qt layer uses Qt's own translation (`self.tr`).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

_LOCALE_DIR = Path(__file__).with_name("locale")
_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(lang: str | None) -> None:
    """Switch the core's messages to `lang` (e.g. "fr"); unknown languages fall back to English."""
    global _translation
    if not lang:
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation("guidecheck", _LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


set_language(os.environ.get("GUIDECHECK_LANG"))
