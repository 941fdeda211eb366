"""Patterns that switch off one of Django's protections do not appear in krutt's code.

Each is a reviewed exception when it is needed (RELIABILITY.md items 5, 9 and 10); none
is needed today, so the allowlists are empty and a new use fails here until reviewed.
"""

from __future__ import annotations

import re
from pathlib import Path

import krutt

SOURCE = Path(krutt.__file__).parent

BANNED = {
    "csrf_exempt": re.compile(r"\bcsrf_exempt\b"),
    "a form taking every model field": re.compile(r"fields\s*=\s*['\"]__all__['\"]"),
    # format_html / format_html_join escape their arguments; mark_safe trusts them blindly.
    "mark_safe": re.compile(r"\bmark_safe\b"),
    "QuerySet.raw or .extra": re.compile(r"\.objects\.(raw|extra)\(|\.extra\("),
}
BANNED_IN_TEMPLATES = {
    "the |safe filter": re.compile(r"\|\s*safe\b"),
    "autoescape off": re.compile(r"{%\s*autoescape\s+off"),
}


def _hits(pattern: re.Pattern[str], suffix: str) -> list[str]:
    return [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob(f"*{suffix}"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]


def test_python_code_never_switches_off_csrf_escaping_or_field_allowlists():
    found = {name: _hits(pattern, ".py") for name, pattern in BANNED.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_templates_never_switch_off_escaping():
    found = {name: _hits(pattern, ".html") for name, pattern in BANNED_IN_TEMPLATES.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_checks_find_what_they_look_for(tmp_path):
    # The patterns themselves must match the forms they ban, or the tests above prove nothing.
    assert BANNED["csrf_exempt"].search("@csrf_exempt")
    assert BANNED["a form taking every model field"].search('fields = "__all__"')
    assert BANNED["mark_safe"].search("return mark_safe(html)")
    assert BANNED_IN_TEMPLATES["the |safe filter"].search("{{ note|safe }}")
    assert BANNED_IN_TEMPLATES["autoescape off"].search("{% autoescape off %}")
