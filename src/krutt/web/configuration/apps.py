from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    name = "krutt.web.configuration"
    label = "configuration"
    verbose_name = "Settings"
