from django.apps import AppConfig


class TimelogConfig(AppConfig):
    name = "krutt.web.timelog"
    label = "timelog"
    verbose_name = "Time log"
