"""Domain messages in the shell: stored exactly, shown the way each language writes numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from krutt.domain.messages import Hours, Label, Message, Percent
from krutt.domain.segments import Segment
from krutt.web.messages import decode_message, encode_message, render

MESSAGE = Message(
    "{segment} got {share} of your seller time ({hours}); the policy says at least {minimum}.",
    {
        "segment": Segment.TOP.label,
        "share": Percent(Fraction(2, 7)),
        "hours": Hours(Fraction(5, 4)),
        "minimum": Percent(Fraction(1, 2)),
    },
)


def test_a_message_survives_storage_exactly():
    message = Message(
        "x {a} {b} {c} {d} {e} {f} {g}",
        {
            "a": Percent(Fraction(1, 3)),
            "b": Hours(Fraction(7, 3)),
            "c": Label("Top performers"),
            "d": date(2026, 11, 2),
            "e": 3,
            "f": "tekst",
            "g": Decimal("12.50"),
        },
    )
    assert decode_message(encode_message(message)) == message


def test_norwegian_writes_decimal_commas_spaced_percent_and_t_for_hours():
    assert (
        render(MESSAGE, "nb")
        == "De beste fikk 29\u00a0% av selgertiden din (1,3\u00a0t); policyen sier minst 50\u00a0%."
    )


def test_english_writes_decimal_points():
    assert (
        render(MESSAGE, "en")
        == "Top performers got 29% of your seller time (1.3\u00a0h); the policy says at least 50%."
    )


def test_dates_are_day_first_in_norwegian_and_iso_in_english():
    message = Message(
        "New seller: started {start}, ramp period until {until}.",
        {"start": date(2026, 9, 1), "until": date(2027, 3, 1)},
    )
    assert render(message, "nb") == "Ny selger: startet 01.09.2026, opplæringstid til 01.03.2027."
    assert render(message, "en") == "New seller: started 2026-09-01, ramp period until 2027-03-01."


def test_a_count_of_one_reads_in_the_singular_in_both_languages():
    from krutt.domain.messages import Percent, plural_noop
    from krutt.web.messages import decode_message, encode_message, render

    def reason(months):
        return Message.counted(
            plural_noop(
                "Attainment {attainment} over {months} month.",
                "Attainment {attainment} over {months} months.",
            ),
            "months",
            {"attainment": Percent(Fraction(6, 5)), "months": months},
        )

    assert render(reason(1), "en") == "Attainment 120% over 1 month."
    assert render(reason(6), "en") == "Attainment 120% over 6 months."
    assert render(reason(1), "nb") == "Måloppnåelse 120\u00a0% over 1 måned."
    assert render(reason(6), "nb") == "Måloppnåelse 120\u00a0% over 6 måneder."
    # Stored reasons keep their plural form.
    assert decode_message(encode_message(reason(1))) == reason(1)
