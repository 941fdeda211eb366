from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "krutt.web.support"
    label = "support"
    verbose_name = "Support ledger"
