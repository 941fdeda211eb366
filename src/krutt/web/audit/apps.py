from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "krutt.web.audit"
    label = "audit"
    verbose_name = "Audit trail"
