"""Settings: a manager tunes their team; a director or admin the organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from krutt.domain.policy import PRESETS, Band
from krutt.domain.segmentation import SegmentationRules
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.domain.sellers import SellerId
from krutt.services.calendar_time import DEFAULT_ACTIVITY_KEYWORDS
from krutt.web.access import teams_managed_by
from krutt.web.accounts.models import Organisation, Role, User
from krutt.web.audit.trail import record
from krutt.web.clock import today_in
from krutt.web.configuration.forms import OrganisationForm, PolicyForm
from krutt.web.sellers.models import Seller, Team
from krutt.web.sellers.policies import decode_bands, encode_bands, resolve_rules
from krutt.web.sellers.refresh import refresh_organisation_segments, segment_horizon

# The keywords the calendar import uses when the organisation has not set its own: shown
# from the same table, so what the page says is what the import does.
DEFAULT_KEYWORDS: dict[str, list[str]] = {}
for _word, _activity in DEFAULT_ACTIVITY_KEYWORDS:
    DEFAULT_KEYWORDS.setdefault(_activity.value, []).append(_word)


def _policy_form_initial(organisation: Organisation, team: Team | None) -> dict[str, Any]:
    source: Team | Organisation = team if team is not None and team.policy_key else organisation
    key = source.policy_key or organisation.policy_key
    bands: dict[Segment, Band] | None = decode_bands(source.bands) if source.bands else None
    return PolicyForm.initial_from(key, bands, resolve_rules(organisation, team))


def _rules_json(rules: SegmentationRules) -> dict[str, Any]:
    return {
        "ramp_months": rules.ramp_months,
        "window_months": rules.window_months,
        "under_below": str(rules.under_below),
        "top_from": str(rules.top_from),
        "min_months_for_under": rules.min_months_for_under,
        "hysteresis_months": rules.hysteresis_months,
    }


def _apply_policy(form: PolicyForm, target: Team | Organisation) -> None:
    target.policy_key = form.cleaned_data["policy"]
    target.bands = (
        encode_bands(dict(form.cleaned_data["bands"])) if form.cleaned_data["bands"] else {}
    )
    target.rules = _rules_json(form.cleaned_data["rules"])


def _refresh(organisation: Organisation, sellers: list[int] | None) -> None:
    ids = [SellerId(s) for s in sellers] if sellers is not None else None
    # New thresholds can move sellers: their histories are recomputed with the change.
    through = segment_horizon(organisation, today_in(organisation))
    refresh_organisation_segments(organisation, through=through, seller_ids=ids)


@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.organisation is None:
        raise Http404
    if user.role == Role.MANAGER:
        return _team_settings(request, user)
    if user.role in (Role.DIRECTOR, Role.ADMIN):
        return _organisation_settings(request, user, user.organisation)
    raise Http404


def _team_settings(request: HttpRequest, user: User) -> HttpResponse:
    assert user.organisation is not None
    teams = list(teams_managed_by(user).order_by("name"))
    if not teams:
        return render(request, "configuration/settings.html", {"teams": []})
    chosen = request.GET.get("team") or request.POST.get("team") or str(teams[0].pk)
    team = next((t for t in teams if str(t.pk) == chosen), None)
    if team is None:
        raise Http404
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                _apply_policy(form, team)
                team.save(update_fields=["policy_key", "bands", "rules"])
                _refresh(
                    user.organisation,
                    list(Seller.objects.filter(team=team).values_list("id", flat=True)),
                )
                record(
                    action="settings.team",
                    object_type="team",
                    object_id=team.pk,
                    organisation_id=user.organisation_id,
                    actor_id=user.pk,
                    actor_label=user.email,
                    changes={"policy": team.policy_key, "bands": team.bands, "rules": team.rules},
                )
            messages.success(request, _("Settings saved for %(team)s.") % {"team": team.name})
            return redirect(f"{request.path}?team={team.pk}")
    else:
        form = PolicyForm(initial=_policy_form_initial(user.organisation, team))
    return render(request, "configuration/settings.html", _context(form, teams=teams, team=team))


def _context(form: PolicyForm, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "band_rows": [(s, form[f"{s.value}_min"], form[f"{s.value}_max"]) for s in SEGMENT_ORDER],
        # Translated here, not with {% translate %}: the template tag doubles "%" before
        # the lookup, so a rationale such as "at least 50 %" would never find its translation.
        "presets": [
            {"name": _(p.name), "rationale": _(p.rationale), "source": _(p.source)}
            for p in PRESETS.values()
        ],
        **extra,
    }


def _organisation_settings(
    request: HttpRequest, user: User, organisation: Organisation
) -> HttpResponse:
    keywords = {**DEFAULT_KEYWORDS, **(organisation.activity_keywords or {})}
    initial = {
        "name": organisation.name,
        "time_zone": organisation.time_zone,
        "language": organisation.language,
        "team_wide_above": organisation.team_wide_above,
        **{f"keywords_{k}": ", ".join(v) for k, v in keywords.items()},
        "won_stage_names": "\n".join(organisation.won_stage_names or ()),
        "lost_stage_names": "\n".join(organisation.lost_stage_names or ()),
    }
    if request.method == "POST":
        form = PolicyForm(request.POST)
        org_form = OrganisationForm(request.POST)
        if form.is_valid() and org_form.is_valid():
            with transaction.atomic():
                _apply_policy(form, organisation)
                organisation.name = org_form.cleaned_data["name"]
                zone_changed = organisation.time_zone != org_form.cleaned_data["time_zone"]
                organisation.time_zone = org_form.cleaned_data["time_zone"]
                organisation.language = org_form.cleaned_data["language"]
                organisation.team_wide_above = org_form.cleaned_data["team_wide_above"]
                organisation.activity_keywords = org_form.keywords()
                names = org_form.stage_names()
                organisation.won_stage_names = list(names.won)
                organisation.lost_stage_names = list(names.lost)
                organisation.save()
                if zone_changed:
                    _redate_entries(organisation)
                _refresh(organisation, None)
                record(
                    action="settings.organisation",
                    object_type="organisation",
                    object_id=organisation.pk,
                    organisation_id=organisation.pk,
                    actor_id=user.pk,
                    actor_label=user.email,
                    changes={
                        "policy": organisation.policy_key,
                        "time_zone": organisation.time_zone,
                        "team_wide_above": organisation.team_wide_above,
                        # The CRM's own outcome names, not notes: they decide which deals count.
                        "won_stage_names": organisation.won_stage_names,
                        "lost_stage_names": organisation.lost_stage_names,
                    },
                )
            messages.success(request, _("Organisation settings saved."))
            return redirect("settings")
    else:
        form = PolicyForm(initial=_policy_form_initial(organisation, None))
        org_form = OrganisationForm(initial=initial)
    return render(
        request,
        "configuration/settings.html",
        _context(form, org_form=org_form, organisation=organisation),
    )


def _redate_entries(organisation: Organisation) -> None:
    """Entries keep the local day they happened on: a new zone can move an entry across midnight."""
    from zoneinfo import ZoneInfo

    from krutt.web.timelog.models import TimeEntry

    zone = ZoneInfo(organisation.time_zone)
    changed = []
    for entry in TimeEntry.objects.filter(organisation=organisation).only(
        "id", "started_at", "day"
    ):
        day = entry.started_at.astimezone(zone).date()
        if day != entry.day:
            entry.day = day
            changed.append(entry)
    TimeEntry.objects.bulk_update(changed, ["day"], batch_size=2000)
