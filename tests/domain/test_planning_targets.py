"""Target shares of the segments: band midpoints, the open band takes the rest, empty segments give way."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from krutt.domain.policy import BIZTOOLS, CORE_FOCUS, AllocationPolicy, Band, custom_policy
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.targets import fair_minutes, policy_aims, target_shares

TOP, NEW, CORE, UNDER = Segment.TOP, Segment.NEW, Segment.CORE, Segment.UNDER


def test_the_open_top_band_aims_at_what_the_other_midpoints_leave() -> None:
    assert policy_aims(BIZTOOLS) == {
        TOP: Fraction(21, 40),
        NEW: Fraction(1, 4),
        CORE: Fraction(3, 20),
        UNDER: Fraction(3, 40),
    }


def test_a_full_team_gets_the_aims_which_add_up_to_everything() -> None:
    targets = target_shares(BIZTOOLS, SEGMENT_ORDER)
    assert targets.shares == policy_aims(BIZTOOLS)
    assert targets.within_bands


def test_a_segment_without_sellers_gives_its_share_to_the_others_in_proportion() -> None:
    targets = target_shares(BIZTOOLS, [TOP, NEW, CORE])
    assert targets.shares == {TOP: Fraction(21, 37), NEW: Fraction(10, 37), CORE: Fraction(6, 37)}
    assert targets.share(UNDER) == 0


def test_a_share_handed_on_stops_at_the_receiving_band_maximum() -> None:
    # In proportion «not delivering» would get 7.5/60 = 12.5 %, above its 10 % maximum.
    targets = target_shares(BIZTOOLS, [TOP, UNDER])
    assert targets.shares == {TOP: Fraction(9, 10), UNDER: Fraction(1, 10)}
    assert targets.within_bands


def test_closed_bands_all_scale_down_when_their_midpoints_overshoot() -> None:
    targets = target_shares(CORE_FOCUS, SEGMENT_ORDER)
    assert targets.shares == {
        TOP: Fraction(10, 41),
        NEW: Fraction(10, 41),
        CORE: Fraction(18, 41),
        UNDER: Fraction(3, 41),
    }


def test_an_open_band_never_aims_below_its_minimum() -> None:
    bands = dict(BIZTOOLS.bands)
    bands[NEW] = Band(minimum=Fraction(3, 10), maximum=Fraction(2, 5))
    policy = custom_policy(base=BIZTOOLS, bands=bands)
    assert policy_aims(policy)[TOP] == Fraction(1, 2)
    assert target_shares(policy, SEGMENT_ORDER).shares == {
        TOP: Fraction(1, 2),
        NEW: Fraction(7, 23),
        CORE: Fraction(3, 23),
        UNDER: Fraction(3, 46),
    }


def test_bands_too_small_for_all_the_time_give_each_its_maximum_and_the_rest_in_proportion() -> (
    None
):
    targets = target_shares(BIZTOOLS, [NEW, CORE])
    assert targets.shares == {NEW: Fraction(49, 80), CORE: Fraction(31, 80)}
    assert not targets.within_bands
    only_under = target_shares(BIZTOOLS, [UNDER])
    assert (only_under.shares, only_under.within_bands) == ({UNDER: Fraction(1)}, False)


def test_no_sellers_no_shares() -> None:
    targets = target_shares(BIZTOOLS, [])
    assert (dict(targets.shares), targets.within_bands) == ({}, True)


def test_a_fair_share_is_the_segment_target_split_evenly() -> None:
    targets = target_shares(BIZTOOLS, SEGMENT_ORDER)
    assert (
        fair_minutes(targets=targets, segment=TOP, members=3, total_minutes=Fraction(2400)) == 420
    )
    assert fair_minutes(targets=targets, segment=NEW, members=0, total_minutes=Fraction(2400)) == 0


# --- invariants -------------------------------------------------------------------------------

tenths = st.integers(0, 10).map(lambda n: Fraction(n, 20))


@st.composite
def policies(draw: st.DrawFn) -> AllocationPolicy:
    bands = {}
    for segment in SEGMENT_ORDER:
        low = draw(tenths)
        high = draw(st.one_of(st.none(), st.integers(0, 20).map(lambda n: Fraction(n, 20))))
        if high is not None and high < low:
            low, high = high, low
        bands[segment] = Band(minimum=low, maximum=high)
    total = sum((b.minimum for b in bands.values()), Fraction(0))
    if total > 1:
        bands = {s: Band(minimum=b.minimum / total, maximum=b.maximum) for s, b in bands.items()}
        bands = {
            s: Band(
                minimum=b.minimum,
                maximum=max(b.maximum, b.minimum) if b.maximum is not None else None,
            )
            for s, b in bands.items()
        }
    return custom_policy(base=BIZTOOLS, bands=bands)


def _upper(band: Band) -> Fraction:
    return band.maximum if band.maximum is not None else Fraction(1)


@given(policies(), st.sets(st.sampled_from(SEGMENT_ORDER), min_size=1))
def test_shares_add_up_to_one_and_keep_within_bands_whenever_the_bands_allow(
    policy: AllocationPolicy, present: set[Segment]
) -> None:
    targets = target_shares(policy, present)
    assert set(targets.shares) == present
    assert sum(targets.shares.values()) == 1
    assert all(share >= 0 for share in targets.shares.values())
    room = sum((_upper(policy.band(s)) for s in present), Fraction(0))
    if room >= 1:
        assert targets.within_bands
        assert all(policy.band(s).contains(targets.shares[s]) for s in present)
