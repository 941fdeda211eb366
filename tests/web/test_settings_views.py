"""Settings are validated the way the domain states the rules, and changes move segments at once."""

from __future__ import annotations

from django.urls import reverse

from krutt.web.audit.models import AuditEvent
from krutt.web.clock import today_in
from krutt.web.sellers.models import SegmentPeriod


def _policy(**overrides):
    data = {
        "policy": "biztools",
        "ramp_months": "6",
        "window_months": "6",
        "under_below": "70",
        "top_from": "100",
        "min_months_for_under": "3",
        "hysteresis_months": "2",
    }
    data.update(overrides)
    return data


def _segment(seller):
    return (
        SegmentPeriod.objects.filter(seller=seller, valid_from__lte=today_in(seller.organisation))
        .latest("valid_from")
        .segment
    )


def test_a_minimum_above_its_maximum_is_refused(world, client):
    client.force_login(world.manager_a)
    bands = {
        "custom_bands": "on",
        "top_min": "50",
        "new_min": "20",
        "new_max": "30",
        "core_min": "30",
        "core_max": "20",
        "under_min": "5",
        "under_max": "10",
    }
    response = client.post(reverse("settings"), _policy(**bands))
    assert (
        "Minimum for Stabile (30\u00a0%) er over maksimum (20\u00a0%)." in response.content.decode()
    )
    world.team_a.refresh_from_db()
    assert world.team_a.bands == {}


def test_minimums_above_100_percent_together_are_refused(world, client):
    client.force_login(world.manager_a)
    bands = {
        "custom_bands": "on",
        "top_min": "60",
        "new_min": "30",
        "new_max": "30",
        "core_min": "10",
        "core_max": "20",
        "under_min": "5",
        "under_max": "10",
    }
    response = client.post(reverse("settings"), _policy(**bands))
    assert (
        "Minimumene blir til sammen 105\u00a0%; de kan til sammen være høyst 100\u00a0%."
        in response.content.decode()
    )


def test_new_thresholds_move_sellers_at_once_and_are_audited(world, client):
    client.force_login(world.manager_a)
    kim = world.sellers_a[2]  # 85 % attainment: core under the default rules
    assert _segment(kim) == "core"
    response = client.post(reverse("settings"), _policy(top_from="80"))
    assert response.status_code == 302
    assert _segment(kim) == "top"
    assert AuditEvent.objects.get(action="settings.team").object_id == str(world.team_a.pk)
    assert _segment(world.sellers_b[0]) == "top"  # team B keeps its own rules


def test_the_organisation_settings_belong_to_the_director_and_admin(world, client):
    client.force_login(world.admin)
    page = client.get(reverse("settings")).content.decode()
    assert "Kalenderord per aktivitet" in page
    data = _policy(name="Testfirma AS", time_zone="Europe/Oslo", language="en", team_wide_above="6")
    data.update(
        {
            f"keywords_{a}": ""
            for a in (
                "coaching",
                "one_on_one",
                "joint_meeting",
                "pipeline_review",
                "training",
                "performance_talk",
                "recognition",
                "career_talk",
                "recruitment",
                "admin",
            )
        }
    )
    data["keywords_coaching"] = "Coaching, veiledning"
    assert client.post(reverse("settings"), data).status_code == 302
    world.organisation.refresh_from_db()
    assert (world.organisation.language, world.organisation.team_wide_above) == ("en", 6)
    assert world.organisation.activity_keywords["coaching"] == ["coaching", "veiledning"]


def test_the_presets_are_explained_in_the_users_language(world, client):
    # The rationale contains "%", which the {% translate %} tag would never find.
    client.force_login(world.manager_a)
    page = client.get(reverse("settings")).content.decode()
    assert "De fleste salgssjefer bruker for mye tid på de svakeste" in page
    assert "Most managers over-invest" not in page


ACTIVITIES = (
    "coaching",
    "one_on_one",
    "joint_meeting",
    "pipeline_review",
    "training",
    "performance_talk",
    "recognition",
    "career_talk",
    "recruitment",
    "admin",
)


def _organisation_settings(**overrides):
    data = _policy(name="Testfirma AS", time_zone="Europe/Oslo", language="nb", team_wide_above="8")
    data.update({f"keywords_{a}": "" for a in ACTIVITIES})
    data.update(overrides)
    return data


def test_a_director_adds_won_and_lost_stage_names_and_the_change_is_audited(world, client):
    client.force_login(world.director_a)

    response = client.post(
        reverse("settings"),
        _organisation_settings(
            won_stage_names="Signert\n Levert til kunde, LEVERT TIL KUNDE\n\n",
            lost_stage_names="Avbrutt,",
        ),
    )

    assert response.status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.won_stage_names == ["Signert", "Levert til kunde"]
    assert world.organisation.lost_stage_names == ["Avbrutt"]
    event = AuditEvent.objects.get(action="settings.organisation")
    assert (
        event.actor_id,
        event.changes["won_stage_names"],
        event.changes["lost_stage_names"],
    ) == (
        world.director_a.pk,
        ["Signert", "Levert til kunde"],
        ["Avbrutt"],
    )
    page = client.get(reverse("settings")).content.decode()
    assert "Signert\nLevert til kunde</textarea>" in page


def test_a_stage_name_both_won_and_lost_is_refused_with_a_clear_message(world, client):
    world.director_a.language = "en"
    world.director_a.save()
    client.force_login(world.director_a)

    response = client.post(
        reverse("settings"),
        _organisation_settings(won_stage_names="Signert\nLevert", lost_stage_names="signert"),
    )

    assert response.status_code == 200
    assert (
        "Signert would count as both won and lost; a name can only be one."
        in response.content.decode()
    )
    world.organisation.refresh_from_db()
    assert (world.organisation.won_stage_names, world.organisation.lost_stage_names) == ([], [])
    assert not AuditEvent.objects.filter(action="settings.organisation").exists()


def test_a_manager_cannot_set_the_organisations_stage_names(world, client):
    client.force_login(world.manager_a)

    page = client.get(reverse("settings")).content.decode()
    response = client.post(reverse("settings"), _organisation_settings(won_stage_names="Signert"))

    assert 'name="won_stage_names"' not in page
    assert response.status_code == 302  # the team's own settings, nothing of the organisation's
    world.organisation.refresh_from_db()
    assert world.organisation.won_stage_names == []
    assert not AuditEvent.objects.filter(action="settings.organisation").exists()


def test_the_keywords_shown_are_the_ones_the_calendar_import_uses(world, client):
    from krutt.services.calendar_time import DEFAULT_ACTIVITY_KEYWORDS
    from krutt.web.imports.calendar import organisation_keywords

    client.force_login(world.admin)
    form = client.get(reverse("settings")).context["org_form"]
    shown = {a: form[f"keywords_{a}"].value() for a in ACTIVITIES}
    # «medarbeidersamtale» is a performance conversation, as the import reads it.
    assert "medarbeidersamtale" in shown["performance_talk"]
    assert "medarbeidersamtale" not in shown["one_on_one"]
    # Saving the page as shown changes nothing in how the import reads subjects.
    data = _policy(name="Testfirma AS", time_zone="Europe/Oslo", language="nb", team_wide_above="8")
    data.update({f"keywords_{a}": shown[a] for a in ACTIVITIES})
    assert client.post(reverse("settings"), data).status_code == 302
    world.organisation.refresh_from_db()
    assert organisation_keywords(world.organisation) == list(DEFAULT_ACTIVITY_KEYWORDS)
