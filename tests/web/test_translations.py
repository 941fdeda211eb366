"""The committed translations are complete and compiled from the .po files as they stand."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

import krutt.web

LOCALE = Path(krutt.web.__file__).parent / "locale"


def test_every_message_has_a_norwegian_translation():
    po = polib.pofile(str(LOCALE / "nb" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or e.msgstr_plural.get(0))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert missing == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "nb" / "LC_MESSAGES" / "django.po"))
    with (LOCALE / "nb" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_placeholders_survive_translation():
    import re

    po = polib.pofile(str(LOCALE / "nb" / "LC_MESSAGES" / "django.po"))
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        names = sorted(re.findall(r"\{(\w+)\}|%\((\w+)\)s", entry.msgid))
        assert sorted(re.findall(r"\{(\w+)\}|%\((\w+)\)s", entry.msgstr)) == names, entry.msgid


def test_plural_sentences_have_both_norwegian_forms_with_the_same_placeholders():
    import re

    po = polib.pofile(str(LOCALE / "nb" / "LC_MESSAGES" / "django.po"))
    with (LOCALE / "nb" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    plurals = [e for e in po if e.msgid_plural and not e.obsolete]
    assert plurals  # the segment reasons at least
    for entry in plurals:
        names = sorted(re.findall(r"\{(\w+)\}|%\((\w+)\)s", entry.msgid))
        for n, form in ((1, 0), (2, 1)):
            translated = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
            assert translated == entry.msgstr_plural[form], entry.msgid
            assert sorted(re.findall(r"\{(\w+)\}|%\((\w+)\)s", translated)) == names, entry.msgid
