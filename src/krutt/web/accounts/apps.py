from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "krutt.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from axes.signals import user_locked_out  # type: ignore[import-untyped]

        from krutt.web.accounts.lockouts import audit_lockout

        user_locked_out.connect(audit_lockout, dispatch_uid="krutt-audit-lockout")
