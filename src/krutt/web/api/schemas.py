"""The shapes of the API's answers: the same keys as the CLI's `--json` (they are contracts)."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from krutt.domain.activities import Activity

SegmentKey = Literal["top", "new", "core", "under"]
# The shapes of the CLI's --week, --month and day flags (the values are checked again in full).
WEEK = r"^\d{4}-W\d{2}$"
MONTH = r"^\d{4}-\d{2}$"
DAY = r"^\d{4}-\d{2}-\d{2}$"


class SegmentRow(Schema):
    email: str
    name: str
    segment: SegmentKey
    reason: str
    attainment: float | None
    tenure_months: int
    source: str
    tenure_days: int
    months_of_data: int
    since: str


class ReportSegment(Schema):
    hours: float
    share: float
    min: float
    max: float | None
    status: Literal["below", "within", "above", "empty"]
    sellers: int
    planned_hours: float


class ReportSeller(Schema):
    email: str
    name: str
    segment: SegmentKey
    hours: float
    share: float


class ReportAlert(Schema):
    code: str
    segment: SegmentKey | None
    seller: str | None
    message: str
    numbers: dict[str, Any]


class ReportMove(Schema):
    model_config = ConfigDict(populate_by_name=True)

    source: SegmentKey = Field(alias="from")
    target: SegmentKey = Field(alias="to")
    hours: float


class Report(Schema):
    """`krutt report --json`."""

    model_config = ConfigDict(populate_by_name=True)

    manager: str
    first: str = Field(alias="from")
    last: str = Field(alias="to")
    policy: str
    seller_hours: float
    team_wide_hours: float
    planned_hours: float
    segments: dict[SegmentKey, ReportSegment]
    sellers: list[ReportSeller]
    alerts: list[ReportAlert]
    moves: list[ReportMove]
    # The manager's own estimate of the split, for one ISO week they gave one for.
    perceived: dict[SegmentKey, float] | None
    # Calendar measurement not announced (or due for review) for a team: § 9-2.
    warnings: list[str]


class SellerOut(Schema):
    id: int
    name: str
    email: str
    team: str
    started_on: str
    ended_on: str | None
    active: bool


class SellerPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SellerOut]


class TimeEntryIn(Schema):
    """One piece of time, as `krutt log` takes it (sellers by e-mail; a group is split evenly)."""

    model_config = ConfigDict(extra="forbid")

    seller: list[str] = Field(min_length=1, max_length=50)
    minutes: int = Field(ge=1, le=24 * 60)
    activity: Activity
    at: str | None = Field(default=None, max_length=40)
    note: str = Field(default="", max_length=2000)
    energy: int | None = Field(default=None, ge=1, le=5)


class TimeEntryBatch(Schema):
    model_config = ConfigDict(extra="forbid")

    entries: list[TimeEntryIn] = Field(min_length=1, max_length=500)


class TimeEntryOut(Schema):
    id: int
    manager: str
    sellers: list[str]
    start: str
    end: str
    day: str
    minutes: int
    activity: str
    source: str
    note: str
    energy: int | None


class TimeEntryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[TimeEntryOut]


class Created(Schema):
    entries: list[TimeEntryOut]
