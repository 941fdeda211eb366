"""The API's endpoints, scoped exactly as the web: what each role gets, and what it cannot touch."""

from __future__ import annotations

from django.test import Client, override_settings

from krutt.web.audit.models import AuditEvent
from krutt.web.timelog.models import TimeEntry
from tests.web.api.conftest import Api, token_for


def test_a_manager_lists_only_their_own_team_and_a_foreign_seller_is_404(world, as_user):
    api = as_user("manager_a")

    listed = api.get("/sellers").json()
    foreign = api.get(f"/sellers/{world.sellers_b[0].pk}")
    missing = api.get("/sellers/999999")

    assert sorted(s["email"] for s in listed["items"]) == sorted(s.email for s in world.sellers_a)
    assert listed["count"] == len(world.sellers_a)
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert foreign.json() == missing.json()
    assert b"CANARY" not in foreign.content


def test_a_director_reads_their_teams_reports_but_not_another_managers(world, as_user):
    api = as_user("director_a")

    own = api.get("/reports", {"manager": world.manager_a.email, "week": "2026-W47"})
    other = api.get("/reports", {"manager": world.manager_b.email, "week": "2026-W47"})

    assert own.status_code == 200
    assert own.json()["manager"] == world.manager_a.email
    assert other.status_code == 404
    # The refusal never lists the managers that do exist.
    assert world.manager_b.email.encode() in other.content
    assert world.manager_a.email.encode() not in other.content


def test_a_manager_cannot_read_another_managers_report(world, as_user):
    answer = as_user("manager_a").get("/reports", {"manager": world.manager_b.email})

    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_an_admin_and_a_seller_are_refused_team_data_with_403(world, as_user):
    for who in ("admin", "seller_a"):
        api = as_user(who)
        for path in ("/sellers", "/reports", "/segments", "/time-entries", "/outcome"):
            answer = api.get(path)
            assert answer.status_code == 403, (who, path)
            assert answer.json()["code"] == "forbidden"


def test_a_seller_reads_their_own_record_and_nothing_else(world, as_user):
    answer = as_user("seller_a").get("/me")

    assert answer.status_code == 200
    assert answer.json()["seller"]["email"] == world.sellers_a[0].email
    for other in world.sellers_a[1:] + world.sellers_b:
        assert other.email.encode() not in answer.content
    assert as_user("manager_a").get("/me").status_code == 403


def test_bad_period_is_a_400_with_the_clis_sentence(world, as_user):
    answer = as_user("manager_a").get("/reports", {"to": "2026-11-22"})

    assert answer.status_code == 400
    assert answer.json()["detail"] == "--to trenger --from."


def test_one_entry_is_logged_through_the_one_path_and_audited(world, as_user):
    api = as_user("manager_a")
    before = TimeEntry.objects.count()

    made = api.post(
        "/time-entries",
        {
            "seller": [world.sellers_a[0].email],
            "minutes": 25,
            "activity": "one_on_one",
            "at": "2026-11-17T09:00",
        },
    )

    entry = made.json()["entries"][0]
    assert made.status_code == 201
    assert (entry["minutes"], entry["activity"], entry["source"], entry["day"]) == (
        25,
        "one_on_one",
        "api",
        "2026-11-17",
    )
    assert entry["start"] == "2026-11-17T09:00:00+01:00"
    assert TimeEntry.objects.count() == before + 1
    assert (
        AuditEvent.objects.filter(
            action="time_entry.create", object_id=str(entry["id"]), channel="api"
        ).count()
        == 1
    )


