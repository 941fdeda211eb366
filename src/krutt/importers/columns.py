"""Header names users give the columns krutt reads, in English and Norwegian."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from krutt.domain.messages import gettext_noop
from krutt.importers.problems import Problem

EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def normalise_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", "_", name.strip().lower())


def map_columns(
    headers: Sequence[str], aliases: Mapping[str, Sequence[str]], *, required: Sequence[str]
) -> tuple[dict[str, str], list[Problem]]:
    """For each canonical field, the file's header that holds it; problems name missing ones."""
    present = {normalise_header(h): h for h in headers if h}
    found: dict[str, str] = {}
    for field, names in aliases.items():
        for name in (field, *names):
            header = present.get(normalise_header(name))
            if header is not None:
                found[field] = header
                break
    problems = [
        Problem.at(1, gettext_noop("The header line has no column {column}."), column=field)
        for field in required
        if field not in found
    ]
    return found, problems


def is_email(text: str) -> bool:
    return bool(EMAIL.match(text))
