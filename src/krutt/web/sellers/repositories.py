"""Rows ↔ domain values for sellers, their numbers and segment histories.

Repositories fetch what the rules read in a few set-based queries and hand back
compact domain values; they never decide anything themselves.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.domain.months import Month
from krutt.domain.segmentation import SegmentAssessment, SegmentOverride, Source
from krutt.domain.segments import Segment
from krutt.domain.sellers import MonthlyResult as MonthlyValue
from krutt.domain.sellers import SellerId, SellerProfile
from krutt.importers.roster import RosterRow
from krutt.services.import_performance import MonthlyChange
from krutt.services.import_roster import StoredSeller
from krutt.services.ports import SegmentInputs, StoredHistory, TeamMember
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.messages import decode_message, encode_message
from krutt.web.sellers.models import (
    MonthlyResult,
    SegmentPeriod,
    Seller,
    SellerAlias,
    Team,
)
from krutt.web.sellers.models import (
    SegmentOverride as OverrideRow,
)
from krutt.web.sellers.policies import resolve_rules

INSERT_BATCH = 500


def employed_between(first: date, last: date) -> Q:
    """Sellers who had started by `last` and had not left before `first`."""
    return Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


class SegmentRepository:
    """The segment rule's inputs and the stored history, for one organisation."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def _sellers(self, seller_ids: Sequence[SellerId] | None) -> QuerySet[Seller]:
        sellers = Seller.objects.filter(organisation=self.organisation)
        if seller_ids is None:
            return sellers
        wanted = set(seller_ids)
        # A whole roster's ids as one IN list costs more than the query they select.
        if len(wanted) > 900 and len(wanted) >= sellers.count():
            return sellers
        return sellers.filter(id__in=list(wanted))

    def segment_inputs(self, seller_ids: Sequence[SellerId] | None) -> list[SegmentInputs]:
        return self.inputs_for(self._sellers(seller_ids))

    def inputs_for(self, sellers: QuerySet[Seller]) -> list[SegmentInputs]:
        rows = list(sellers.values_list("id", "started_on", "team_id"))
        if not rows:
            return []
        teams = {t.id: t for t in Team.objects.filter(id__in={r[2] for r in rows})}
        rules_by_team = {
            team_id: resolve_rules(self.organisation, team) for team_id, team in teams.items()
        }
        results: dict[int, list[MonthlyValue]] = defaultdict(list)
        # The sellers' own query as a subquery: fifty thousand ids as parameters cost more
        # in Django's lookup preparation than the rows they select.
        chosen = sellers.values("id")
        for seller_id, month, target, actual in (
            MonthlyResult.objects.filter(seller_id__in=chosen)
            .order_by()
            .values_list("seller_id", "month", "target", "actual")
        ):
            results[seller_id].append(
                MonthlyValue(month=Month.of(month), target=target, actual=actual)
            )
        overrides: dict[int, list[SegmentOverride]] = defaultdict(list)
        for o in OverrideRow.objects.filter(
            seller_id__in=chosen, withdrawn_at__isnull=True
        ).order_by("created_at"):
            overrides[o.seller_id].append(
                SegmentOverride(
                    segment=Segment(o.segment),
                    reason=o.reason,
                    starts_on=o.starts_on,
                    expires_on=o.expires_on,
                )
            )
        return [
            SegmentInputs(
                profile=SellerProfile(seller_id=SellerId(seller_id), started_on=started_on),
                rules=rules_by_team[team_id],
                results=results.get(seller_id, []),
                overrides=overrides.get(seller_id, []),
                team_id=team_id,
            )
            for seller_id, started_on, team_id in rows
        ]

    def team_mates(self, seller_ids: Sequence[SellerId]) -> list[SellerId]:
        chosen = self._sellers(seller_ids)
        mates = Seller.objects.filter(
            organisation=self.organisation,
            team_id__in=chosen.values("team_id"),
        )
        return sorted(
            {SellerId(pk) for pk in chosen.values_list("id", flat=True)}
            | {SellerId(pk) for pk in mates.values_list("id", flat=True)}
        )

    def stored_digests(self, seller_ids: Sequence[SellerId]) -> Mapping[SellerId, str]:
        return {
            SellerId(pk): digest
            for pk, digest in _chunked_values(
                Seller.objects.order_by(), "id", seller_ids, ("id", "segment_digest")
            )
            if digest
        }

    def stored_history(
        self, seller_ids: Sequence[SellerId]
    ) -> Mapping[SellerId, Sequence[SegmentAssessment]]:
        history: dict[SellerId, list[SegmentAssessment]] = defaultdict(list)
        fields = (
            "seller_id",
            "valid_from",
            "segment",
            "source",
            "reason",
            "attainment",
            "months_of_data",
        )
        periods = _chunked_values(
            SegmentPeriod.objects.order_by("seller_id", "valid_from"),
            "seller_id",
            seller_ids,
            fields,
        )
        for seller_id, valid_from, segment, source, reason, attainment, months in sorted(
            periods, key=lambda p: (p[0], p[1])
        ):
            history[SellerId(seller_id)].append(
                SegmentAssessment(
                    segment=Segment(segment),
                    reason=decode_message(reason),
                    attainment=Fraction(attainment) if attainment else None,
                    months_of_data=months,
                    source=Source(source),
                    valid_from=valid_from,
                )
            )
        return history

    def replace_history(self, changed: Mapping[SellerId, StoredHistory]) -> None:
        ids = list(changed)
        for start in range(0, len(ids), 500):
            SegmentPeriod.objects.filter(seller_id__in=ids[start : start + 500]).delete()
        rows: list[tuple[Any, ...]] = []
        # Sellers who share a history (a roster of new sellers) share its encoded periods.
        encoded: dict[int, list[tuple[Any, ...]]] = {}
        for seller_id, stored in changed.items():
            periods = encoded.get(id(stored))
            if periods is None:
                periods = encoded[id(stored)] = _periods(stored.history)
            rows.extend((seller_id, *period) for period in periods)
        # A refresh of a whole organisation writes tens of thousands of periods: plain
        # parameterised INSERTs, not model instances, keep it within a millisecond a seller.
        columns = "seller_id, valid_from, valid_until, segment, source, reason, attainment, months_of_data"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is six times faster than INSERT for a whole organisation's history.
                with cursor.cursor.copy(
                    f"COPY sellers_segmentperiod ({columns}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
                rows = []
            # SQLite: many rows to a statement, within its limit on parameters.
            for start in range(0, len(rows), INSERT_BATCH):
                batch = rows[start : start + INSERT_BATCH]
                placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
                cursor.execute(
                    # Built from constants only; every value goes in as a parameter.
                    f"INSERT INTO sellers_segmentperiod ({columns}) VALUES {placeholders}",  # noqa: S608
                    [value for row in batch for value in row],
                )
            cursor.executemany(
                "UPDATE sellers_seller SET segment_digest = %s WHERE id = %s",
                [(stored.digest, seller_id) for seller_id, stored in changed.items()],
            )

    def timelines(
        self, seller_ids: Sequence[SellerId], *, first: date, last: date
    ) -> dict[SellerId, list[tuple[date, Segment]]]:
        """Only the periods that overlap [first, last]: the one in force on `first` and later ones."""
        in_force = (
            SegmentPeriod.objects.filter(seller_id=OuterRef("seller_id"), valid_from__lte=first)
            .order_by("-valid_from")
            .values("valid_from")[:1]
        )
        rows = (
            SegmentPeriod.objects.filter(seller_id__in=list(seller_ids), valid_from__lte=last)
            .filter(Q(valid_from__gt=first) | Q(valid_from=Subquery(in_force)))
            .order_by("seller_id", "valid_from")
            .values_list("seller_id", "valid_from", "segment")
        )
        timelines: dict[SellerId, list[tuple[date, Segment]]] = defaultdict(list)
        for seller_id, valid_from, segment in rows:
            timelines[SellerId(seller_id)].append((valid_from, Segment(segment)))
        return timelines


def _periods(history: Sequence[SegmentAssessment]) -> list[tuple[Any, ...]]:
    """A history's stored periods, each until the next one starts (the columns after seller_id)."""
    ends: list[date | None] = [a.valid_from for a in history[1:]]
    return [
        (
            a.valid_from,
            until,
            a.segment.value,
            a.source.value,
            json.dumps(encode_message(a.reason), ensure_ascii=False),
            str(a.attainment) if a.attainment is not None else "",
            a.months_of_data,
        )
        for a, until in zip(history, [*ends, None], strict=False)
    ]


def _chunked_values(
    queryset: QuerySet[MonthlyResult] | QuerySet[SegmentPeriod] | QuerySet[Seller],
    field: str,
    ids: Sequence[int],
    fields: tuple[str, ...],
) -> Iterable[tuple[Any, ...]]:
    """values_list over an id list, in chunks that every database accepts as parameters."""
    ids = list(ids)
    for start in range(0, len(ids), 900):
        yield from queryset.filter(**{f"{field}__in": ids[start : start + 900]}).values_list(
            *fields
        )


class RosterRepository:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def sellers_by_address(self) -> Mapping[str, StoredSeller]:
        aliases: dict[int, set[str]] = defaultdict(set)
        for seller_id, email in SellerAlias.objects.filter(
            organisation=self.organisation
        ).values_list("seller_id", "email"):
            aliases[seller_id].add(email)
        result: dict[str, StoredSeller] = {}
        for s in Seller.objects.filter(organisation=self.organisation).select_related(
            "team__manager"
        ):
            manager = s.team.manager
            stored = StoredSeller(
                seller_id=SellerId(s.id),
                name=s.name,
                email=s.email,
                started_on=s.started_on,
                ended_on=s.ended_on,
                team=s.team.name,
                manager_email=manager.email if manager else "",
                aliases=frozenset(aliases.get(s.id, set())),
            )
            result[s.email] = stored
            for alias in stored.aliases:
                result[alias] = stored
        return result

    def save_rows(self, rows: Sequence[RosterRow]) -> list[SellerId]:
        # Set-based: a roster of 50,000 rows is a few plain statements, not five queries a
        # row, and new sellers never become model instances.
        users = self._managers({row.manager_email for row in rows})
        teams = self._teams(rows, users)
        ids = self._seller_ids()
        new: dict[str, tuple[Any, ...]] = {}
        updates: list[tuple[Any, ...]] = []
        for row in rows:
            team_id = teams[row.team.casefold()]
            if row.email in ids:
                updates.append((row.name, team_id, row.started_on, row.ended_on, ids[row.email]))
            else:
                new[row.email] = (
                    self.organisation.pk, team_id, row.name, row.email, row.started_on,
                    row.ended_on, "",
                )  # fmt: skip
        _insert_rows(
            "sellers_seller",
            (
                "organisation_id",
                "team_id",
                "name",
                "email",
                "started_on",
                "ended_on",
                "segment_digest",
            ),
            list(new.values()),
        )
        if updates:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE sellers_seller SET name = %s, team_id = %s, started_on = %s, "
                    "ended_on = %s WHERE id = %s",
                    updates,
                )
        if new:
            ids = self._seller_ids()
        self._save_aliases(rows, ids)
        return [SellerId(ids[row.email]) for row in rows]

    def _seller_ids(self) -> dict[str, int]:
        return dict(
            Seller.objects.filter(organisation=self.organisation).values_list("email", "id")
        )

    def _managers(self, emails: set[str]) -> dict[str, User]:
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        missing = []
        for email in sorted(emails - set(users)):
            # Unusable as `set_unusable_password` makes it ("!" and a random suffix), with one
            # call to the system's random source instead of forty per manager.
            user = User(
                email=email,
                organisation=self.organisation,
                role=Role.MANAGER,
                password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
            )
            missing.append(user)
        User.objects.bulk_create(missing, batch_size=2000)
        users.update(
            (u.email, u) for u in User.objects.filter(email__in=[u.email for u in missing])
        )
        for user in users.values():
            if user.organisation_id not in (None, self.organisation.id):
                raise InvalidInput(
                    gettext_noop("{email} belongs to another organisation."), email=user.email
                )
        return users

    def _teams(self, rows: Sequence[RosterRow], users: Mapping[str, User]) -> dict[str, int]:
        """Each team of the file by its name folded: created, or moved to the file's manager."""
        stored = {
            name.casefold(): (team_id, manager_id)
            for team_id, name, manager_id in Team.objects.filter(
                organisation=self.organisation
            ).values_list("id", "name", "manager_id")
        }
        new: dict[str, tuple[Any, ...]] = {}
        moved: dict[int, int] = {}
        for row in rows:
            key, manager_id = row.team.casefold(), users[row.manager_email].pk
            if key in stored:
                team_id, current = stored[key]
                if current != manager_id:
                    moved[team_id] = manager_id
            elif key not in new:
                # The defaults Team's model gives: the organisation's policy and rules.
                new[key] = (self.organisation.pk, row.team, manager_id, "", "{}", "{}")
        _insert_rows(
            "sellers_team",
            ("organisation_id", "name", "manager_id", "policy_key", "bands", "rules"),
            list(new.values()),
        )
        if moved:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE sellers_team SET manager_id = %s WHERE id = %s",
                    [(manager_id, team_id) for team_id, manager_id in moved.items()],
                )
        return {
            name.casefold(): team_id
            for team_id, name in Team.objects.filter(organisation=self.organisation).values_list(
                "id", "name"
            )
        }

    def _save_aliases(self, rows: Sequence[RosterRow], sellers: Mapping[str, int]) -> None:
        wanted = {sellers[row.email]: set(row.aliases) for row in rows}
        stored: dict[int, set[str]] = defaultdict(set)
        gone: list[int] = []
        for alias_id, seller_id, email in SellerAlias.objects.filter(
            organisation=self.organisation
        ).values_list("id", "seller_id", "email"):
            if seller_id in wanted:
                if email in wanted[seller_id]:
                    stored[seller_id].add(email)
                else:
                    gone.append(alias_id)
        for chunk in range(0, len(gone), 500):
            SellerAlias.objects.filter(pk__in=gone[chunk : chunk + 500]).delete()
        _insert_rows(
            "sellers_selleralias",
            ("organisation_id", "seller_id", "email"),
            [
                (self.organisation.pk, seller_id, email)
                for seller_id, emails in wanted.items()
                for email in sorted(emails - stored[seller_id])
            ],
        )


