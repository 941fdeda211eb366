from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "krutt.web.team"
    label = "team"
