from django.apps import AppConfig


class OutcomeConfig(AppConfig):
    name = "krutt.web.outcome"
    label = "outcome"
    verbose_name = "Results: does the policy pay"
