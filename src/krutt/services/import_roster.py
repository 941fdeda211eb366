"""Load the team roster: sellers, their teams and managers, created or updated in place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from krutt.domain.messages import gettext_noop
from krutt.domain.sellers import SellerId
from krutt.importers.problems import Problem
from krutt.importers.roster import RosterRow
from krutt.services.imports import ImportRejected, ImportSummary
from krutt.services.ports import SegmentStore
from krutt.services.refresh_segments import refresh_segments


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredSeller:
    seller_id: SellerId
    name: str
    email: str
    started_on: date
    ended_on: date | None
    team: str
    manager_email: str
    aliases: frozenset[str]


class RosterStore(Protocol):
    def sellers_by_address(self) -> Mapping[str, StoredSeller]:
        """Every seller of the organisation under their e-mail and under each alias."""
        ...

    def save_rows(self, rows: Sequence[RosterRow]) -> list[SellerId]:
        """Create or update these sellers (with teams and managers as needed); their ids."""
        ...


def import_roster(
    *, rows: Sequence[RosterRow], store: RosterStore, segments: SegmentStore, through: date
) -> ImportSummary:
    """Create new sellers, update changed ones, leave the rest; refuse the file on any conflict."""
    summary = ImportSummary(kind="sellers", read=len(rows))
    known = store.sellers_by_address()
    changed: list[RosterRow] = []
    for row in rows:
        stored = known.get(row.email)
        if stored is not None and stored.email != row.email:
            summary.problems.append(
                Problem.at(
                    row.line,
                    gettext_noop(
                        "{email} is an alias of {owner}; use that address or move the alias first."
                    ),
                    email=row.email,
                    owner=stored.email,
                )
            )
            continue
        for alias in row.aliases:
            owner = known.get(alias)
            if owner is not None and owner.email != row.email:
                summary.problems.append(
                    Problem.at(
                        row.line,
                        gettext_noop("The alias {alias} belongs to {owner}."),
                        alias=alias,
                        owner=owner.email,
                    )
                )
        if stored is None:
            summary.created += 1
            changed.append(row)
        elif _differs(stored, row):
            summary.updated += 1
            changed.append(row)
        else:
            summary.unchanged += 1
    if summary.problems:
        raise ImportRejected(summary)
    if changed:
        ids = store.save_rows(changed)
        refresh_segments(store=segments, through=through, seller_ids=ids)
    return summary


def _differs(stored: StoredSeller, row: RosterRow) -> bool:
    return (
        stored.name,
        stored.started_on,
        stored.ended_on,
        stored.team,
        stored.manager_email,
        stored.aliases,
    ) != (
        row.name,
        row.started_on,
        row.ended_on,
        row.team,
        row.manager_email,
        frozenset(row.aliases),
    )
