"""The Privacy page: § 9-2 notices and the letter per team, retention and the purge, and a
seller's requests (a copy of their data, erasure) handled by the organisation's admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krutt.web.access import teams_visible_to
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.privacy.erasure import Erasure, erase_seller
from krutt.web.privacy.export import export_seller, seller_language
from krutt.web.privacy.forms import NoticeForm, RetentionForm, SellerRequestForm
from krutt.web.privacy.letter import information_letter
from krutt.web.privacy.notices import notice_warning, record_notice, team_state
from krutt.web.privacy.purge import purge
from krutt.web.privacy.retention import CATEGORIES, retention_months, set_retention
from krutt.web.sellers.models import Seller, Team
from krutt.web.twofactor.codes import required_roles
from krutt.web.twofactor.views import PolicyForm

STAFF = (Role.MANAGER, Role.DIRECTOR, Role.ADMIN)


def _user(request: HttpRequest, roles: tuple[str, ...]) -> User | None:
    user = request.user
    if isinstance(user, User) and user.role in roles and user.organisation is not None:
        return user
    return None


def _organisation(user: User) -> Organisation:
    assert user.organisation is not None
    return user.organisation


def notice_teams(user: User) -> QuerySet[Team]:
    """Teams whose notice the user may record: a manager's own, a director's, an admin's all."""
    if user.role == Role.ADMIN:
        return Team.objects.filter(organisation=_organisation(user))
    return teams_visible_to(user)