def _insert_rows(table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERTs: a roster of 50,000 new sellers never becomes model instances."""
    names = ", ".join(columns)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    # Within SQLite's limit on parameters a statement.
    size = max(1, 900 // len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                # Built from constants only; every value goes in as a parameter.
                f"INSERT INTO {table} ({names}) VALUES {', '.join([row_marks] * len(batch))}",  # noqa: S608
                [value for row in batch for value in row],
            )


class PerformanceRepository:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def seller_ids_by_address(self) -> Mapping[str, SellerId]:
        return seller_ids_by_address(self.organisation)

    def monthly_numbers(
        self, seller_ids: Sequence[SellerId]
    ) -> Mapping[tuple[SellerId, Month], tuple[Decimal | None, Decimal | None]]:
        return {
            (SellerId(seller_id), Month.of(month)): (target, actual)
            for seller_id, month, target, actual in _chunked_values(
                MonthlyResult.objects.order_by(),
                "seller_id",
                seller_ids,
                ("seller_id", "month", "target", "actual"),
            )
        }

    def save_monthly(self, changes: Sequence[MonthlyChange]) -> None:
        existing = {
            (seller_id, month): pk
            for pk, seller_id, month in _chunked_values(
                MonthlyResult.objects.order_by(),
                "seller_id",
                sorted({c.seller_id for c in changes}),
                ("id", "seller_id", "month"),
            )
        }
        updates: list[MonthlyResult] = []
        creates: list[MonthlyResult] = []
        for c in changes:
            row = MonthlyResult(
                seller_id=c.seller_id, month=c.month.first_day(), target=c.target, actual=c.actual
            )
            pk = existing.get((c.seller_id, c.month.first_day()))
            if pk is None:
                creates.append(row)
            else:
                row.pk = pk
                updates.append(row)
        MonthlyResult.objects.bulk_create(creates, batch_size=2000)
        MonthlyResult.objects.bulk_update(updates, ["target", "actual"], batch_size=2000)


def seller_ids_by_address(organisation: Organisation) -> dict[str, SellerId]:
    """Every seller's e-mail and alias, lower-cased, to the seller's id."""
    ids = {
        email: SellerId(pk)
        for pk, email in Seller.objects.filter(organisation=organisation).values_list("id", "email")
    }
    for seller_id, email in SellerAlias.objects.filter(organisation=organisation).values_list(
        "seller_id", "email"
    ):
        ids.setdefault(email, SellerId(seller_id))
    return ids


def team_members(sellers: QuerySet[Seller]) -> list[TeamMember]:
    return [
        TeamMember(
            seller_id=SellerId(pk), email=email, name=name, started_on=started_on, ended_on=ended_on
        )
        for pk, email, name, started_on, ended_on in sellers.order_by("name", "email").values_list(
            "id", "email", "name", "started_on", "ended_on"
        )
    ]


class TeamSegmentsRepository:
    def __init__(self, organisation: Organisation) -> None:
        self.segments = SegmentRepository(organisation)

    def team_segment_inputs(
        self, *, manager_id: int, on: date
    ) -> list[tuple[TeamMember, SegmentInputs]]:
        sellers = Seller.objects.filter(team__manager_id=manager_id).filter(
            employed_between(on, on)
        )
        members = team_members(sellers)
        inputs = {i.profile.seller_id: i for i in self.segments.inputs_for(sellers)}
        return [(m, inputs[m.seller_id]) for m in members]

    def team_history_inputs(self, *, manager_id: int) -> list[SegmentInputs]:
        return self.segments.inputs_for(Seller.objects.filter(team__manager_id=manager_id))
