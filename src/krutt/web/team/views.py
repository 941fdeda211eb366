"""Setting a team up in the browser: the first account, sellers, numbers, invitations.

Each page says what is done and what comes next; the roster and monthly-number files go
through the Imports pages (the same preview and all-or-nothing commit as the CLI), and a
typed seller or number through the same use cases as those files.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krutt.domain.errors import KruttError
from krutt.domain.sellers import SellerId
from krutt.services.change_seller import SellerDetails
from krutt.web.access import get_or_404, sellers_managed_by, teams_visible_to
from krutt.web.accounts.invites import invite_path
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.accounts.users import save_user
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.decorators import manager_required
from krutt.web.messages import render as say
from krutt.web.sellers.changes import store_seller
from krutt.web.sellers.models import Team
from krutt.web.team.forms import InviteForm, SellerForm, StartForm
from krutt.web.team.grid import NumberGrid
from krutt.web.team.progress import setup_progress


def start(request: HttpRequest) -> HttpResponse:
    """A new installation's first page: create the company and its first manager."""
    if User.objects.exists():
        return redirect("login")
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=data["organisation"], language=data["language"]
            )
            manager = User.objects.create_user(
                data["email"],
                data["password"],
                organisation=organisation,
                role=Role.MANAGER,
                name=data["name"],
                language=data["language"],
            )
            team = Team.objects.create(
                organisation=organisation, name=data["team"], manager=manager
            )
            record(
                action="organisation.start",
                object_type="organisation",
                object_id=organisation.pk,
                organisation_id=organisation.pk,
                actor_id=manager.pk,
                actor_label=manager.email,
                changes={"team": team.pk, "manager": manager.pk},
            )
        login(request, manager, backend="django.contrib.auth.backends.ModelBackend")
        translation.activate(data["language"])
        return redirect("team_setup")
    return render(request, "team/start.html", {"form": form})


@manager_required
def setup(request: HttpRequest, manager: User) -> HttpResponse:
    return render(
        request,
        "team/setup.html",
        {
            "progress": setup_progress(manager),
            "invite": InviteForm(),
            "people": User.objects.filter(
                organisation=manager.organisation, role__in=[Role.MANAGER, Role.DIRECTOR]
            )
            .exclude(pk=manager.pk)
            .order_by("email"),
        },
    )


def _team_choices(manager: User) -> list[tuple[str, str]]:
    return [(str(t.pk), t.name) for t in teams_visible_to(manager).order_by("name")]


def _move_targets(manager: User) -> QuerySet[Team]:
    """The teams a manager may hand a seller over to: their own and every other team of the
    organisation that has a manager (a team's name is all the manager sees of it)."""
    return Team.objects.filter(
        organisation=manager.organisation, manager__isnull=False
    ).select_related("manager")


def _move_choices(manager: User) -> list[tuple[str, str]]:
    own = [(str(t.pk), t.name) for t in teams_visible_to(manager).order_by("name")]
    others = [
        (str(t.pk), _("%(team)s (another manager's team)") % {"team": t.name})
        for t in _move_targets(manager).exclude(manager=manager).order_by("name")
    ]
    return own + others


def _details(form: SellerForm, manager: User, teams: QuerySet[Team] | None = None) -> SellerDetails:
    data = form.cleaned_data
    team = (teams if teams is not None else teams_visible_to(manager)).get(pk=int(data["team"]))
    return SellerDetails(
        name=data["name"],
        email=data["email"],
        started_on=data["started_on"],
        ended_on=data["ended_on"],
        team=team.name,
        manager_email=team.manager.email if team.manager is not None else manager.email,
        aliases=tuple(data["aliases"]),
    )


@manager_required
def seller_add(request: HttpRequest, manager: User) -> HttpResponse:
    assert manager.organisation is not None
    teams = _team_choices(manager)
    if not teams:
        Team.objects.create(
            organisation=manager.organisation,
            name=manager.name or manager.email,
            manager=manager,
        )
        teams = _team_choices(manager)
    form = SellerForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                seller_id = store_seller(
                    manager.organisation, _details(form, manager), actor=manager
                )
        except KruttError as error:
            form.add_error(None, say(error.message))
        else:
            messages.success(
                request, _("%(name)s is on your team.") % {"name": form.cleaned_data["name"]}
            )
            if request.POST.get("then") == "another":
                return redirect("team_seller_add")
            return redirect("seller_detail", seller_id=seller_id)
    sellers = sellers_managed_by(manager).order_by("name")
    return render(
        request,
        "team/seller_form.html",
        {"form": form, "sellers": sellers, "adding": True},
        status=400 if form.errors else 200,
    )


