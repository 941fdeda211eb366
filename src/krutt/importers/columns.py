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
    """For each canonical field, the file's header that holds it; problems name missing ones.

    A column krutt reads that the header line names twice is a problem too: which of the
    two holds the right values cannot be known.
    """
    present: dict[str, str] = {}
    times: dict[str, int] = {}
    for header in headers:
        if header:
            key = normalise_header(header)
            present.setdefault(key, header)
            times[key] = times.get(key, 0) + 1
    found: dict[str, str] = {}
    problems: list[Problem] = []
    for field, names in aliases.items():
        for name in (field, *names):
            chosen = present.get(normalise_header(name))
            if chosen is not None:
                found[field] = chosen
                if times[normalise_header(name)] > 1:
                    problems.append(Problem.at(1, TWICE, column=chosen))
                break
    problems.extend(
        Problem.at(1, gettext_noop("The header line has no column {column}."), column=field)
        for field in required
        if field not in found
    )
    return found, problems


TWICE = gettext_noop("The header line has the column {column} twice; remove or rename one of them.")


def is_email(text: str) -> bool:
    return bool(EMAIL.match(text))
