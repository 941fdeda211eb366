"""What a kept CalDAV object holds: only what the calendar import reads."""

from __future__ import annotations

from krutt.connections.minimise import minimal_object
from krutt.services.calendar_time import DEFAULT_ACTIVITY_KEYWORDS, read_words

EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:abc-1\r\nDTSTART;TZID=Europe/Oslo:20261110T090000\r\n"
    "DTEND;TZID=Europe/Oslo:20261110T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
    "SUMMARY:Coaching Kari Nordmann om lønn og skilsmisse\r\n"
    "DESCRIPTION:Privat: snakke om helsa\r\nLOCATION:Kafé Sentrum\r\n"
    'ORGANIZER;CN="Boss":mailto:ingrid@firma.example\r\n'
    "ATTENDEE;CN=Kari;PARTSTAT=ACCEPTED:mailto:kari@firma.example\r\n"
    "ATTENDEE;CN=Kunde Hansen;CUTYPE=INDIVIDUAL;PARTSTAT=DECLINED:mailto:kunde@annet.example\r\n"
    "BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nDESCRIPTION:Påminnelse\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


def _minimal() -> str:
    keywords = [k for k, _ in DEFAULT_ACTIVITY_KEYWORDS]
    known = {"ingrid@firma.example", "kari@firma.example"}
    return minimal_object(
        EVENT,
        summary=lambda s: read_words(s, keywords=keywords, names=["Kari Nordmann"]),
        known=known.__contains__,
    ).decode()


def test_the_subject_keeps_only_the_keyword_and_the_sellers_name():
    assert "SUMMARY:Coaching Kari Nordmann\r\n" in _minimal()


def test_description_location_alarm_and_outsiders_are_gone():
    text = _minimal()
    for gone in ("helsa", "Kafé", "Påminnelse", "VALARM", "Kunde", "kunde@annet.example", "lønn"):
        assert gone not in text, gone
    # The outsider is still a (declined) guest, so the meeting still had others present.
    assert "ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=DECLINED:mailto:guest-1@guests.invalid" in text
    assert "ATTENDEE;PARTSTAT=ACCEPTED:mailto:kari@firma.example" in text


def test_identity_times_recurrence_and_zones_stay_as_they_were():
    text = _minimal()
    for kept in (
        "UID:abc-1\r\n",
        "DTSTART;TZID=Europe/Oslo:20261110T090000\r\n",
        "DTEND;TZID=Europe/Oslo:20261110T100000\r\n",
        "RRULE:FREQ=WEEKLY;COUNT=3\r\n",
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\nEND:VTIMEZONE\r\n",
    ):
        assert kept in text, kept


def test_a_keyword_inside_a_compound_and_a_two_word_keyword_are_kept():
    keywords = ["pipeline", "felles kundebesøk", "1:1"]
    assert read_words("Pipelinemøte Q4 budsjett", keywords=keywords, names=[]) == "Pipelinemøte"
    assert (
        read_words("Felles kundebesøk hos Equinor", keywords=keywords, names=[])
        == "Felles kundebesøk"
    )
    assert read_words("1:1 Ola - lønnssamtale", keywords=keywords, names=["Ola Hansen"]) == (
        "1:1 Ola"
    )
