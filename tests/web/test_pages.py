"""Every page, for every role that may see it, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from krutt.web.access_matrix import ACCESS_MATRIX, WEB_ROUTES
from tests.web.factories import World, make_seller

GET_PAGES = [n for n, r in WEB_ROUTES.items() if "GET" in r.methods and not r.public]
WORDS = {"nb": ("Innstillinger", 'lang="nb"'), "en": ("Settings", 'lang="en"')}


def _url(name: str, world: World) -> str:
    route = ACCESS_MATRIX[name]
    if route.obj == "seller":
        return reverse(name, kwargs={"seller_id": world.sellers_a[0].pk})
    if route.obj == "entry":
        return reverse(name, kwargs={"entry_id": world.entry_a.pk})
    if route.obj == "slot":
        return reverse(name, kwargs={"slot_id": world.slot_a.pk})
    return reverse(name)


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("who", ["manager_a", "director_a", "admin"])
def test_every_page_a_role_may_see_renders_in_its_language(world, client, who, language):
    user = getattr(world, who)
    user.language = language
    user.save()
    client.force_login(user)
    word, lang_attr = WORDS[language]
    for name in GET_PAGES:
        if user.role not in ACCESS_MATRIX[name].roles:
            continue
        response = client.get(_url(name, world), follow=True)
        assert response.status_code == 200, (name, who)
        if name == "plan_ics":
            assert response["Content-Type"] == "text/calendar; charset=utf-8"
            continue
        if name == "privacy_letter":  # a download, in the reader's language
            assert response["Content-Type"] == "text/markdown; charset=utf-8"
            heading = {"nb": "# Slik måler krutt", "en": "# How krutt measures"}[language]
            assert response.content.decode().startswith(heading)
            continue
        body = response.content.decode()
        assert lang_attr in body, name
        assert word in body, name


def test_the_dashboard_shows_this_weeks_split_against_the_bands(world, client):
    client.force_login(world.manager_a)
    body = client.get(reverse("dashboard")).content.decode()
    # 45 min with the top seller and 2 h with the one not delivering, today.
    assert "Denne uken så langt" in body
    assert "2,8\u00a0t" in body
    assert "De beste" in body and "Leverer ikke" in body
    # All of it is this week: the headline judges this week, the only time there is.
    assert (
        '<p class="headline">73\u00a0% av selgertiden din gikk til Leverer ikke '
        "(policyen sier høyst 10\u00a0%) – 100\u00a0% av den til Ulla Under.</p>"
    ) in body


def test_the_dashboard_in_english(world, client):
    world.manager_a.language = "en"
    world.manager_a.save()
    client.force_login(world.manager_a)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Where your time goes" in body
    assert (
        '<p class="headline">73% of your seller time went to Not delivering (policy at most 10%)'
        " — 100% of it to Ulla Under.</p>"
    ) in body
    # The next actions link to where they are done: the seller it names comes first.
    assert (
        f'<li><a href="/sellers/{world.sellers_a[3].pk}/">Look at Ulla Under&#x27;s plan and support'
        in body
    )


def test_the_sellers_list_filters_and_sorts(world, client):
    client.force_login(world.manager_a)
    body = client.get(reverse("seller_list"), {"segment": "under"}).content.decode()
    assert "Ulla Under" in body
    assert "Tora Topp" not in body
    by_hours = client.get(
        reverse("seller_list"), {"sort": "hours", "period": "week"}
    ).content.decode()
    assert by_hours.index("Ulla Under") < by_hours.index("Tora Topp") < by_hours.index("Kim Kjerne")


def test_user_text_is_escaped_everywhere(world, client):
    evil = make_seller(
        world.team_a,
        "<script>alert(1)</script>",
        "evil@test.example",
        world.sellers_a[0].started_on,
    )
    client.force_login(world.manager_a)
    for url in (
        reverse("seller_list"),
        reverse("seller_detail", kwargs={"seller_id": evil.pk}),
        reverse("time_log"),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url


def test_the_language_switch_is_kept_for_the_user(world, client):
    client.force_login(world.manager_a)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("seller_list")})
    world.manager_a.refresh_from_db()
    assert world.manager_a.language == "en"
    assert "Sellers" in client.get(reverse("seller_list")).content.decode()


def test_the_language_switch_never_redirects_off_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "//evil.example/"})
    assert response["Location"] == "/"


def test_a_seller_page_shows_history_and_reason(world, client):
    client.force_login(world.manager_a)
    body = client.get(
        reverse("seller_detail", kwargs={"seller_id": world.sellers_a[3].pk})
    ).content.decode()
    assert "Ulla Under" in body
    assert "Måloppnåelse 50\u00a0% over 6 måneder (under 70\u00a0%)." in body
    assert "CANARY-NOTE-A" not in body  # Tora's note is not on Ulla's page
    tora = client.get(
        reverse("seller_detail", kwargs={"seller_id": world.sellers_a[0].pk})
    ).content.decode()
    assert "CANARY-NOTE-A-7f3a" in tora
