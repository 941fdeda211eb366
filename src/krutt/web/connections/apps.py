from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "krutt.web.connections"
    label = "connections"
    default_auto_field = "django.db.models.BigAutoField"
