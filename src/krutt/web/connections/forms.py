"""The connect form of the Calendar page: the kinds that can be connected today."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConnectForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("ics-url", _("Published calendar address (.ics)")),
            ("caldav", _("CalDAV account (Nextcloud, iCloud, Fastmail …)")),
        ],
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=2000,
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
    every = forms.IntegerField(
        label=_("Sync every (minutes)"), min_value=5, max_value=7 * 24 * 60, initial=60
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == "caldav":
            if not data.get("username"):
                self.add_error("username", _("A CalDAV account needs a user name."))
            if not data.get("password"):
                self.add_error("password", _("A CalDAV account needs a password."))
        return data
