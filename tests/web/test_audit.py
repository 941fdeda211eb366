"""The audit trail can be added to, never rewritten — by the app or by SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from krutt.web.audit.models import AuditEvent, AuditEventError
from krutt.web.audit.trail import record

pytestmark = pytest.mark.django_db


def _event() -> AuditEvent:
    return record(
        action="segment.override",
        object_type="seller",
        object_id=7,
        organisation_id=None,
        actor_id=1,
    )


def test_an_event_cannot_be_changed_through_the_model():
    event = _event()
    event.action = "something.else"
    with pytest.raises(AuditEventError):
        event.save()
    assert AuditEvent.objects.get().action == "segment.override"


def test_an_event_cannot_be_deleted_through_the_model_or_a_queryset():
    event = _event()
    with pytest.raises(AuditEventError):
        event.delete()
    with pytest.raises(AuditEventError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditEventError):
        AuditEvent.objects.update(action="x")
    assert AuditEvent.objects.count() == 1


def test_the_database_refuses_an_update_in_sql():
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get().action == "segment.override"


def test_postgresql_also_refuses_a_delete_in_sql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite keeps DELETE for the test runner's flush; the model refuses it (see migration 0002)"
        )
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.count() == 1
