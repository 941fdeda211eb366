"""The connect form of the CRM page: which CRM, its address, its token or secret."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krutt.web.crm.models import CrmKind


class CrmConnectForm(forms.Form):
    kind = forms.ChoiceField(label=_("CRM"), choices=CrmKind.choices)
    url = forms.CharField(
        label=_("API address"),
        max_length=500,
        required=False,
        help_text=_(
            "Only for Salesforce (your My Domain address) and SuperOffice (your tenant's "
            "web API address); HubSpot and Pipedrive have one address for everyone."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    client_id = forms.CharField(
        label=_("Client id (Salesforce connected app)"), max_length=300, required=False
    )
    secret = forms.CharField(
        label=_("Token or secret"),
        max_length=2000,
        help_text=_(
            "HubSpot: a private app's access token. Pipedrive: the API token. Salesforce: "
            "the connected app's client secret. SuperOffice: the system user's ticket."
        ),
        # Never rendered back: the field stays empty after a failed test.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    every = forms.IntegerField(
        label=_("Sync every (minutes)"), min_value=15, max_value=7 * 24 * 60, initial=360
    )
    won = forms.CharField(
        label=_("Stages that count as won (comma-separated)"), max_length=1000, required=False
    )
    lost = forms.CharField(
        label=_("Stages that count as lost (comma-separated)"), max_length=1000, required=False
    )


class AliasForm(forms.Form):
    owner = forms.EmailField(max_length=254)
    seller = forms.IntegerField(min_value=1)
