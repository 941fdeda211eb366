from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "krutt.web.api"
    label = "api"
    verbose_name = "HTTP API"
