"""Recognising each CRM by its header line, in English and Norwegian."""

import pytest

from krutt.importers.crm_presets import (
    DEFAULT_LOST,
    DEFAULT_WON,
    PRESETS,
    detect_preset,
    header_key,
    map_deal_columns,
    status_key,
)

HEADERS = {
    "salesforce": "Opportunity Owner;Account Name;Opportunity Name;Stage;Amount;Close Date;Opportunity ID",
    "salesforce-nb": "Salgsmulighetseier;Kontonavn;Salgsmulighetsnavn;Fase;Beløp;Avslutningsdato;"
    "Salgsmulighets-ID",
    "hubspot": "Record ID;Deal Name;Deal Stage;Close Date;Deal owner;Amount;Create Date;Pipeline",
    "pipedrive": "Deal - ID;Deal - Title;Deal - Owner;Deal - Value;Deal - Status;Deal - Won time",
    "superoffice": "Salg;Firma;Eier;Beløp;Valuta;Status;Salgsdato;Fase;Registrert",
    "dynamics": "(Do Not Modify) Opportunity;(Do Not Modify) Row Checksum;Topic;Owner;Est. Revenue;"
    "Status;Actual Close Date;Est. Close Date",
    "odoo": "Opportunity;Salesperson;Salesperson/Email;Expected Revenue;Stage;Closed Date;Created on",
    "zoho": "Record Id;Deal Owner.id;Deal Owner;Deal Name;Amount;Stage;Closing Date;Created Time",
    "generic": "Seller;Amount;Status;Date",
}


@pytest.mark.parametrize("key", sorted(HEADERS))
def test_each_crm_is_recognised_by_its_header_line(key):
    assert detect_preset(HEADERS[key].split(";")).key == key.removesuffix("-nb")


def test_a_norwegian_pipedrive_export_is_recognised_and_mapped():
    headers = [
        "Avtale - Tittel",
        "Avtale - Eier",
        "Avtale - Verdi",
        "Avtale - Status",
        "Avtale - Vunnet tidspunkt",
    ]
    preset = detect_preset(headers)
    columns, missing = map_deal_columns(headers, preset, {})
    assert preset.key == "pipedrive"
    assert columns == {"name": (0,), "owner": (1,), "amount": (2,), "status": (3,), "won_on": (4,)}
    assert missing == []


def test_a_field_can_fall_back_to_further_columns_in_the_presets_order():
    headers = [
        "Deal - Owner",
        "Deal - Expected close date",
        "Deal - Deal closed on",
        "Deal - Won time",
    ]
    columns, _ = map_deal_columns(headers, PRESETS["pipedrive"], {})
    assert columns["won_on"] == (3,)
    assert columns["closed_on"] == (2, 1)


def test_a_chosen_header_overrides_the_preset_and_is_not_used_twice():
    headers = ["Ansvarlig selger", "Eier", "Beløp"]
    columns, missing = map_deal_columns(
        headers, PRESETS["superoffice"], {"owner": "ansvarlig  SELGER", "stage": "Fase"}
    )
    assert columns["owner"] == (0,)
    assert columns["amount"] == (2,)
    assert missing == [("stage", "Fase")]


def test_headers_compare_without_case_spacing_dashes_or_quotes():
    assert (
        header_key("Deal – Title")
        == header_key("deal-title")
        == header_key("DEAL_TITLE")
        == "deal title"
    )
    assert header_key("\ufeffOpportunity Owner") == "opportunity owner"
    assert header_key("Deal Owner.id") != header_key("Deal Owner")


@pytest.mark.parametrize(
    "text", ["Closed Won", "closedwon", "Vunnet", "SOLGT", "Lukket - vunnet", "won"]
)
def test_won_is_recognised_in_the_words_crms_use(text):
    assert status_key(text) in DEFAULT_WON


@pytest.mark.parametrize(
    "text", ["Closed Lost", "closedlost", "Tapt", "Closed Lost to Competition"]
)
def test_lost_is_recognised_in_the_words_crms_use(text):
    assert status_key(text) in DEFAULT_LOST
