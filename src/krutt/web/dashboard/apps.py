from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "krutt.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
