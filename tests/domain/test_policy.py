from fractions import Fraction

import pytest

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.policy import BIZTOOLS, CORE_FOCUS, Band, custom_policy, preset
from krutt.domain.segments import Segment


def test_the_default_policy_is_the_rule_of_thumb():
    assert preset("biztools") is BIZTOOLS
    assert BIZTOOLS.band(Segment.TOP) == Band(minimum=Fraction(1, 2), maximum=None)
    assert BIZTOOLS.band(Segment.NEW) == Band(minimum=Fraction(1, 5), maximum=Fraction(3, 10))
    assert BIZTOOLS.band(Segment.CORE) == Band(minimum=Fraction(1, 10), maximum=Fraction(1, 5))
    assert BIZTOOLS.band(Segment.UNDER) == Band(minimum=Fraction(1, 20), maximum=Fraction(1, 10))


def test_core_focus_weights_the_middle():
    assert preset("core-focus") is CORE_FOCUS
    assert CORE_FOCUS.band(Segment.CORE) == Band(minimum=Fraction(2, 5), maximum=Fraction(1, 2))
    assert CORE_FOCUS.band(Segment.TOP) == Band(minimum=Fraction(1, 5), maximum=Fraction(3, 10))


def test_every_preset_explains_itself_with_a_source():
    for policy in (BIZTOOLS, CORE_FOCUS):
        assert len(policy.rationale) > 200
        assert policy.source


def test_an_unknown_preset_names_the_choices():
    with pytest.raises(InvalidInput) as error:
        preset("gut-feeling")
    assert (
        render_plain(error.value.message)
        == "Unknown policy gut-feeling; choose one of biztools, core-focus."
    )


def test_a_band_whose_minimum_exceeds_its_maximum_is_refused():
    bands = dict(BIZTOOLS.bands)
    bands[Segment.CORE] = Band(minimum=Fraction(3, 10), maximum=Fraction(1, 5))
    with pytest.raises(InvalidInput) as error:
        custom_policy(base=BIZTOOLS, bands=bands)
    assert "is above its maximum" in render_plain(error.value.message)


def test_minimums_adding_up_to_more_than_everything_are_refused():
    bands = dict(BIZTOOLS.bands)
    bands[Segment.NEW] = Band(minimum=Fraction(2, 5), maximum=Fraction(1, 2))
    bands[Segment.CORE] = Band(minimum=Fraction(1, 5), maximum=Fraction(1, 5))
    with pytest.raises(InvalidInput) as error:
        custom_policy(base=BIZTOOLS, bands=bands)
    assert (
        render_plain(error.value.message)
        == "The minimums add up to 115%; together they can be at most 100%."
    )


def test_the_band_contains_its_edges():
    band = Band(minimum=Fraction(1, 10), maximum=Fraction(1, 5))
    assert band.contains(Fraction(1, 10))
    assert band.contains(Fraction(1, 5))
    assert not band.contains(Fraction(201, 1000))
    assert Band(minimum=Fraction(1, 2), maximum=None).contains(Fraction(1))
