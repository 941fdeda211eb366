from django.apps import AppConfig


class MeConfig(AppConfig):
    name = "krutt.web.me"
    label = "me"
    verbose_name = "The seller's own view"
