"""Reading CRM deal exports: the four sample files, the shapes real exports take, bad bytes."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from krutt.domain.messages import render_plain
from krutt.importers.deals import NOT_UTF8, Deal, DealsRead, DealStatus, read_deals, stream_deals
from krutt.importers.delimited import iter_records
from tests.conftest import DATA
from tests.importers.spreadsheets import make_xlsx

CRM = DATA / "crm"
SAMPLES = {
    "hubspot-deals.csv": ("hubspot", "utf-8"),
    "pipedrive-deals.csv": ("pipedrive", "utf-8"),
    "salesforce-opportunities-nb.csv": ("salesforce", "utf-8-sig"),
    "superoffice-salg.csv": ("superoffice", "cp1252"),
}


def texts(read: DealsRead) -> list[tuple[int, str]]:
    return [(p.line, render_plain(p.message)) for p in read.problems]


def skipped(read: DealsRead) -> list[tuple[int, str]]:
    return [(s.line, render_plain(s.reason)) for s in read.skipped]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_export_is_recognised_and_read_whole(name):
    read = read_deals((CRM / name).read_bytes())
    assert (read.preset, read.encoding) == SAMPLES[name]
    assert read.detected is True
    assert read.header_line == 1
    assert read.problems == []
    assert Counter(d.status for d in read.deals) == {
        DealStatus.WON: 224,
        DealStatus.LOST: 75,
        DealStatus.OPEN: 43,
    }
    first = read.deals[0]
    assert (
        first.line,
        first.name,
        first.owner,
        first.amount,
        first.closed_on,
        first.created_on,
    ) == (
        2,
        "Lisens 1",
        "Kari Nordmann",
        Decimal("1700") if name == "hubspot-deals.csv" else Decimal("1700.00"),
        date(2026, 1, 26),
        date(2025, 11, 20),
    )


def test_the_salesforce_footer_is_skipped_line_by_line():
    read = read_deals((CRM / "salesforce-opportunities-nb.csv").read_bytes())
    assert skipped(read) == [
        (345, "A total line."),
        (346, "A report footer line."),
        (347, "A report footer line."),
    ]
    assert read.deals[-1].line == 343
    assert read.deals[-1].deal_id == "00621874312654"


def test_a_windows_1252_file_keeps_its_norwegian_letters():
    read = read_deals((CRM / "superoffice-salg.csv").read_bytes())
    assert read.deals[1].account == "Mjøsa Maskin AS"
    assert read.mapping["amount"] == "Beløp"


def test_pipedrive_reads_the_won_time_before_the_expected_close_date():
    read = read_deals((CRM / "pipedrive-deals.csv").read_bytes())
    assert read.mapping["won_on"] == "Deal - Won time"
    assert read.mapping["closed_on"] == "Deal - Expected close date"
    won, lost = read.deals[0], next(d for d in read.deals if d.status is DealStatus.LOST)
    assert (won.line, won.closed_on) == (2, date(2026, 1, 26))
    # A lost deal has no won time: its close day comes from the next column.
    assert (lost.line, lost.closed_on, lost.currency) == (13, date(2026, 3, 14), "NOK")


def test_the_hubspot_sample_gives_exact_deals():
    read = read_deals((CRM / "hubspot-deals.csv").read_bytes())
    assert read.deals[0] == Deal(
        line=2,
        deal_id="21874300037",
        name="Lisens 1",
        owner="Kari Nordmann",
        owner_email=None,
        amount=Decimal("1700"),
        currency=None,
        status=DealStatus.WON,
        stage="Closed won",
        closed_on=date(2026, 1, 26),
        created_on=date(2025, 11, 20),
        account="Fjordfisk AS",
    )


SUPEROFFICE_WHOLE = (
    "Salg;Firma;Eier;Beløp;Valuta;Status;Salgsdato;Fase;Registrert\n"
    "Lisens 1;Fjordfisk AS;Kari Nordmann;250.000;NOK;Solgt;10.03.2026;Avsluttet;05.01.2026\n"
    "Lisens 2;Fjordfisk AS;Kari Nordmann;1.234;NOK;Solgt;12.03.2026;Avsluttet;05.01.2026\n"
    "Pilot 3;Vidde Energi AS;Ola Hansen;12.500;NOK;Solgt;02.04.2026;Avsluttet;05.01.2026\n"
)
HUBSPOT_WHOLE = (
    "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Create Date\n"
    '1,Lisens 1,Closed won,2026-03-10,Kari Nordmann,"250,000",2026-01-05\n'
    '2,Lisens 2,Closed won,2026-03-12,Kari Nordmann,"1,234",2026-01-05\n'
    "3,Pilot 3,Closed lost,2026-04-02,Ola Hansen,900,2026-01-05\n"
)


AMBIGUOUS = (
    "{value} in {column} is ambiguous: its separator could group thousands or start three "
    "decimals. Export the amounts with two decimals or without thousands separators."
)


@pytest.mark.parametrize(
    ("data", "preset"),
    [(SUPEROFFICE_WHOLE, "superoffice"), (HUBSPOT_WHOLE, "hubspot")],
)
def test_whole_amounts_grouped_in_thousands_are_read_whole(data, preset):
    read = read_deals(data.encode("utf-8"))
    assert (read.preset, read.problems) == (preset, [])
    assert [deal.amount for deal in read.deals] == [
        Decimal("250000"),
        Decimal("1234"),
        Decimal("12500") if preset == "superoffice" else Decimal("900"),
    ]


def test_an_amount_the_column_leaves_ambiguous_is_a_problem_on_its_line():
    data = (
        b"Deal owner,Amount,Deal Stage,Close Date\n"
        b'Kari Nordmann,"1,234",Closed won,2026-01-26\n'
        b"Kari Nordmann,1.234,Closed won,2026-01-26\n"
        b"Kari Nordmann,17,Closed won,2026-01-26\n"
    )
    read = read_deals(data)
    assert texts(read) == [
        (
            2,
            AMBIGUOUS.format(value="1,234", column="Amount"),
        ),
        (
            3,
            AMBIGUOUS.format(value="1.234", column="Amount"),
        ),
    ]
    assert [deal.amount for deal in read.deals] == [Decimal("17")]


def test_three_decimals_in_a_column_whose_decimal_mark_is_known_are_ambiguous_too():
    data = (
        "Eier;Beløp;Status;Salgsdato\n"
        "Kari Nordmann;1 700,50;Solgt;26.01.2026\n"
        "Kari Nordmann;1,234;Solgt;26.01.2026\n"
        "Kari Nordmann;0,125;Solgt;26.01.2026\n"
    ).encode()
    read = read_deals(data)
    assert texts(read) == [
        (
            3,
            AMBIGUOUS.format(value="1,234", column="Beløp"),
        )
    ]
    assert [deal.amount for deal in read.deals] == [Decimal("1700.50"), Decimal("0.125")]


def test_an_amount_after_the_sample_with_the_other_decimal_mark_is_named_as_such():
    rows = "".join(f"Kari Nordmann;{n}.000;Solgt;26.01.2026\n" for n in range(1, 601))
    data = "Eier;Beløp;Status;Salgsdato\n" + rows + "Kari Nordmann;1.5;Solgt;26.01.2026\n"
    read = read_deals(data.encode())
    assert texts(read) == [
        (
            602,
            "1.5 in Beløp uses its separators the other way round from the other amounts in "
            "the column.",
        )
    ]
    assert [deal.amount for deal in read.deals] == [Decimal(n * 1000) for n in range(1, 601)]


def test_a_norwegian_salesforce_export_is_recognised_by_its_opportunity_labels():
    data = (
        "Salgsmulighetseier;Kontonavn;Salgsmulighetsnavn;Fase;Beløp;Avslutningsdato;"
        "Salgsmulighets-ID;Opprettet dato\n"
        "Kari Nordmann;Fjordfisk AS;Lisens 1;Closed Won;1 234,50;26.01.2026;0061;20.11.2025\n"
    ).encode()
    read = read_deals(data)
    assert (read.preset, read.detected, read.problems) == ("salesforce", True, [])
    assert read.mapping == {
        "deal_id": "Salgsmulighets-ID",
        "name": "Salgsmulighetsnavn",
        "owner": "Salgsmulighetseier",
        "amount": "Beløp",
        "stage": "Fase",
        "closed_on": "Avslutningsdato",
        "created_on": "Opprettet dato",
        "account": "Kontonavn",
    }
    assert read.deals[0] == Deal(
        line=2,
        deal_id="0061",
        name="Lisens 1",
        owner="Kari Nordmann",
        owner_email=None,
        amount=Decimal("1234.50"),
        currency=None,
        status=DealStatus.WON,
        stage="Closed Won",
        closed_on=date(2026, 1, 26),
        created_on=date(2025, 11, 20),
        account="Fjordfisk AS",
    )


NB_REPORT = (
    "Salgsmuligheter per selger\n"
    "Filtrert etter: Avslutningsdato i år\n"
    "\n"
    "Opportunity Owner;Opportunity Name;Stage;Amount;Close Date;Opportunity ID\n"
    "Kari Nordmann;Lisens 1;Closed Won;1\u00a0234,50;26.01.2026;0061\n"
    "Ola Hansen;Pilot 2;Closed Lost;\u2212250,00;3.2.2026;0062\n"
    "Ola Hansen;Pilot 3;Prospecting;1 000;;0063\n"
    "\n"
    "Totalsum (3 poster)\n"
    "Konfidensiell informasjon - må ikke distribueres\n"
    "Opphavsrett (c) 2000-2026 salesforce.com, inc. Alle rettigheter forbeholdt.\n"
    "Generert av: Ingrid Berg\n"
)


def test_title_rows_above_the_header_and_a_norwegian_footer_are_skipped():
    read = read_deals(NB_REPORT.encode("utf-8"))
    assert read.header_line == 4
    assert skipped(read) == [
        (1, "A title line above the header."),
        (2, "A title line above the header."),
        (9, "A total line."),
        (10, "A report footer line."),
        (11, "A report footer line."),
        (12, "A report footer line."),
    ]
    assert [(d.line, d.status, d.amount, d.closed_on) for d in read.deals] == [
        (5, DealStatus.WON, Decimal("1234.50"), date(2026, 1, 26)),
        (6, DealStatus.LOST, Decimal("-250.00"), date(2026, 2, 3)),
        (7, DealStatus.OPEN, Decimal("1000"), None),
    ]


def test_an_english_footer_after_a_blank_line_is_skipped():
    data = (
        b'"Opportunity Owner","Amount","Stage","Close Date"\n'
        b'"Kari Nordmann","1,234.50","Closed Won","2026-01-26"\n'
        b'""\n'
        b'"Grand Totals (1 records)"\n'
        b'""\n'
        b'"Confidential Information - Do Not Distribute"\n'
        b'"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
        b'"Acme AS"\n'
    )
    read = read_deals(data)
    assert [d.amount for d in read.deals] == [Decimal("1234.50")]
    assert [line for line, _ in skipped(read)] == [4, 6, 7, 8]
    assert read.problems == []


def test_a_utf16_tab_separated_export_reads_like_its_utf8_original():
    original = (CRM / "hubspot-deals.csv").read_text(encoding="utf-8")
    lines = original.splitlines()[:6]
    data = "\r\n".join(line.replace(",", "\t") for line in lines).encode("utf-16")
    read = read_deals(data)
    expected = read_deals("\n".join(lines).encode())
    assert read.encoding == "utf-16"
    assert read.deals == expected.deals
    assert len(read.deals) == 5


def test_a_cp1252_file_that_looks_like_utf8_at_first_is_still_read_right():
    head = "Deal owner,Amount,Deal Stage,Close Date,Associated Company\n"
    rows = "".join(f"Kari Nordmann,{i},Closed won,2026-01-26,Firma {i}\n" for i in range(5000))
    data = (head + rows + "Ola Hansen,5,Closed won,2026-01-27,Sørlandet Frukt AS\n").encode(
        "cp1252"
    )
    read = read_deals(data)
    assert read.encoding == "cp1252"
    assert read.deals[-1].account == "Sørlandet Frukt AS"


def test_a_spreadsheet_shortened_id_is_a_problem_and_its_row_is_left_out():
    data = b"Record ID,Deal owner,Amount,Deal Stage,Close Date\n2.19E+10,Kari Nordmann,100,Closed won,2026-01-26\n"
    read = read_deals(data)
    assert texts(read) == [
        (2, "The id 2.19E+10 in Record ID was shortened by a spreadsheet; its digits are lost.")
    ]
    assert read.deals == []


def test_unreadable_values_are_problems_with_their_line_and_column():
    data = (
        b"Deal owner,Amount,Deal Stage,Close Date,Create Date\n"
        b"Kari Nordmann,12 34,Closed won,2026-01-26,\n"
        b"Kari Nordmann,100,Closed won,32.01.2026,\n"
        b"Kari Nordmann,,Closed won,2026-01-26,\n"
        b"Kari Nordmann,100,Closed won,,\n"
        b",100,Closed lost,2026-01-26,\n"
        b"Kari Nordmann,100,Contract sent,,someday\n"
    )
    read = read_deals(data)
    assert texts(read) == [
        (2, "12 34 in Amount is not an amount."),
        (3, "32.01.2026 in Close Date is not a date."),
        (4, "The won deal has no amount."),
        (5, "The won deal has no close date."),
        (6, "The deal has no owner."),
        (7, "someday in Create Date is not a date."),
    ]
    assert read.deals == []


def test_formula_looking_cells_are_data_and_never_evaluated():
    data = b'Deal Name,Deal owner,Amount,Deal Stage,Close Date\n"=HYPERLINK(""http://x"")",@Kari,=1+2,Closed won,2026-01-26\n'
    read = read_deals(data)
    assert texts(read) == [(2, "=1+2 in Amount is not an amount.")]
    data = b'Deal Name,Deal owner,Amount,Deal Stage,Close Date\n"=HYPERLINK(""http://x"")",@Kari,3,Closed won,2026-01-26\n'
    assert [(d.name, d.owner) for d in read_deals(data).deals] == [
        ('=HYPERLINK("http://x")', "@Kari")
    ]


def test_chosen_columns_and_an_organisations_own_won_words_are_used():
    data = "Ansvarlig;Verdi;Utfall;Dato\nKari Nordmann;100;Signert;01.03.2026\nOla Hansen;50;Avvist;02.03.2026\n"
    read = read_deals(
        data.encode(),
        mapping={"owner": "Ansvarlig", "status": "Utfall"},
        won_values=["Signert"],
        lost_values=["Avvist"],
    )
    assert read.preset == "generic"
    assert read.mapping == {
        "owner": "Ansvarlig",
        "amount": "Verdi",
        "status": "Utfall",
        "closed_on": "Dato",
    }
    assert [(d.owner, d.status) for d in read.deals] == [
        ("Kari Nordmann", DealStatus.WON),
        ("Ola Hansen", DealStatus.LOST),
    ]


def test_missing_columns_an_unknown_preset_and_unknown_fields_are_problems():
    data = b"Deal owner,Deal Name\nKari,Lisens\n"
    assert texts(read_deals(data)) == [
        (1, "The header line has no column for amount."),
        (1, "The header line has no column for status."),
        (1, "The header line has no column for won_on."),
    ]
    assert texts(read_deals(data, preset="sap")) == [(0, "sap is not a CRM krutt knows.")]
    complete = b"Deal owner,Amount,Deal Stage,Close Date\nKari,1,Closed won,2026-01-26\n"
    read = read_deals(complete, mapping={"seller": "Deal owner"})
    assert texts(read) == [(0, "seller is not a deal field krutt knows.")]
    assert read.deals == []


def test_us_exports_with_month_first_dates_are_read_by_the_column():
    data = b"Deal owner,Amount,Deal Stage,Close Date\nKari,1,Closed won,12/31/2026\nOla,2,Closed won,1/2/2026\n"
    assert [d.closed_on for d in read_deals(data).deals] == [date(2026, 12, 31), date(2026, 1, 2)]


def test_an_xlsx_report_is_read_with_its_dates_numbers_and_layout():
    data = make_xlsx(
        [
            ["Opportunities by owner"],
            [],
            [
                "Opportunity Owner",
                "Amount",
                "Close Date",
                "Stage",
                "Opportunity ID",
                "Created Date",
            ],
            ["Kari Nordmann", 1700.5, date(2026, 1, 26), "Closed Won", 21874300037.0, 46000],
            ["Ola Hansen", "1 234,50", 46048, "Closed Lost", "0062", "15.12.2025"],
            ["Subtotal", 2935.0],
            ["Mari Johansen", 10, date(2026, 2, 1), "Closed Won", 2.19e20],
            [],
            ["Grand Totals (3 records)"],
            ["Confidential Information - Do Not Distribute"],
        ]
    )
    read = read_deals(data, filename="report1769000000000.xlsx")
    assert (read.preset, read.encoding, read.header_line) == ("salesforce", "xlsx", 3)
    assert [(d.line, d.deal_id, d.amount, d.closed_on, d.created_on) for d in read.deals] == [
        (4, "21874300037", Decimal("1700.5"), date(2026, 1, 26), date(2025, 12, 9)),
        (5, "0062", Decimal("1234.50"), date(2026, 1, 26), date(2025, 12, 15)),
    ]
    assert texts(read) == [
        (
            7,
            "The id 2.19e+20 in Opportunity ID was shortened by a spreadsheet; its digits are lost.",
        )
    ]
    assert skipped(read) == [
        (1, "A title line above the header."),
        (6, "A total line."),
        (9, "A total line."),
        (10, "A report footer line."),
    ]


def test_bytes_that_are_not_a_deals_file_give_a_problem_not_an_error():
    assert texts(read_deals(b"")) == [(0, "The file is empty.")]
    assert texts(read_deals(b"PK\x03\x04 not really a zip")) == [
        (0, "The file is not a spreadsheet krutt can read.")
    ]
    assert texts(read_deals(bytes(range(256)) * 4)) == [
        (0, "No line among the first 30 has column names krutt knows.")
    ]


def test_a_row_cap_stops_the_read_and_says_so():
    read = read_deals((CRM / "hubspot-deals.csv").read_bytes(), max_rows=10)
    assert len(read.deals) == 10
    assert read.truncated is True
    assert texts(read) == [(12, "The file has more than 10 rows; the rest was not read.")]


def test_streaming_gives_the_same_deals_as_reading_whole():
    data = (CRM / "salesforce-opportunities-nb.csv").read_bytes()
    stream = stream_deals(data)
    assert stream.preset is not None and stream.preset.key == "salesforce"
    assert list(stream) == read_deals(data).deals
    assert len(stream.skipped) == 3


MUTATION_SEEDS = [(CRM / name).read_bytes()[:2500] for name in sorted(SAMPLES)]


@st.composite
def mutated_exports(draw: st.DrawFn) -> bytes:
    """A sample export's opening bytes with bytes flipped, cut, inserted and repeated."""
    data = bytearray(draw(st.sampled_from(MUTATION_SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        at = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if action == "flip" and data:
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif action == "cut":
            del data[at : at + draw(st.integers(min_value=1, max_value=200))]
        elif action == "insert":
            snippets = [
                b'"',
                b";",
                b"\n",
                b"\r",
                b"\x00",
                b"PK\x03\x04",
                b"\xef\xbb\xbf",
                b"\xff\xfe",
            ]
            data[at:at] = draw(st.binary(max_size=40) | st.sampled_from(snippets))
        else:
            data[at:at] = data[at : at + draw(st.integers(min_value=1, max_value=300))]
    return bytes(data)


@settings(max_examples=150, deadline=None)
@given(mutated_exports(), st.sampled_from(["auto", "generic", "salesforce"]))
def test_every_line_of_a_mutated_export_is_read_skipped_or_a_problem_and_only_once(data, preset):
    read = read_deals(data, preset=preset)

    # A problem with the file, or with its header line's columns, stops the read before any
    # row; a line of bytes that are not UTF-8 is a problem of that line only.
    whole_file = [
        p
        for p in read.problems
        if p.line == 0 or (p.line == read.header_line and p.message.text != NOT_UTF8)
    ]
    note(f"problems: {[(p.line, p.message.text) for p in read.problems][:5]}")
    assert not (whole_file and read.deals)
    assume(not whole_file and read.encoding != "xlsx")
    records = {
        line: cells
        for line, cells in iter_records(data, read.encoding, read.delimiter)
        if line > read.header_line and cells and any(cell.strip() for cell in cells)
    }
    deal_lines = [d.line for d in read.deals]
    skipped_lines = [s.line for s in read.skipped if s.line > read.header_line]
    problem_lines = {p.line for p in read.problems}
    # Nothing counted twice: a line is one deal at most, and never both a deal and skipped.
    assert len(deal_lines) == len(set(deal_lines))
    assert not set(deal_lines) & set(skipped_lines)
    # Nothing invented: each deal and skip stands on a line of the file.
    assert set(deal_lines) <= set(records)
    assert set(skipped_lines) <= set(records)
    # Nothing lost: every line with content is a deal, a skip with its reason, or a problem.
    unaccounted = set(records) - set(deal_lines) - set(skipped_lines) - problem_lines
    assert not unaccounted, {line: records[line] for line in sorted(unaccounted)[:3]}


def test_an_organisations_own_stage_counts_as_won_only_when_configured():
    data = b"Deal owner,Amount,Deal Stage,Close Date\nKari,100,Signert,2026-03-01\nOla,50,Closed won,2026-03-02\nPer,20,,2026-03-03\n"

    plain = read_deals(data)
    configured = read_deals(data, won_values=["  SIGNERT "], lost_values=["-"])

    assert [(d.owner, d.status) for d in plain.deals] == [
        ("Kari", DealStatus.OPEN),
        ("Ola", DealStatus.WON),
        ("Per", DealStatus.OPEN),
    ]
    # Added to krutt's own names, never replacing them; a name of nothing matches nothing.
    assert [(d.owner, d.status) for d in configured.deals] == [
        ("Kari", DealStatus.WON),
        ("Ola", DealStatus.WON),
        ("Per", DealStatus.OPEN),
    ]
