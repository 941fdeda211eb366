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
