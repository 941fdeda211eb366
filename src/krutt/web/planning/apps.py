from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "krutt.web.planning"
    label = "planning"
    verbose_name = "Plans and busy time"
