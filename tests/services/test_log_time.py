from datetime import UTC, date, datetime

import pytest

from krutt.domain.activities import Activity
from krutt.domain.errors import InvalidInput
from krutt.domain.messages import render_plain
from krutt.domain.sellers import SellerId
from krutt.services.log_time import log_time
from tests.services.fakes import FakeTimeLog

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
TEAM = {SellerId(1): (date(2020, 1, 1), None), SellerId(2): (date(2026, 12, 1), None)}


def _log(log: FakeTimeLog, **overrides):
    args = {
        "log": log,
        "manager_id": 7,
        "seller_ids": [SellerId(1)],
        "started_at": datetime(2026, 11, 17, 8, tzinfo=UTC),
        "local_day": date(2026, 11, 17),
        "minutes": 45,
        "activity": Activity.COACHING,
        "now": NOW,
    }
    args.update(overrides)
    return log_time(**args)


def test_an_entry_is_stored_with_its_sellers_once_each():
    log = FakeTimeLog(team=dict(TEAM))
    _log(log, seller_ids=[SellerId(1), SellerId(1)], note="  Deal review  ", energy=4)
    assert len(log.added) == 1
    assert log.added[0].seller_ids == (SellerId(1),)
    assert (log.added[0].note, log.added[0].energy, log.added[0].minutes) == ("Deal review", 4, 45)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"minutes": 0}, "Minutes must be between 1 and 1440."),
        ({"minutes": 1441}, "Minutes must be between 1 and 1440."),
        ({"energy": 6}, "Energy is rated from 1 (easy) to 5 (draining)."),
        ({"seller_ids": []}, "Name at least one seller."),
        (
            {"started_at": datetime(2026, 11, 28, 12, tzinfo=UTC)},
            "Time can be logged when it has been spent, not more than a day ahead.",
        ),
        ({"seller_ids": [SellerId(2)]}, "Seller 2 <s2@x.no> is not on your team on 2026-11-17."),
    ],
)
def test_bad_entries_are_refused_with_a_reason_and_nothing_is_stored(overrides, message):
    log = FakeTimeLog(team=dict(TEAM))
    with pytest.raises(InvalidInput) as error:
        _log(log, **overrides)
    assert render_plain(error.value.message) == message
    assert log.added == []
