"""The Results use case asks its source for the right months and weeks and builds the five views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from krutt.domain.messages import render_plain
from krutt.domain.months import Month
from krutt.domain.outcome import MonthTime, OutcomeData, OutcomeSeller, SegmentSpan
from krutt.domain.policy import BIZTOOLS
from krutt.domain.segments import Segment
from krutt.domain.sellers import SellerId
from krutt.services.outcome import outcome_report
from tests.builders import monthly


@dataclass
class FakeOutcomeSource:
    data: OutcomeData
    asked: list[tuple[int, Month, Month, date, date]] = field(default_factory=list)

    def outcome_data(
        self, *, manager_id: int, first: Month, last: Month, weeks_from: date, weeks_until: date
    ) -> OutcomeData:
        self.asked.append((manager_id, first, last, weeks_from, weeks_until))
        return self.data


def test_the_report_reads_the_complete_months_and_full_weeks_before_today():
    # Given one top seller with numbers and time in November 2026
    source = FakeOutcomeSource(
        OutcomeData(
            sellers=[
                OutcomeSeller(
                    seller_id=SellerId(1),
                    email="kari@x.no",
                    name="Kari",
                    started_on=date(2020, 1, 1),
                    ended_on=None,
                )
            ],
            spans=[
                SegmentSpan(seller_id=SellerId(1), valid_from=date(2020, 1, 1), segment=Segment.TOP)
            ],
            results={SellerId(1): monthly({"2026-11": (100, 110)})},
            time=[
                MonthTime(
                    seller_id=SellerId(1),
                    month=Month(2026, 11),
                    segment=Segment.TOP,
                    coaching=True,
                    sellers_in_entry=1,
                    minutes=60,
                )
            ],
            energy=[],
        )
    )
    # When the report is made on Wednesday 2 December 2026 for 24 months
    outcome = outcome_report(manager_id=7, today=date(2026, 12, 2), policy=BIZTOOLS, source=source)
    # Then it asked for December 2024 – November 2026 and the 12 weeks before this Monday
    assert source.asked == [
        (7, Month(2024, 9), Month(2026, 11), date(2026, 9, 7), date(2026, 11, 30))
    ]
    assert (outcome.first, outcome.last, len(outcome.team.months)) == (
        Month(2024, 12),
        Month(2026, 11),
        24,
    )
    assert outcome.team.months[-1].within_policy is True
    assert render_plain(outcome.team.message) == "Not enough months yet (1 of the 12 needed)."
    assert outcome.retention is None
