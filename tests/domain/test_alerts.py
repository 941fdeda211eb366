"""Alerts beyond the allocation bands: neglect, sink or swim, slow ramp, support, stale data."""

from dataclasses import replace
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar

from krutt.domain.alerts import (
    Alert,
    AlertCode,
    neglect_alerts,
    ramp_alerts,
    stale_data_alerts,
    support_alerts,
    team_alerts,
)
from krutt.domain.messages import Hours, Message, render_plain
from krutt.domain.months import Month
from krutt.domain.policy import BIZTOOLS
from krutt.domain.ramp import RampHistory, RampRules, check_ramp
from krutt.domain.response import Response, ResponseCheck
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.domain.support import Sufficiency, SupportState, SupportStatus
from krutt.domain.team import TeamSeller, last_four_weeks
from tests.builders import steady_results

T = TypeVar("T")
ON = date(2026, 12, 1)
WINDOW = last_four_weeks(ON)  # 3 to 30 November 2026
TOP, NEW, CORE, UNDER = Segment.TOP, Segment.NEW, Segment.CORE, Segment.UNDER


def seller(
    seller_id: int, name: str, segment: Segment, received: int = 0, **fields: Any
) -> TeamSeller:
    base = TeamSeller(
        seller_id=SellerId(seller_id),
        email=f"{name.lower()}@firma.no",
        name=name,
        segment=segment,
        started_on=date(2019, 1, 7),
        received_minutes=Fraction(received),
        last_one_on_one=date(2026, 11, 20),
    )
    return replace(base, **fields)


EXHAUSTED = SupportStatus(
    seller_id=SellerId(7),
    state=SupportState.NOT_RESPONDING,
    plan=None,
    sufficiency=Sufficiency(
        written=True, days=101, minutes=480, sufficient=True, message=Message("x")
    ),
    response=ResponseCheck(
        response=Response.NOT_RESPONDING,
        before=Fraction(52, 100),
        since=Fraction(55, 100),
        months_before=3,
        months_since=3,
        message=Message("x"),
    ),
    decision=None,
    explanation=Message("x"),
)

# 30 hours over the four weeks. Fair shares: top 52.5 % split over two = 7.9 h each; new
# 25 % over two = 3.75 h each, half that for Nora, who joined on 17 November.
TEAM = [
    seller(1, "Kari", TOP, received=60),
    seller(2, "Ola", TOP, received=900, last_one_on_one=date(2026, 10, 15)),
    seller(3, "Nora", NEW, received=30, started_on=date(2026, 11, 17), last_one_on_one=None),
    seller(4, "Nils", NEW, received=300, started_on=date(2026, 6, 1)),
    seller(5, "Per", CORE, received=510),
    seller(6, "Lise", UNDER),
    seller(7, "Gro", UNDER, support=EXHAUSTED),
]


def sentences(alerts: list[Alert]) -> list[tuple[AlertCode, str | None, str]]:
    return [(a.code, a.seller_email, render_plain(a.message)) for a in alerts]


def present(value: T | None) -> T:
    assert value is not None
    return value


def test_top_sellers_under_half_their_fair_share_or_without_a_1_1_for_30_days_are_a_retention_risk() -> (
    None
):
    alerts = neglect_alerts(team=TEAM, policy=BIZTOOLS, window=WINDOW, on=ON)
    assert sentences(alerts) == [
        (
            AlertCode.TOP_NEGLECTED,
            "kari@firma.no",
            "Kari is a top seller and got 1.0 h of your time in the last four weeks, under half "
            "their fair share (7.9 h): a retention risk.",
        ),
        (
            AlertCode.TOP_NEGLECTED,
            "ola@firma.no",
            "Ola is a top seller and has had no 1:1 for 47 days: a retention risk.",
        ),
        (
            AlertCode.SINK_OR_SWIM,
            "nora@firma.no",
            "Nora is new and got 0.5 h of your time in the last four weeks, under half their fair "
            "share of the new sellers' band (1.9 h): sink or swim.",
        ),
    ]
    assert alerts[0].message.params["fair"] == Hours(Fraction(945, 2) / 60)
    assert (alerts[0].segment, alerts[0].seller_id) == (TOP, 1)


def test_both_reasons_make_one_sentence_and_no_1_1_on_record_counts_from_the_start() -> None:
    team = [
        seller(1, "Kari", TOP, received=0, last_one_on_one=date(2026, 10, 1)),
        seller(2, "Ola", TOP, received=600, last_one_on_one=None),
        seller(3, "Siv", TOP, received=600, last_one_on_one=None, started_on=date(2026, 11, 10)),
    ]
    assert [
        render_plain(a.message)
        for a in neglect_alerts(team=team, policy=BIZTOOLS, window=WINDOW, on=ON)
    ] == [
        "Kari is a top seller and got 0.0 h of your time in the last four weeks, under half their "
        "fair share (6.7 h), and no 1:1 for 61 days: a retention risk.",
        "Ola is a top seller and has no 1:1 on record: a retention risk.",
    ]


def test_no_time_at_all_is_not_neglect_of_anyone_in_particular() -> None:
    team = [seller(1, "Kari", TOP), seller(2, "Nora", NEW)]
    assert neglect_alerts(team=team, policy=BIZTOOLS, window=WINDOW, on=ON) == []


