"""Forms of the support ledger: the plan with its actions, support given, the manager's decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krutt.domain.limits import ACTION_MAX, TEXT_MAX
from krutt.domain.support import Decision, SupportKind

ACTION_ROWS = 4


def _kinds() -> list[tuple[str, str]]:
    from django.utils.translation import gettext

    return [(k.value, gettext(k.label.text)) for k in SupportKind]


class SupportPlanForm(forms.Form):
    goal = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )
    started_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    review_on = forms.DateField(
        label=_("Review date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(ACTION_ROWS):
            self.fields[f"action_{i}_kind"] = forms.ChoiceField(
                label=_("Action"), choices=[("", "–"), *_kinds()], required=False
            )
            self.fields[f"action_{i}_description"] = forms.CharField(
                label=_("What"), max_length=ACTION_MAX, required=False
            )
            self.fields[f"action_{i}_hours"] = forms.DecimalField(
                label=_("Hours"),
                min_value=Decimal(0),
                max_value=Decimal(200),
                decimal_places=1,
                required=False,
            )

    def action_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"action_{i}_kind"], self[f"action_{i}_description"], self[f"action_{i}_hours"])
            for i in range(ACTION_ROWS)
        ]

    def actions(self) -> list[tuple[SupportKind, str, int]]:
        result = []
        for i in range(ACTION_ROWS):
            kind = self.cleaned_data.get(f"action_{i}_kind")
            if not kind:
                continue
            hours = self.cleaned_data.get(f"action_{i}_hours") or Decimal(0)
            result.append(
                (
                    SupportKind(kind),
                    (self.cleaned_data.get(f"action_{i}_description") or "").strip(),
                    int(hours * 60),
                )
            )
        return result


class SupportLogForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = _kinds()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[])
    decided_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils.translation import gettext

        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = [(d.value, gettext(d.label.text)) for d in Decision]
