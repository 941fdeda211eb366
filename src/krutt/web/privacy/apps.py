from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "krutt.web.privacy"
    label = "privacy"
    verbose_name = "Privacy"
