"""The time log's forms: quick entry (also used to correct an entry) and the timer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from krutt.domain.activities import Activity
from krutt.domain.limits import TEXT_MAX
from krutt.web.sellers.models import Seller

MINUTE_CHOICES = (15, 30, 45, 60, 90, 120)
# Errors that name the field and what is wrong, never Django's generic sentence.
CHOOSE_SELLER = _("Choose at least one seller.")
MINUTES = _("Give the minutes as a whole number from 1 to 1440.")


def activity_choices() -> list[tuple[str, str]]:
    from krutt.web.ui.templatetags.krutt import activity_label

    return [(a.value, activity_label(a)) for a in Activity]


class SellerChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TimeEntryForm(forms.Form):
    sellers = SellerChoices(
        label=_("Seller(s)"),
        queryset=Seller.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": CHOOSE_SELLER},
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=[])
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=24 * 60,
        initial=30,
        error_messages={
            "required": MINUTES,
            "invalid": MINUTES,
            "min_value": MINUTES,
            "max_value": MINUTES,
        },
    )
    when = forms.DateTimeField(
        label=_("When it started"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        help_text=_("Empty means now."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("The note is at most %(limit_value)d characters.")},
    )
    energy = forms.TypedChoiceField(
        label=_("How draining was it?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "–"),
            ("1", _("1 easy")),
            ("2", "2"),
            ("3", "3"),
            ("4", "4"),
            ("5", _("5 draining")),
        ],
    )

    def __init__(self, *args: Any, sellers: QuerySet[Seller], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sellers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # By name, so the boxes keep their order when the form comes back with an error.
        field.queryset = sellers.order_by("name", "pk")
        activity = self.fields["activity"]
        assert isinstance(activity, forms.ChoiceField)
        activity.choices = activity_choices()


class TimerForm(forms.Form):
    sellers = SellerChoices(
        label=_("Seller(s)"),
        queryset=Seller.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": CHOOSE_SELLER},
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=[])

    def __init__(self, *args: Any, sellers: QuerySet[Seller], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sellers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # By name, so the boxes keep their order when the form comes back with an error.
        field.queryset = sellers.order_by("name", "pk")
        activity = self.fields["activity"]
        assert isinstance(activity, forms.ChoiceField)
        activity.choices = activity_choices()
