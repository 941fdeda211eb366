"""The Imports page's forms: the upload, and the choices made on the preview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krutt.importers.crm_presets import FIELDS, PRESETS

FIELD_LABELS = {
    "deal_id": _("Deal id"),
    "name": _("Deal name"),
    "owner": _("Owner"),
    "owner_email": _("Owner's e-mail"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "status": _("Status"),
    "stage": _("Stage"),
    "won_on": _("Won on"),
    "closed_on": _("Close date"),
    "created_on": _("Created on"),
    "account": _("Customer"),
    "lost_reason": _("Reason lost"),
}


def preset_choices() -> list[tuple[str, Any]]:
    return [("auto", _("Recognise from the column names"))] + [
        (key, _(preset.name)) for key, preset in PRESETS.items()
    ]


KINDS = [
    ("deals", _("Deals exported from a CRM (CSV or XLSX)")),
    ("calendar", _("My calendar (.ics)")),
    ("sellers", _("The roster: sellers (CSV or XLSX)")),
    ("performance", _("Monthly targets and results (CSV or XLSX)")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is in the file"),
        choices=KINDS,
        initial="deals",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    preset = forms.ChoiceField(
        label=_("CRM"), choices=preset_choices, initial="auto", required=False
    )
    first = forms.DateField(
        label=_("Calendar from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: from the first event in the file."),
    )
    last = forms.DateField(
        label=_("Calendar to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: 12 weeks from today."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["preset"] = data.get("preset") or "auto"
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("last", _("The period ends before it starts."))
        return data


class DealChoicesForm(forms.Form):
    """The CRM and, per field, the column to read it from (empty: krutt's choice)."""

    preset = forms.ChoiceField(label=_("CRM"), choices=preset_choices)

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [("", _("(krutt's choice)"))] + [(h, h) for h in headers if h]
        for name in FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=FIELD_LABELS.get(name, name), choices=columns, required=False
            )

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"map_{name}"]
            for name in FIELDS
            if self.cleaned_data.get(f"map_{name}")
        }


class PeriodForm(forms.Form):
    first = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("last", _("The period ends before it starts."))
        return data
