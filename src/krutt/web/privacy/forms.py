"""The Privacy page's forms: a team's § 9-2 notice, the retention periods, a seller's request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krutt.web.privacy.retention import CATEGORIES, MAX_MONTHS, MIN_MONTHS
from krutt.web.sellers.models import Team


class NoticeForm(forms.Form):
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), empty_label=None
    )
    informed_on = forms.DateField(
        label=_("Sellers informed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    discussed_on = forms.DateField(
        label=_("Discussed with the employee representatives on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    purpose = forms.CharField(
        label=_("Purpose of the measurement"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    until = forms.DateField(
        label=_("Ends on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class RetentionForm(forms.Form):
    """One whole number of months per category."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in CATEGORIES:
            self.fields[category.key] = forms.IntegerField(
                label=_(category.label), min_value=MIN_MONTHS, max_value=MAX_MONTHS
            )


class SellerRequestForm(forms.Form):
    """A seller's request to the admin: a copy of their data, or erasure."""

    seller = forms.ChoiceField(label=_("Seller"), choices=[])
    reason = forms.CharField(
        label=_("Reason (kept in the audit trail)"), max_length=500, required=False
    )
    force = forms.BooleanField(label=_("Erase although they have not left"), required=False)

    def __init__(self, *args: Any, sellers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seller"].choices = [(str(pk), name) for pk, name in sellers]  # type: ignore[attr-defined]
