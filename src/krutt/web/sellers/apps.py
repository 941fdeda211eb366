from django.apps import AppConfig


class SellersConfig(AppConfig):
    name = "krutt.web.sellers"
    label = "sellers"
    verbose_name = "Teams, sellers and performance"
