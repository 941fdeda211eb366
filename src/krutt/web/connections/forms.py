"""The connect form of the Calendar page: a published address, CalDAV, Microsoft 365, Google.

Secrets (the CalDAV password, the app's client secret, the service account's key file)
are never rendered back: a password field stays empty and a file must be chosen again.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConnectForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("ics-url", _("Published calendar address (.ics)")),
            ("caldav", _("CalDAV account (Nextcloud, iCloud, Fastmail …)")),
            ("microsoft365", _("Microsoft 365 (app registration in Entra ID)")),
            ("google", _("Google Workspace (service account)")),
        ],
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=2000,
        required=False,
        help_text=_("Starts with https:// (or webcal://)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    username = forms.CharField(label=_("User name (CalDAV)"), max_length=200, required=False)
    password = forms.CharField(
        label=_("Password (CalDAV)"),
        max_length=500,
        required=False,
        # Never rendered back: the browser's field stays empty after a failed test.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    calendar = forms.CharField(label=_("Calendar name (CalDAV)"), max_length=200, required=False)
    tenant = forms.CharField(label=_("Tenant id (Microsoft 365)"), max_length=200, required=False)
    client_id = forms.CharField(
        label=_("Application (client) id (Microsoft 365)"), max_length=200, required=False
    )
    client_secret = forms.CharField(
        label=_("Client secret (Microsoft 365)"),
        max_length=2000,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    mailbox = forms.EmailField(
        label=_("Mailbox (Microsoft 365, Google)"), max_length=254, required=False
    )
    key_file = forms.FileField(label=_("Service account key, JSON (Google)"), required=False)
    every = forms.IntegerField(
        label=_("Sync every (minutes)"), min_value=5, max_value=7 * 24 * 60, initial=60
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in ("ics-url", "caldav") and not data.get("url"):
            self.add_error("url", _("Give the calendar's address."))
        if kind in ("microsoft365", "google") and not data.get("mailbox"):
            self.add_error("mailbox", _("Give the mailbox whose calendar krutt reads."))
        if kind == "microsoft365":
            for name in ("tenant", "client_id", "client_secret"):
                if not data.get(name):
                    self.add_error(name, _("Microsoft 365 needs this from the app registration."))
        if kind == "google":
            key = data.get("key_file")
            if key is None:
                self.add_error("key_file", _("Choose the service account's key file."))
            else:
                data["key_text"] = key.read(64 * 1024).decode("utf-8", "replace")
        if kind == "caldav":
            if not data.get("username"):
                self.add_error("username", _("A CalDAV account needs a user name."))
            if not data.get("password"):
                self.add_error("password", _("A CalDAV account needs a password."))
        return data
