"""The first day a calendar file has an event on, which starts an import without a period."""

from datetime import date

import pytest

from krutt.importers.ics_span import first_event_day
from tests.importers.ics_files import ics

ZONE = "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"


@pytest.mark.parametrize(
    "dtstart",
    [
        f'DTSTART;TZID="{ZONE}":20261103T090000',
        'DTSTART;TZID="tzone://Microsoft/Custom":20261103T090000',
        'DTSTART;X-NOTE="a;b:c,d";TZID="Zone: one":20261103T090000',
        'DTSTART;TZID="W. Europe Standard Time:20261103T090000"',  # the quote misplaced
        'DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin, Bern,\r\n  Rome":20261103T090000',
        "dtstart;value=date:20261103",
    ],
)
def test_the_day_is_read_after_quoted_parameters_holding_colons_and_folds(dtstart):
    later = "UID:later\r\nDTSTART:20261201T090000Z\r\nSUMMARY:later"
    data = ics(later, f"UID:first\r\n{dtstart}\r\nSUMMARY:first")

    assert first_event_day(data) == date(2026, 11, 3)
    assert first_event_day(data.replace(b"\r\n", b"\r")) == date(2026, 11, 3)


def test_only_events_count_and_an_unreadable_start_is_passed_over():
    zone = (
        f"BEGIN:VTIMEZONE\r\nTZID:{ZONE}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
        "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    data = ics(
        'UID:a\r\nDTSTART;TZID="unclosed:20200101T090000',
        "UID:b\r\nDTSTART:20261399T090000",
        f'UID:c\r\nDTSTART;TZID="{ZONE}":20261110T090000',
        head=zone,
    )

    assert first_event_day(data) == date(2026, 11, 10)
    assert first_event_day(ics("UID:none\r\nSUMMARY:no start")) is None
