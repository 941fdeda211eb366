"""How each CRM names the columns of a deals export, in English and Norwegian.

A preset maps krutt's fields (owner, amount, status …) to the header labels one CRM
writes, best first; the labels follow the exporting user's language, so both are
listed. `auto` picks the preset whose own labels the header line uses most. Every
preset also accepts the generic labels, after its own. Won and lost are read from the
status column where there is one, else from the stage, through a vocabulary an
organisation can add its own names to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from krutt.domain.messages import gettext_noop

FIELDS: tuple[str, ...] = (
    "deal_id",
    "name",
    "owner",
    "owner_email",
    "amount",
    "currency",
    "status",
    "stage",
    "won_on",
    "closed_on",
    "created_on",
    "account",
    "lost_reason",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class CrmPreset:
    """One CRM's header labels per field (best first) and labels only it writes."""

    key: str
    name: str
    aliases: Mapping[str, tuple[str, ...]]
    signature: tuple[str, ...] = ()


GENERIC = CrmPreset(
    key="generic",
    # The one preset name that is a word, not a product: translated where it is shown.
    name=gettext_noop("Generic"),
    aliases={
        "deal_id": ("id", "deal id", "deal_id", "external id", "avtale-id", "salgs-id", "nr"),
        "name": ("name", "deal", "deal name", "title", "navn", "tittel", "avtale", "salg"),
        "owner": (
            "owner",
            "seller",
            "sales rep",
            "salesperson",
            "account manager",
            "eier",
            "selger",
            "ansvarlig",
            "saksbehandler",
        ),
        "owner_email": (
            "owner email",
            "owner e-mail",
            "seller email",
            "seller e-mail",
            "eier e-post",
            "selger e-post",
            "e-post",
            "email",
            "e-mail",
        ),
        "amount": ("amount", "value", "revenue", "beløp", "verdi", "omsetning", "sum"),
        "currency": ("currency", "valuta"),
        "status": ("status", "result", "resultat", "won/lost", "vunnet/tapt"),
        "stage": ("stage", "fase", "trinn", "steg"),
        "won_on": ("won date", "won on", "won time", "vunnet dato", "vunnet"),
        "closed_on": (
            "close date",
            "closed date",
            "closed on",
            "closing date",
            "lukket dato",
            "avsluttet dato",
            "avslutningsdato",
            "salgsdato",
            "dato",
            "date",
        ),
        "created_on": ("created", "created date", "created on", "opprettet", "opprettet dato"),
        "account": ("account", "company", "customer", "organization", "firma", "kunde"),
        "lost_reason": ("lost reason", "tapsårsak", "årsak til tap"),
    },
)

SALESFORCE = CrmPreset(
    key="salesforce",
    name="Salesforce",
    aliases={
        "deal_id": (
            "opportunity id",
            "opportunity id (18 digit)",
            "id",
            "mulighets-id",
            "salgsmulighets-id",
        ),
        "name": (
            "opportunity name",
            "name",
            "mulighetsnavn",
            "navn på mulighet",
            "salgsmulighetsnavn",
            "navn på salgsmulighet",
        ),
        "owner": (
            "opportunity owner",
            "owner name",
            "mulighetseier",
            "eier av mulighet",
            "salgsmulighetseier",
            "eier av salgsmulighet",
        ),
        "owner_email": (
            "opportunity owner: email",
            "owner email",
            "eier: e-post",
            "salgsmulighetseier: e-post",
        ),
        "amount": ("amount (converted)", "amount", "beløp (konvertert)", "beløp"),
        "currency": (
            "amount (converted) currency",
            "amount currency",
            "opportunity currency",
            "beløp (konvertert) valuta",
            "beløp valuta",
            "valuta for mulighet",
            "valuta for salgsmulighet",
        ),
        "stage": ("stage", "stagename", "fase", "trinn"),
        "closed_on": ("close date", "closedate", "avslutningsdato", "lukkedato"),
        "created_on": ("created date", "createddate", "opprettet dato", "opprettelsesdato"),
        "account": ("account name", "kontonavn", "firmanavn"),
    },
    signature=(
        "opportunity owner",
        "opportunity name",
        "opportunity id",
        "fiscal period",
        "salgsmulighetseier",
        "salgsmulighetsnavn",
        "salgsmulighets-id",
    ),
)

HUBSPOT = CrmPreset(
    key="hubspot",
    name="HubSpot",
    aliases={
        "deal_id": ("record id", "deal id", "hs object id", "post-id", "oppførings-id"),
        "name": ("deal name", "avtalenavn"),
        "owner": ("deal owner", "avtaleeier", "eier av avtale"),
        "amount": ("amount in company currency", "amount", "beløp i selskapets valuta", "beløp"),
        "currency": ("currency", "deal currency code", "valuta"),
        "stage": ("deal stage", "avtalefase", "avtalestadium"),
        "closed_on": ("close date", "avslutningsdato", "lukkedato"),
        "created_on": ("create date", "opprettelsesdato", "opprettet dato"),
        "account": ("associated company", "tilknyttet selskap", "tilknyttet firma"),
    },
    signature=("record id", "deal stage", "deal owner", "create date", "pipeline"),
)

