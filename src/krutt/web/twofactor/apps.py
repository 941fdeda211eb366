from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "krutt.web.twofactor"
    label = "twofactor"
    verbose_name = "Two-factor sign-in"
