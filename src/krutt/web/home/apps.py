from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "krutt.web.home"
    label = "home"
    verbose_name = "Home"