PIPEDRIVE = CrmPreset(
    key="pipedrive",
    name="Pipedrive",
    aliases={
        "deal_id": ("deal - id", "avtale - id"),
        "name": ("deal - title", "avtale - tittel"),
        "owner": ("deal - owner", "avtale - eier"),
        "amount": ("deal - value", "avtale - verdi"),
        "currency": (
            "deal - currency of value",
            "deal - currency",
            "avtale - valuta for verdi",
            "avtale - valuta",
        ),
        "status": ("deal - status", "avtale - status"),
        "stage": ("deal - stage", "avtale - fase", "avtale - trinn"),
        "won_on": ("deal - won time", "avtale - vunnet tidspunkt", "avtale - vunnet"),
        "closed_on": (
            "deal - deal closed on",
            "deal - lost time",
            "deal - expected close date",
            "avtale - avtale lukket",
            "avtale - tapt tidspunkt",
            "avtale - forventet sluttdato",
            "avtale - forventet avslutningsdato",
        ),
        "created_on": ("deal - deal created", "avtale - avtale opprettet", "avtale - opprettet"),
        "account": ("deal - organization", "avtale - organisasjon"),
        "lost_reason": ("deal - lost reason", "avtale - tapsårsak"),
    },
    signature=("deal - title", "deal - owner", "avtale - tittel", "avtale - eier"),
)

SUPEROFFICE = CrmPreset(
    key="superoffice",
    name="SuperOffice",
    aliases={
        "deal_id": ("salg-id", "salgs-id", "sale id", "salgsnummer"),
        "name": ("salg", "tittel", "sale", "title", "heading"),
        "owner": ("eier", "vår kontakt", "owner", "our contact"),
        "amount": ("beløp", "amount"),
        "currency": ("valuta", "currency"),
        "status": ("status",),
        "stage": ("fase", "stage"),
        "closed_on": ("salgsdato", "sale date", "dato", "date"),
        "created_on": ("registrert", "registered", "opprettet"),
        "account": ("firma", "company"),
    },
    signature=("eier", "salgsdato", "registrert", "vår kontakt"),
)

DYNAMICS = CrmPreset(
    key="dynamics",
    name="Microsoft Dynamics 365",
    aliases={
        "deal_id": ("(do not modify) opportunity",),
        "name": ("topic", "emne"),
        "owner": ("owner", "eier"),
        "amount": ("actual revenue", "est. revenue", "faktisk omsetning", "beregnet omsetning"),
        "currency": ("currency", "valuta"),
        "status": ("status", "status reason", "statusårsak"),
        "stage": ("sales stage", "pipeline phase", "salgsfase", "pipelinefase"),
        "won_on": ("actual close date", "faktisk avslutningsdato"),
        "closed_on": ("est. close date", "beregnet avslutningsdato"),
        "created_on": ("created on", "opprettet"),
        "account": ("potential customer", "account", "potensiell kunde", "firma"),
    },
    signature=("(do not modify) opportunity", "(do not modify) row checksum", "topic"),
)

ODOO = CrmPreset(
    key="odoo",
    name="Odoo",
    aliases={
        "deal_id": ("id", "external id", "ekstern id"),
        "name": ("opportunity", "salgsmulighet", "mulighet"),
        "owner": ("salesperson", "selger"),
        "owner_email": ("salesperson/email", "user email", "selger/e-post", "brukerens e-post"),
        "amount": ("expected revenue", "forventet inntekt", "forventet omsetning"),
        "currency": ("currency", "valuta"),
        "stage": ("stage", "fase", "trinn"),
        "won_on": ("closed date", "lukket dato", "avsluttet dato"),
        "closed_on": ("expected closing", "forventet avslutning"),
        "created_on": ("created on", "opprettet"),
        "account": ("customer", "kunde"),
        "lost_reason": ("lost reason", "tapsårsak"),
    },
    signature=("salesperson", "expected revenue", "expected closing", "selger"),
)

ZOHO = CrmPreset(
    key="zoho",
    name="Zoho CRM",
    aliases={
        "deal_id": ("record id",),
        "name": ("deal name", "avtalenavn"),
        "owner": ("deal owner", "avtaleeier"),
        "amount": ("amount", "beløp"),
        "currency": ("currency", "valuta"),
        "stage": ("stage", "fase"),
        "closed_on": ("closing date", "avslutningsdato"),
        "created_on": ("created time", "opprettet tid"),
        "account": ("account name", "kontonavn"),
    },
    signature=("deal owner.id", "closing date", "created time", "account name.id"),
)