def test_a_non_deliverer_without_a_plan_and_one_whose_support_is_exhausted() -> None:
    assert sentences(support_alerts(TEAM)) == [
        (
            AlertCode.PRECONDITION_NOT_MET,
            "lise@firma.no",
            "Lise is not delivering but has no support plan. The 5–10 % rule assumes sufficient "
            "support first: agree a plan with a goal, actions and a review date.",
        ),
        (
            AlertCode.SUPPORT_EXHAUSTED,
            "gro@firma.no",
            "Gro has had sufficient support (101 days, 8.0 h of coaching and training) and went "
            "from 52% to 55%: consider a career or transition conversation. The decision is yours.",
        ),
    ]


def test_stale_data_is_a_missing_last_month_or_a_quiet_week() -> None:
    alerts = stale_data_alerts(
        on=ON, latest_performance=Month(2026, 10), last_time_recorded=date(2026, 11, 20)
    )
    assert sentences(alerts) == [
        (
            AlertCode.STALE_DATA,
            None,
            "No performance numbers for 2026-11 yet: segments are judged on older data.",
        ),
        (
            AlertCode.STALE_DATA,
            None,
            "No time recorded for 11 days (last on 2026-11-20): log time or import your calendar.",
        ),
    ]
    assert (
        stale_data_alerts(
            on=ON, latest_performance=Month(2026, 11), last_time_recorded=date(2026, 11, 25)
        )
        == []
    )
    assert [
        render_plain(a.message)
        for a in stale_data_alerts(on=ON, latest_performance=None, last_time_recorded=None)
    ] == [
        "No performance numbers for 2026-11 yet: segments are judged on older data.",
        "No time has been recorded yet: log time or import your calendar.",
    ]


def test_six_quiet_days_are_not_yet_stale() -> None:
    assert (
        stale_data_alerts(
            on=ON, latest_performance=Month(2026, 11), last_time_recorded=date(2026, 11, 25)
        )
        == []
    )
    assert (
        len(
            stale_data_alerts(
                on=ON, latest_performance=Month(2026, 11), last_time_recorded=date(2026, 11, 24)
            )
        )
        == 1
    )


# --- the ramp curve ----------------------------------------------------------------------------

PEERS = [
    RampHistory(
        seller_id=SellerId(20 + i),
        started_on=date(2024, 1, 1),
        results=steady_results("2024-01", "2024-12", attainment=a),
    )
    for i, a in enumerate(("0.8", "0.9", "1.0"))
]


def nils(attainment: str) -> RampHistory:
    return RampHistory(
        seller_id=SellerId(4),
        started_on=date(2026, 6, 1),
        results=steady_results("2026-06", "2026-11", attainment=attainment),
    )


def test_a_new_seller_behind_the_teams_ramp_curve() -> None:
    history = nils("0.6")
    check = present(check_ramp(seller=history, peers=[*PEERS, history], on=ON))
    assert (check.months, check.attainment, check.median, check.peers, check.behind) == (
        6,
        Fraction(3, 5),
        Fraction(9, 10),
        3,
        True,
    )
    assert sentences(ramp_alerts(team=TEAM, histories=[*PEERS, history], on=ON)) == [
        (
            AlertCode.SLOW_RAMP,
            "nils@firma.no",
            "Nils is at 60% of target over their first 6 months; the team's ramp curve is at 90% "
            "at the same point (the median of 3 earlier hires with a full first year).",
        )
    ]


def test_within_the_margin_of_the_median_is_on_track() -> None:
    # 80 % of the 90 % median is 72 %: 75 % is on track, 70 % is behind.
    assert not present(check_ramp(seller=nils("0.75"), peers=PEERS, on=ON)).behind
    assert present(check_ramp(seller=nils("0.70"), peers=PEERS, on=ON)).behind


def test_too_early_or_too_few_earlier_sellers_is_no_verdict() -> None:
    assert check_ramp(seller=nils("0.6"), peers=PEERS[:2], on=ON) is None
    one_month = RampHistory(
        seller_id=SellerId(4),
        started_on=date(2026, 10, 15),
        results=steady_results("2026-11", "2026-11", attainment="0.1"),
    )
    assert check_ramp(seller=one_month, peers=PEERS, on=ON) is None
    assert check_ramp(seller=nils("0.6"), peers=PEERS, on=ON, rules=RampRules(min_peers=4)) is None


# --- all together ------------------------------------------------------------------------------


def test_team_alerts_put_data_problems_first_then_the_most_serious() -> None:
    alerts = team_alerts(
        team=TEAM,
        policy=BIZTOOLS,
        window=WINDOW,
        on=ON,
        latest_performance=Month(2026, 11),
        last_time_recorded=date(2026, 11, 20),
        histories=[*PEERS, nils("0.6")],
    )
    assert [(a.code, a.seller_email) for a in alerts] == [
        (AlertCode.STALE_DATA, None),
        (AlertCode.SUPPORT_EXHAUSTED, "gro@firma.no"),
        (AlertCode.TOP_NEGLECTED, "kari@firma.no"),
        (AlertCode.TOP_NEGLECTED, "ola@firma.no"),
        (AlertCode.SINK_OR_SWIM, "nora@firma.no"),
        (AlertCode.SLOW_RAMP, "nils@firma.no"),
        (AlertCode.PRECONDITION_NOT_MET, "lise@firma.no"),
    ]
