"""What krutt thinks of a seller, as words: the vocabulary no exported calendar may carry.

Built from the real catalogue rather than a hand list: every segment label, every reason
a plan can give (each msgid in `purposes.py`, singular and plural), the labels of the
conversations that are themselves a verdict (performance, career, transition, change of
role), the support states and the response sentences (attainment), each in English and
in its Norwegian msgstr. A sentence with placeholders counts by its fixed pieces.
Needs Django's translations (web and CLI tests).
"""

from __future__ import annotations

import ast
import re
from datetime import date
from fractions import Fraction
from pathlib import Path

from django.utils import translation
from icalendar import Calendar

import krutt.domain.purposes
import krutt.domain.response
from krutt.domain.activities import ACTIVITY_LABELS, Activity
from krutt.domain.messages import Message
from krutt.domain.response import Response, ResponseCheck
from krutt.domain.segments import SEGMENT_LABELS, SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.domain.support import (
    DECISION_LABELS,
    Decision,
    ManagerDecision,
    SupportState,
    SupportStatus,
)
from krutt.domain.team import TeamSeller
from krutt.web.ui.templatetags.krutt import SUPPORT_STATES

VERDICT_ACTIVITIES = (Activity.PERFORMANCE_TALK, Activity.CAREER_TALK)
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _msgids(module_file: str) -> list[str]:
    """Every string marked with gettext_noop or plural_noop in a module."""
    tree = ast.parse(Path(module_file).read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"gettext_noop", "plural_noop"}
        ):
            found += [a.value for a in node.args if isinstance(a, ast.Constant)]
    return found


def _translations(msgid: str) -> list[str]:
    texts = [msgid]
    with translation.override("nb"):
        texts.append(translation.gettext(msgid))
    return texts


def _pieces(text: str) -> list[str]:
    """The fixed parts of a sentence long enough to mean something (not «.» or «, »)."""
    parts = (p.strip(" .,:;()–-\n") for p in _PLACEHOLDER.split(text))
    return [p.lower() for p in parts if sum(c.isalpha() for c in p) >= 6]


def verdict_vocabulary() -> set[str]:
    labels = [
        *SEGMENT_LABELS.values(),
        *(ACTIVITY_LABELS[a] for a in VERDICT_ACTIVITIES),
        *DECISION_LABELS.values(),
        *SUPPORT_STATES.values(),
    ]
    sentences = [
        *_msgids(krutt.domain.purposes.__file__),
        *_msgids(krutt.domain.response.__file__),
    ]
    words = {text.lower() for m in labels for text in _translations(m)}
    words |= {piece for m in sentences for text in _translations(m) for piece in _pieces(text)}
    # The codes themselves (a CATEGORIES or X- property could carry them raw).
    words |= {a.value for a in VERDICT_ACTIVITIES} | {s.value for s in SupportState}
    assert len(words) > 40, words  # the catalogue was read, not an empty list
    return words


def exported_text(ics: bytes) -> str:
    """The whole file (every property and parameter), unfolded and unescaped, lowercased."""
    Calendar.from_ical(ics)  # it is a calendar
    text = re.sub(r"\r?\n[ \t]", "", ics.decode("utf-8"))
    text = text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
    return text.lower()


def verdicts_in(ics: bytes) -> set[str]:
    """The verdict words found anywhere in an exported calendar (empty is the rule).

    Whole words only for the short codes («core» is not in «score»); a percentage is
    attainment, so any «%» counts too.
    """
    text = exported_text(ics)
    found = {w for w in verdict_vocabulary() if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)}
    if "%" in text:
        found.add("%")
    return found


def _status(state: SupportState, **fields: object) -> SupportStatus:
    values: dict[str, object] = {
        "plan": None,
        "sufficiency": None,
        "response": None,
        "decision": None,
        **fields,
    }
    return SupportStatus(seller_id=SellerId(0), state=state, explanation=Message("x"), **values)  # type: ignore[arg-type]


def every_purpose_team() -> list[TeamSeller]:
    """Sellers who together get every reason a plan gives: each segment, each support state
    and decision, with and without a 1:1 on record."""
    responding = ResponseCheck(
        response=Response.RESPONDING,
        before=Fraction(52, 100),
        since=Fraction(71, 100),
        months_before=3,
        months_since=3,
        message=Message("x"),
    )
    decided = {
        d: ManagerDecision(decision=d, decided_on=date(2026, 11, 20), reason="agreed")
        for d in Decision
    }
    under = [
        None,
        _status(SupportState.NEEDS_PLAN),
        _status(SupportState.IN_SUPPORT),
        _status(SupportState.RESPONDED),
        _status(SupportState.RESPONDED, response=responding),
        _status(SupportState.NOT_RESPONDING),
        *(_status(SupportState.NOT_RESPONDING, decision=d) for d in decided.values()),
    ]
    names = iter(
        [
            "Hanna Eide",
            "Ola Ås",
            "Nora Li",
            "Per Dahl",
            "Lise Moe",
            "Erik Bø",
            "Siri Lund",
            "Tor Vik",
            "Eva Haug",
            "Jon Sand",
            "Ida Holm",
            "Are Strand",
            "Kai Berg",
        ]
    )
    team: list[TeamSeller] = []

    def add(segment: Segment, **fields: object) -> None:
        name = next(names)
        number = len(team) + 1
        team.append(
            TeamSeller(
                seller_id=SellerId(number),
                email=f"seller{number}@firma.no",
                name=name,
                segment=segment,
                started_on=fields.pop("started_on", date(2020, 1, 6)),  # type: ignore[arg-type]
                **fields,  # type: ignore[arg-type]
            )
        )

    add(Segment.TOP)
    add(Segment.TOP, last_one_on_one=date(2026, 11, 9))
    add(Segment.NEW, started_on=date(2026, 10, 26))
    add(Segment.CORE)
    for support in under:
        add(Segment.UNDER, support=support)
    assert {s.segment for s in team} == set(SEGMENT_ORDER)
    return team