PRESETS: dict[str, CrmPreset] = {
    p.key: p for p in (SALESFORCE, HUBSPOT, PIPEDRIVE, SUPEROFFICE, DYNAMICS, ODOO, ZOHO, GENERIC)
}

# Compared after `status_key`: lower case, single spaces, `-` and `_` as spaces.
DEFAULT_WON: frozenset[str] = frozenset(
    {
        "won",
        "closed won",
        "closedwon",
        "sold",
        "vunnet",
        "solgt",
        "lukket vunnet",
        "avsluttet vunnet",
        "lukket og vunnet",
    }
)
DEFAULT_LOST: frozenset[str] = frozenset(
    {
        "lost",
        "closed lost",
        "closedlost",
        "closed lost to competition",
        "tapt",
        "lukket tapt",
        "avsluttet tapt",
        "lukket og tapt",
    }
)

_HEADER_NOISE = re.compile(r"[\s_\-–—.:/()\[\]\"'“”‘’«»]+")


def header_key(text: str) -> str:
    """A header as compared: `Deal – Title`, `deal-title` and `DEAL_TITLE` are the same."""
    folded = unicodedata.normalize("NFKC", text).replace("\ufeff", "").casefold()
    return " ".join(_HEADER_NOISE.split(folded)).strip()


def status_key(text: str) -> str:
    """A status or stage as compared with the won and lost vocabularies."""
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


def vocabulary(extra: Iterable[str], default: frozenset[str]) -> frozenset[str]:
    """The built-in won (or lost) values and an organisation's own, in compared form."""
    # A name that compares as nothing would make every deal without a status match it.
    return default | {key for value in extra if (key := status_key(value))}


def known_header_keys(extra: Iterable[str] = ()) -> frozenset[str]:
    """Every header label any preset knows, plus `extra`, in compared form."""
    keys = {header_key(alias) for p in PRESETS.values() for a in p.aliases.values() for alias in a}
    keys.update(header_key(e) for e in extra)
    return frozenset(keys)


def detect_preset(headers: Sequence[str]) -> CrmPreset:
    """The CRM whose own labels the header line uses most, signature labels counting double.

    Labels the generic layout also uses (`Status`, `Amount`, `Eier` …) prove nothing and
    do not count; a header line without any CRM's own labels is the generic layout.
    """
    present = {header_key(h) for h in headers if h}
    generic = {header_key(a) for names in GENERIC.aliases.values() for a in names}
    best, best_score = GENERIC, 0
    for preset in PRESETS.values():
        if preset is GENERIC:
            continue
        fields = sum(
            1
            for names in preset.aliases.values()
            if any((key := header_key(n)) in present and key not in generic for n in names)
        )
        score = fields + 2 * sum(1 for s in preset.signature if header_key(s) in present)
        if score > best_score:
            best, best_score = preset, score
    return best


def map_deal_columns(
    headers: Sequence[str], preset: CrmPreset, overrides: Mapping[str, str]
) -> tuple[dict[str, tuple[int, ...]], list[tuple[str, str]]]:
    """For each field the columns that hold it, best first; and (field, header) overrides not found.

    A field set in `overrides` uses exactly that header. Otherwise every header of the
    preset's labels (then the generic ones) that is present is used, in that order, so
    an empty cell falls back to the next column (Pipedrive's won time, then close date).
    """
    position: dict[str, int] = {}
    for place, header in enumerate(headers):
        if header:
            position.setdefault(header_key(header), place)
    columns: dict[str, tuple[int, ...]] = {}
    missing: list[tuple[str, str]] = []
    taken: set[int] = set()
    for field, header in overrides.items():
        chosen = position.get(header_key(header))
        if chosen is None:
            missing.append((field, header))
        else:
            columns[field] = (chosen,)
            taken.add(chosen)
    for field in FIELDS:
        if field in overrides:
            continue
        names = (*preset.aliases.get(field, ()), *GENERIC.aliases.get(field, ()))
        found: list[int] = []
        for name in names:
            spot = position.get(header_key(name))
            if spot is not None and spot not in found and spot not in taken:
                found.append(spot)
        if found:
            columns[field] = tuple(found)
    _drop_shared_columns(columns)
    return columns, missing


def _drop_shared_columns(columns: dict[str, tuple[int, ...]]) -> None:
    # A column serves the first field (in FIELDS order) that claims it as its best
    # match: generic fall-backs like `dato` must not turn one column into two fields.
    owner_of: dict[int, str] = {}
    for field in FIELDS:
        if field in columns:
            owner_of.setdefault(columns[field][0], field)
    for field in list(columns):
        kept = tuple(i for i in columns[field] if owner_of.get(i, field) == field)
        if kept:
            columns[field] = kept
        else:
            del columns[field]
