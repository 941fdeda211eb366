from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "krutt.web.imports"
    label = "imports"
    verbose_name = "Imports"
