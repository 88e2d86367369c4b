"""The shipped catalogues are complete: every string the code marks is in the template, every
shipped language translates every entry (no empty, no fuzzy), keeps its placeholders and
keyboard accelerators, and its compiled .mo says the same as its .po.

When this fails after a code change, run `make translations` and translate the new entries
(docs/translating.md)."""

from __future__ import annotations

import gettext
import re
from io import BytesIO

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from guidecheck.i18n import DOMAIN, LOCALE_DIR, SHIPPED_LANGUAGES

TRANSLATED = [lang for lang in SHIPPED_LANGUAGES if lang != "en"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[vmn1-9]")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "tr": None, "translate": (2,)}


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as handle:
        return read_po(handle, locale=lang)


def _ids(catalogue) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue if m.id}


def test_every_marked_string_is_in_the_template():
    source = LOCALE_DIR.parent
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(source), keywords=KEYWORDS, comment_tags=()
        )
    }
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as handle:
        template = _ids(read_po(handle))
    missing = sorted(found - template)
    assert missing == [], f"not in guidecheck.pot (run make translations): {missing[:20]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_untranslated_or_fuzzy_entry(lang):
    catalogue = _catalogue(lang)
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as handle:
        template = _ids(read_po(handle))
    assert template <= _ids(catalogue), f"{lang}: run make translations"
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (not all(m.string) if isinstance(m.string, tuple) else not m.string)
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [], f"{lang}: {len(untranslated)} untranslated: {untranslated[:10]}"
    assert fuzzy == [], f"{lang}: fuzzy entries: {fuzzy[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_placeholders_and_accelerators(lang):
    wrong = []
    for message in _catalogue(lang):
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):  # plural forms: each keeps the plural's placeholders
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            wrong += [
                f"plural: {f!r}" for f in message.string if set(PLACEHOLDER.findall(f)) != wanted
            ]
            continue
        source, text = str(message.id), str(message.string)
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            wrong.append(f"placeholders: {source!r} -> {text!r}")
        if not source.startswith("<") and ("&" in source) != ("&" in text):
            wrong.append(f"accelerator: {source!r} -> {text!r}")
        if source.count("\n") != text.count("\n"):
            wrong.append(f"lines: {source!r}")
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_matches_the_po_file(lang):
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(BytesIO(handle.read()))

    def compiled_text(message) -> str:  # type: ignore[no-untyped-def]
        if isinstance(message.id, tuple):  # a plural: its first form
            return compiled.ngettext(message.id[0], message.id[1], 1)
        return compiled.gettext(str(message.id))

    stale = [
        m.id
        for m in _catalogue(lang)
        if m.id and compiled_text(m) != (m.string[0] if isinstance(m.id, tuple) else m.string)
    ]
    assert stale == [], f"{lang}: .mo is older than .po (run make translations): {stale[:5]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translated_user_guide_follows_the_english_one(lang):
    """Same parts, same pictures (in the language's folder), packaged copy identical: when the
    English guide gains a part or a picture, its translations must follow."""
    import re as regex

    from guidecheck.gui.help.guide import GUIDE

    docs = LOCALE_DIR.parents[2] / "docs"
    english = (docs / "user-guide.md").read_text("utf-8")
    translated = (docs / f"user-guide.{lang}.md").read_text("utf-8")
    heading = regex.compile(r"^#+ ", regex.MULTILINE)
    image = regex.compile(r"\]\(screenshots/([^)]+)\)")
    assert len(heading.findall(translated)) == len(heading.findall(english))
    assert image.findall(translated) == [f"{lang}/{name}" for name in image.findall(english)]
    assert GUIDE.with_name(f"user-guide.{lang}.md").read_text("utf-8") == translated
    for name in image.findall(translated):
        assert (GUIDE.parent / "screenshots" / name).is_file(), name
