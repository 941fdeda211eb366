"""The forms of the team setup: the first account, a typed seller, an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from krutt.domain.addresses import normalise_email
from krutt.domain.limits import EMAIL_MAX, NAME_MAX, TEAM_NAME_MAX

DATE = forms.DateInput(attrs={"type": "date"})


class StartForm(forms.Form):
    """The very first login of a new installation: the organisation and its first manager."""

    organisation = forms.CharField(label=_("Company"), max_length=200)
    team = forms.CharField(label=_("Your team's name"), max_length=TEAM_NAME_MAX)
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    email = forms.EmailField(label=_("Your e-mail"), max_length=EMAIL_MAX)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("nb", "Norsk bokmål"), ("en", "English")], initial="nb"
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class SellerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX)
    started_on = forms.DateField(label=_("Start date"), widget=DATE)
    ended_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DATE,
        help_text=_("Empty while they work here."),
    )
    aliases = forms.CharField(
        label=_("Other addresses"),
        required=False,
        help_text=_("Addresses they appear under in calendars or the CRM, separated by commas."),
    )
    team = forms.ChoiceField(label=_("Team"), choices=[])

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = teams
        if len(teams) == 1:
            field.initial = teams[0][0]

    def clean_aliases(self) -> list[str]:
        found: list[str] = []
        validator = forms.EmailField()
        for part in self.cleaned_data["aliases"].replace(";", ",").split(","):
            part = normalise_email(part)
            if not part:
                continue
            try:
                validator.clean(part)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("%(value)s is not an e-mail address."), params={"value": part}
                ) from None
            found.append(part)
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("started_on"), data.get("ended_on")
        if first and last and last < first:
            self.add_error("ended_on", _("The end date is before the start date."))
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX)
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("manager", _("Sales manager")), ("director", _("Sales director"))],
        initial="manager",
        widget=forms.RadioSelect,
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])