def _sellers(organisation: Organisation) -> list[tuple[int, str]]:
    return list(
        Seller.objects.filter(organisation=organisation)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def _page(request: HttpRequest, user: User, **forms: Any) -> HttpResponse:
    organisation = _organisation(user)
    teams = notice_teams(user).select_related("organisation", "manager").order_by("name")
    rows = []
    for team in teams:
        state, notice = team_state(team)
        rows.append(
            {"team": team, "state": state.value, "notice": notice, "warning": notice_warning(team)}
        )
    months = retention_months(organisation)
    context: dict[str, Any] = {
        "rows": rows,
        "notice_form": forms.get("notice_form") or NoticeForm(teams=teams),
        "retention": [(_(c.label), months[c.key], _(c.reason)) for c in CATEGORIES],
        "is_admin": user.role == Role.ADMIN,
        "erasure": forms.get("erasure"),
    }
    if user.role == Role.ADMIN:
        form = forms.get("retention_form") or RetentionForm(initial=months)
        context["retention_form"] = form
        context["retention_fields"] = [(form[c.key], _(c.reason)) for c in CATEGORIES]
        context["due"] = purge(
            organisation, dry_run=True, actor_id=None, actor_label="", channel="web"
        )
        context["purge_rows"] = [
            (_(c.label), context["due"].removed[c.key], context["due"].kept_from[c.key])
            for c in CATEGORIES
        ]
        context["request_form"] = forms.get("request_form") or SellerRequestForm(
            sellers=_sellers(organisation)
        )
        context["two_factor_form"] = PolicyForm(initial={"roles": required_roles(organisation.pk)})
    return render(request, "privacy/privacy.html", context)


def _allowed(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view gets the checked user; any other role is sent to the overview."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def checked(request: HttpRequest) -> HttpResponse:
            user = _user(request, roles)
            if user is None:
                return redirect("dashboard")
            return view(request, user)

        checked.__name__, checked.__doc__ = view.__name__, view.__doc__
        checked.__module__, checked.__qualname__ = view.__module__, view.__qualname__
        return login_required(checked)

    return wrap


@require_GET
@_allowed(*STAFF)
def privacy(request: HttpRequest, user: User) -> HttpResponse:
    return _page(request, user)


@require_POST
@_allowed(*STAFF)
def privacy_notice(request: HttpRequest, user: User) -> HttpResponse:
    form = NoticeForm(request.POST, teams=notice_teams(user))
    if not form.is_valid():
        if "team" in form.errors:
            raise Http404  # a team outside the user's scope is not there
        return _page(request, user, notice_form=form)
    team = form.cleaned_data["team"]
    with transaction.atomic():
        record_notice(
            team,
            informed_on=form.cleaned_data["informed_on"],
            discussed_on=form.cleaned_data["discussed_on"],
            purpose=form.cleaned_data["purpose"],
            until=form.cleaned_data["until"],
            actor=user,
            actor_label=user.email,
            channel="web",
        )
    messages.success(request, _("Notice recorded for %(team)s.") % {"team": team.name})
    return redirect("privacy")


@require_GET
@_allowed(*STAFF)
def privacy_letter(request: HttpRequest, user: User) -> HttpResponse:
    """The information letter for one of the user's teams, as Markdown."""
    team_id = request.GET.get("team", "")
    teams = notice_teams(user).order_by("name")
    # Without a team, the user's first (a manager usually has one).
    team = teams.filter(pk=int(team_id)).first() if team_id.isdigit() else teams.first()
    if team is None or (team_id and not team_id.isdigit()):
        raise Http404
    language = request.GET.get("lang") or getattr(request, "LANGUAGE_CODE", "") or "nb"
    if language not in ("nb", "en"):
        raise Http404
    text = information_letter(team, language=language)
    response = HttpResponse(text.encode("utf-8"), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="krutt-letter-{team.pk}-{language}.md"'
    return response


@require_POST
@_allowed(Role.ADMIN)
def privacy_retention(request: HttpRequest, user: User) -> HttpResponse:
    form = RetentionForm(request.POST)
    if not form.is_valid():
        return _page(request, user, retention_form=form)
    with transaction.atomic():
        set_retention(
            _organisation(user),
            {c.key: form.cleaned_data[c.key] for c in CATEGORIES},
            actor_id=user.pk,
            actor_label=user.email,
            channel="web",
        )
    messages.success(request, _("Retention periods saved."))
    return redirect("privacy")


@require_POST
@_allowed(Role.ADMIN)
def privacy_purge(request: HttpRequest, user: User) -> HttpResponse:
    with transaction.atomic():
        result = purge(
            _organisation(user),
            dry_run=False,
            actor_id=user.pk,
            actor_label=user.email,
            channel="web",
        )
    messages.success(
        request,
        _("Purged %(count)d items past their retention period.") % {"count": result.total}
        if result.total
        else _("Nothing is past its retention period; nothing was removed."),
    )
    return redirect("privacy")


def _requested(request: HttpRequest, user: User) -> tuple[SellerRequestForm, Seller | None]:
    organisation = _organisation(user)
    form = SellerRequestForm(request.POST, sellers=_sellers(organisation))
    if not form.is_valid():
        return form, None
    seller = (
        Seller.objects.select_related("team", "organisation")
        .filter(organisation=organisation, pk=int(form.cleaned_data["seller"]))
        .first()
    )
    return form, seller


@require_POST
@_allowed(Role.ADMIN)
def privacy_export(request: HttpRequest, user: User) -> HttpResponse:
    """A seller's copy of their data (GDPR Art. 15/20), as the seller would download it."""
    form, seller = _requested(request, user)
    if seller is None:
        return _page(request, user, request_form=form)
    with transaction.atomic():
        archive = export_seller(
            seller,
            language=seller_language(seller),
            actor_id=user.pk,
            actor_label=user.email,
            channel="web",
        )
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="krutt-seller-{seller.pk}.zip"'
    return response


@require_POST
@_allowed(Role.ADMIN)
def privacy_erase(request: HttpRequest, user: User) -> HttpResponse:
    """Erasure (GDPR Art. 17): `preview` shows what would go; `erase` does it."""
    form, seller = _requested(request, user)
    if seller is None:
        return _page(request, user, request_form=form)
    dry_run = request.POST.get("action") != "erase"
    with transaction.atomic():
        result: Erasure = erase_seller(
            seller,
            reason=form.cleaned_data["reason"],
            force=form.cleaned_data["force"],
            dry_run=dry_run,
            actor_id=user.pk,
            actor_label=user.email,
            channel="web",
        )
    if dry_run:
        return _page(request, user, request_form=form, erasure=result)
    messages.success(
        request,
        _("%(masked)s is erased and is now «%(pseudonym)s».")
        % {"masked": result.masked, "pseudonym": result.pseudonym},
    )
    return redirect("privacy")
