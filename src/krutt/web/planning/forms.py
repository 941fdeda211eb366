"""Forms on the plan page: how many hours to plan, and moving or adding a session."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from krutt.web.sellers.models import Seller
from krutt.web.timelog.forms import activity_choices


class HoursForm(forms.Form):
    hours = forms.DecimalField(min_value=1, max_value=60, decimal_places=1)

    def __init__(self, *args: Any, week: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The label names the week the hours are for (the page can show any week).
        self.fields["hours"].label = _("Hours of seller time in week %(week)s") % {"week": week}


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class AddForm(forms.Form):
    seller = forms.ModelChoiceField(label=_("Seller"), queryset=Seller.objects.none())
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=15, max_value=240, initial=45)
    activity = forms.ChoiceField(label=_("Activity"), choices=[])

    def __init__(self, *args: Any, sellers: QuerySet[Seller], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seller"] = forms.ModelChoiceField(label=_("Seller"), queryset=sellers)
        activity = self.fields["activity"]
        assert isinstance(activity, forms.ChoiceField)
        activity.choices = activity_choices()
