"""An organisation's won and lost stage names: trimmed, each once, never both won and lost."""

import pytest

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.importers.outcome_names import OutcomeNames, outcome_names


def refusal(**names: list[str]) -> str:
    with pytest.raises(InvalidInput) as caught:
        outcome_names(won=names.get("won", []), lost=names.get("lost", []))
    return render_plain(caught.value.message)


def test_names_are_trimmed_and_kept_once_whatever_their_case_and_spacing():
    names = outcome_names(won=[" Signert ", "SIGNERT", "Levert  til kunde"], lost=["Avbrutt"])

    assert names == OutcomeNames(won=("Signert", "Levert til kunde"), lost=("Avbrutt",))


def test_a_name_in_both_lists_is_refused():
    assert refusal(won=["Signert", "Avbrutt"], lost=["avbrutt"]) == (
        "Avbrutt would count as both won and lost; a name can only be one."
    )


def test_a_name_krutt_already_reads_the_other_way_is_refused():
    assert refusal(won=["Tapt"]) == "Tapt would count as both won and lost; a name can only be one."
    assert refusal(lost=["Closed-Won"]) == (
        "Closed-Won would count as both won and lost; a name can only be one."
    )


def test_an_empty_name_is_refused():
    assert refusal(won=["Signert", "  "]) == "A won or lost stage name cannot be empty."
    assert refusal(lost=["--"]) == "A won or lost stage name cannot be empty."


def test_an_organisations_names_and_one_imports_add_up():
    organisation = OutcomeNames(won=("Signert",), lost=("Avbrutt",))

    together = organisation.plus(OutcomeNames(won=("Levert", "signert")))

    assert together == OutcomeNames(won=("Signert", "Levert"), lost=("Avbrutt",))
    with pytest.raises(InvalidInput):
        organisation.plus(OutcomeNames(lost=("Signert",)))
