from django.apps import AppConfig


class UiConfig(AppConfig):
    """Shared look: template filters, the inline charts, the stylesheet and the small script."""

    name = "krutt.web.ui"
    label = "ui"
    verbose_name = "User interface"