@manager_required
def seller_edit(request: HttpRequest, manager: User, seller_id: int) -> HttpResponse:
    assert manager.organisation is not None
    seller = get_or_404(sellers_managed_by(manager), pk=seller_id)
    initial = {
        "name": seller.name,
        "email": seller.email,
        "started_on": seller.started_on,
        "ended_on": seller.ended_on,
        "aliases": ", ".join(sorted(a.email for a in seller.aliases.all())),
        "team": str(seller.team_id),
    }
    form = SellerForm(request.POST or None, initial=initial, teams=_move_choices(manager))
    if request.method == "POST" and form.is_valid():
        details = _details(form, manager, _move_targets(manager))
        try:
            with transaction.atomic():
                store_seller(
                    manager.organisation,
                    details,
                    seller_id=SellerId(seller.pk),
                    actor=manager,
                )
        except KruttError as error:
            form.add_error(None, say(error.message))
        else:
            if details.manager_email != manager.email:
                # Handed over: the seller is now the other manager's, and out of this one's view.
                messages.success(
                    request,
                    _("%(name)s now belongs to %(team)s.")
                    % {"name": details.name, "team": details.team},
                )
                return redirect("seller_list")
            messages.success(request, _("Saved."))
            return redirect("seller_detail", seller_id=seller.pk)
    return render(
        request,
        "team/seller_form.html",
        {"form": form, "seller": seller, "adding": False},
        status=400 if form.errors else 200,
    )


@manager_required
def numbers(request: HttpRequest, manager: User) -> HttpResponse:
    """Targets and results as a month × seller grid, saved as `krutt import performance` saves."""
    assert manager.organisation is not None
    sellers = list(sellers_managed_by(manager).order_by("name"))
    grid = NumberGrid(sellers, today=today_in(manager.organisation))
    if request.method == "POST":
        grid.bind(request.POST)
        if not grid.errors:
            try:
                with transaction.atomic():
                    summary = grid.save(manager)
            except KruttError as error:
                grid.errors.append(say(error.message))
            else:
                messages.success(
                    request,
                    _("Saved: %(created)s new months, %(updated)s changed.")
                    % {"created": summary.created, "updated": summary.updated},
                )
                return redirect("team_numbers")
    return render(
        request,
        "team/numbers.html",
        {"grid": grid, "progress": setup_progress(manager)},
        status=400 if grid.errors else 200,
    )


@require_POST
@manager_required
def invite(request: HttpRequest, manager: User) -> HttpResponse:
    """A one-time link (72 hours) for another manager or a director to set their password."""
    assert manager.organisation is not None
    form = InviteForm(request.POST)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        existing = User.objects.filter(email=data["email"]).first()
        if existing is not None and (
            existing.has_usable_password()
            or existing.organisation_id != manager.organisation.pk
            or existing.role != data["role"]
        ):
            # A link sets a password: never for someone who has one, or is someone else's.
            form.add_error("email", _("%(email)s has a login already.") % {"email": data["email"]})
        else:
            try:
                with transaction.atomic():
                    saved = save_user(
                        organisation=manager.organisation,
                        email=data["email"],
                        role=data["role"],
                        name=data["name"] or None,
                        teams=[],
                        password=None,
                    )
                    record(
                        action="user.invite",
                        object_type="user",
                        object_id=saved.user.pk,
                        organisation_id=manager.organisation.pk,
                        actor_id=manager.pk,
                        actor_label=manager.email,
                        changes={"role": data["role"]},
                    )
            except KruttError as error:
                form.add_error(None, say(error.message))
            else:
                link = request.build_absolute_uri(invite_path(saved.user))
                messages.success(
                    request,
                    _(
                        "Give %(name)s this link to set a password; it works once and expires "
                        "in 72 hours: %(link)s"
                    )
                    % {"name": saved.user.name or saved.user.email, "link": link},
                )
                return redirect(f"{reverse('team_setup')}#invite")
    return render(
        request,
        "team/setup.html",
        {"progress": setup_progress(manager), "invite": form, "people": []},
        status=400,
    )