def test_a_batch_is_all_or_nothing_and_names_the_refused_item(world, as_user):
    api = as_user("manager_a")
    before = TimeEntry.objects.count()
    good = {
        "seller": [world.sellers_a[0].email],
        "minutes": 30,
        "activity": "coaching",
        "at": "2026-11-17T09:00",
    }
    foreign = {**good, "seller": [world.sellers_b[0].email]}

    refused = api.post("/time-entries", {"entries": [good, good, foreign]})
    accepted = api.post("/time-entries", {"entries": [good, {**good, "minutes": 15}]})

    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("Registrering 3:")
    assert world.sellers_b[0].name.encode() not in refused.content
    assert accepted.status_code == 201
    assert [e["minutes"] for e in accepted.json()["entries"]] == [30, 15]
    assert TimeEntry.objects.count() == before + 2


def test_the_same_idempotency_key_replays_and_another_body_is_409(world, as_user):
    api = as_user("manager_a")
    body = {
        "seller": [world.sellers_a[0].email],
        "minutes": 30,
        "activity": "coaching",
        "at": "2026-11-17T09:00",
    }
    before = TimeEntry.objects.count()

    first = api.post("/time-entries", body, **{"Idempotency-Key": "abc-1"})
    again = api.post("/time-entries", body, **{"Idempotency-Key": "abc-1"})
    other = api.post("/time-entries", {**body, "minutes": 45}, **{"Idempotency-Key": "abc-1"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert again.json() == first.json()
    assert TimeEntry.objects.count() == before + 1


def test_an_entry_is_listed_edited_and_deleted_by_its_manager_only(world, as_user):
    api, other = as_user("manager_a"), as_user("manager_b")
    entry = world.entry_a
    week = entry.day.isocalendar()
    kim = next(s for s in world.sellers_a if s.name == "Kim Kjerne")
    body = {"seller": [kim.email], "minutes": 50, "activity": "training"}

    listed = api.get("/time-entries", {"week": f"{week.year}-W{week.week:02d}"}).json()
    foreign_edit = other.put(f"/time-entries/{entry.pk}", body)
    foreign_delete = other.delete(f"/time-entries/{entry.pk}")
    edited = api.put(f"/time-entries/{entry.pk}", body)
    deleted = api.delete(f"/time-entries/{entry.pk}")

    assert entry.pk in [e["id"] for e in listed["items"]]
    assert (foreign_edit.status_code, foreign_delete.status_code) == (404, 404)
    assert edited.status_code == 200
    assert (edited.json()["minutes"], edited.json()["sellers"]) == (50, [kim.email])
    assert deleted.status_code == 204
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()
    assert [
        e.action
        for e in AuditEvent.objects.filter(
            object_id=str(entry.pk), object_type="time_entry"
        ).order_by("id")
    ][-2:] == [
        "time_entry.update",
        "time_entry.delete",
    ]


@override_settings(KRUTT_API_RATE_PER_MINUTE=3)
def test_a_token_over_its_rate_gets_429_with_retry_after(world):
    api = Api(Client(), token_for(world.manager_a))
    fresh = Api(Client(), token_for(world.manager_a, "other"))

    statuses = [api.get("/sellers").status_code for _ in range(4)]
    limited = api.get("/sellers")

    assert statuses == [200, 200, 200, 429]
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert fresh.get("/sellers").status_code == 200


@override_settings(KRUTT_API_MAX_BODY_BYTES=200)
def test_a_body_over_the_limit_is_413_and_stores_nothing(world, as_user):
    api = as_user("manager_a")
    before = TimeEntry.objects.count()

    answer = api.post(
        "/time-entries",
        {
            "seller": [world.sellers_a[0].email],
            "minutes": 30,
            "activity": "coaching",
            "note": "x" * 300,
        },
    )

    assert answer.status_code == 413
    assert TimeEntry.objects.count() == before


def test_pages_are_bounded(world, as_user):
    api = as_user("manager_a")

    assert api.get("/sellers", {"limit": 501}).status_code == 422
    assert (
        api.get("/sellers", {"limit": 2, "offset": 1}).json()["items"]
        == api.get("/sellers").json()["items"][1:3]
    )
    assert len(api.post("/time-entries", {"entries": []}).json()["errors"]) >= 1


def test_the_openapi_document_and_docs_page_are_served_without_a_cdn(client):
    document = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert document.status_code == 200
    paths = document.json()["paths"]
    assert {"/api/v1/reports", "/api/v1/time-entries", "/api/v1/me", "/api/v1/segments"} <= set(
        paths
    )
    for operation in (op for ops in paths.values() for op in ops.values()):
        assert {"400", "401", "403", "404", "409", "422", "429"} <= set(operation["responses"])
    assert docs.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_a_saved_plan_is_kept_audited_and_answered_as_the_plan_document(world, as_user):
    from krutt.web.planning.models import PlannedSlot

    api = as_user("manager_a")

    saved = api.post("/plans", {"hours": 6})
    proposed = api.get("/plans", {"hours": 6, "week": saved.json()["week"]})

    assert saved.status_code == 201, saved.content
    slots = sum(len(s["slots"]) for s in saved.json()["sellers"])
    assert slots > 0
    assert (
        PlannedSlot.objects.filter(
            manager=world.manager_a, week=saved.json()["week"], cancelled=False
        ).count()
        == slots
    )
    assert proposed.json() == saved.json()
    assert AuditEvent.objects.filter(action="plan.save", channel="api").count() == 1


def test_a_plan_beyond_the_stored_segments_is_refused_and_writes_nothing(world, as_user):
    from tests.web.routes import database_fingerprint

    api = as_user("manager_a")
    before = database_fingerprint()

    answer = api.get("/plans", {"hours": 6, "week": "2031-W10"})

    assert answer.status_code == 400
    assert "2031-W10" in answer.json()["detail"]
    assert database_fingerprint() == before


def _roster(api: Api, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("sellers.csv", text.encode(), content_type="text/csv")
    return api.client.post("/api/v1/sellers/roster", {"file": upload}, headers=api.headers())


HEADER = "name,email,start_date,team,manager_email,aliases\n"


def test_a_director_adds_a_seller_to_their_own_team_only(world, as_user):
    from krutt.web.sellers.models import Seller

    api = as_user("director_a")
    own = HEADER + "Nora Ny,nora@test.example,2026-11-02,Team A,anne@test.example,\n"
    other = HEADER + "Per Pirat,pirat@test.example,2026-11-02,Team B,bjorn@test.example,\n"
    moved = HEADER + "Siri,siri@test.example,2019-02-04,Team A,anne@test.example,\n"

    added = _roster(api, own)
    refused = [_roster(api, other), _roster(api, moved)]

    assert added.status_code == 201, added.content
    assert Seller.objects.get(email="nora@test.example").team == world.team_a
    assert [r.status_code for r in refused] == [400, 400]
    assert refused[1].json()["errors"] == [
        {"loc": ["file", 2], "msg": "Bare selgere på dine egne team kan endres."}
    ]
    assert not Seller.objects.filter(email="pirat@test.example").exists()
    assert Seller.objects.get(email="siri@test.example").team == world.team_b
    assert b"CANARY" not in refused[1].content


def test_a_roster_with_a_bad_line_is_400_by_line_and_changes_nothing(world, as_user):
    from krutt.web.sellers.models import Seller

    before = Seller.objects.count()

    answer = _roster(
        as_user("admin"),
        HEADER + "Nora Ny,nora@test.example,not-a-date,Team A,anne@test.example,\n",
    )

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["loc"] == ["file", 2]
    assert Seller.objects.count() == before


def test_a_nul_character_in_a_query_is_a_documented_400_not_a_server_error(world, as_user):
    # Found by schemathesis on PostgreSQL: a NUL in ?manager= reached the database.
    api = as_user("manager_a")
    for path in ("/outcome", "/reports", "/segments"):
        response = api.get(path, {"manager": "anne@test.example\x00"})
        assert response.status_code == 400, path
        assert response.json()["code"] == "bad_request"
