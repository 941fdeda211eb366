"""Settings forms: the policy and its bands, the segment rules, and the organisation's own choices."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from krutt.domain.activities import Activity
from krutt.domain.errors import KruttError
from krutt.domain.limits import NAME_MAX
from krutt.domain.policy import PRESETS, Band, custom_policy, preset
from krutt.domain.segmentation import SegmentationRules
from krutt.domain.segments import SEGMENT_ORDER, Segment
from krutt.importers.outcome_names import OutcomeNames, outcome_names
from krutt.web.messages import render

PERCENT: dict[str, Any] = {
    "min_value": Decimal(0),
    "max_value": Decimal(100),
    "decimal_places": 1,
    "max_digits": 4,
}


def _percent(value: Fraction | None) -> Decimal | None:
    """A fraction as the percentage the form shows: 0.5 → 50, 0.125 → 12.5."""
    if value is None:
        return None
    shown = Decimal(float(value * 100)).quantize(Decimal("0.1"))
    return shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown


class PolicyForm(forms.Form):
    """A preset, optionally with the team's own bands, and the thresholds that place sellers."""

    policy = forms.ChoiceField(label=_("Policy"), choices=[])
    custom_bands = forms.BooleanField(label=_("Use our own bands"), required=False)
    ramp_months = forms.IntegerField(
        label=_("Ramp period (months a seller counts as new)"), min_value=0, max_value=36
    )
    window_months = forms.IntegerField(
        label=_("Months of results judged"), min_value=1, max_value=24
    )
    under_below = forms.DecimalField(
        label=_("Not delivering below (% attainment)"), **PERCENT | {"max_value": Decimal(1000)}
    )
    top_from = forms.DecimalField(
        label=_("Top from (% attainment)"), **PERCENT | {"max_value": Decimal(1000)}
    )
    min_months_for_under = forms.IntegerField(
        label=_("Months of data before «not delivering»"), min_value=1, max_value=24
    )
    hysteresis_months = forms.IntegerField(
        label=_("Months in a row before an established seller moves"), min_value=1, max_value=12
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils.translation import gettext

        field = self.fields["policy"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, gettext(p.name)) for key, p in PRESETS.items()]
        for segment in SEGMENT_ORDER:
            self.fields[f"{segment.value}_min"] = forms.DecimalField(
                label=_("minimum %"), required=False, **PERCENT
            )
            self.fields[f"{segment.value}_max"] = forms.DecimalField(
                label=_("maximum %"), required=False, **PERCENT
            )

    @staticmethod
    def initial_from(
        policy_key: str, bands: dict[Segment, Band] | None, rules: SegmentationRules
    ) -> dict[str, Any]:
        shown = bands or dict(preset(policy_key).bands)
        initial: dict[str, Any] = {
            "policy": policy_key,
            "custom_bands": bands is not None,
            "ramp_months": rules.ramp_months,
            "window_months": rules.window_months,
            "under_below": _percent(rules.under_below),
            "top_from": _percent(rules.top_from),
            "min_months_for_under": rules.min_months_for_under,
            "hysteresis_months": rules.hysteresis_months,
        }
        for segment, band in shown.items():
            initial[f"{segment.value}_min"] = _percent(band.minimum)
            initial[f"{segment.value}_max"] = _percent(band.maximum)
        return initial

    def bands_for(self, segment: Segment) -> tuple[str, str]:
        return (self[f"{segment.value}_min"], self[f"{segment.value}_max"])  # type: ignore[return-value]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            base = preset(data["policy"])
            if data.get("custom_bands"):
                bands = {}
                for segment in SEGMENT_ORDER:
                    low = data.get(f"{segment.value}_min")
                    high = data.get(f"{segment.value}_max")
                    bands[segment] = Band(
                        minimum=Fraction(low or 0) / 100,
                        maximum=Fraction(high) / 100 if high is not None else None,
                    )
                data["bands"] = custom_policy(base=base, bands=bands).bands
            else:
                data["bands"] = None
            data["rules"] = SegmentationRules(
                ramp_months=data["ramp_months"],
                window_months=data["window_months"],
                under_below=Fraction(data["under_below"]) / 100,
                top_from=Fraction(data["top_from"]) / 100,
                min_months_for_under=data["min_months_for_under"],
                hysteresis_months=data["hysteresis_months"],
            )
        except KruttError as error:
            raise forms.ValidationError(render(error.message)) from None
        return data


def _zones() -> list[tuple[str, str]]:
    preferred = [
        "Europe/Oslo",
        "Europe/Stockholm",
        "Europe/Copenhagen",
        "Europe/Helsinki",
        "Europe/London",
        "UTC",
    ]
    rest = sorted(
        z
        for z in available_timezones()
        if "/" in z and z not in preferred and not z.startswith("Etc/")
    )
    return [(z, z) for z in preferred + rest]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=NAME_MAX)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[])
    language = forms.ChoiceField(
        label=_("Default language"), choices=[("nb", "Norsk bokmål"), ("en", "English")]
    )
    team_wide_above = forms.IntegerField(
        label=_("A meeting with more sellers than this is team-wide"), min_value=2, max_value=100
    )
    won_stage_names = forms.CharField(
        label=_("Won stage names"),
        help_text=_("Besides Closed Won, Won, Vunnet, Solgt and the other names krutt knows."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    lost_stage_names = forms.CharField(
        label=_("Lost stage names"),
        help_text=_("Besides Closed Lost, Lost, Tapt and the other names krutt knows."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _zones()
        from krutt.web.ui.templatetags.krutt import activity_label

        for activity in Activity:
            self.fields[f"keywords_{activity.value}"] = forms.CharField(
                label=activity_label(activity), required=False, max_length=1000
            )

    def clean_time_zone(self) -> str:
        zone = str(self.cleaned_data["time_zone"])
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("Unknown time zone.")) from None
        return zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["outcome_names"] = outcome_names(
                won=_names(data["won_stage_names"]), lost=_names(data["lost_stage_names"])
            )
        except KruttError as error:
            raise forms.ValidationError(render(error.message)) from None
        return data

    def stage_names(self) -> OutcomeNames:
        names: OutcomeNames = self.cleaned_data["outcome_names"]
        return names

    def keywords(self) -> dict[str, list[str]]:
        result = {}
        for activity in Activity:
            words = [
                w.strip().lower()
                for w in self.cleaned_data[f"keywords_{activity.value}"].split(",")
            ]
            result[activity.value] = [w for w in words if w]
        return result

    def keyword_fields(self) -> list[Any]:
        return [self[f"keywords_{a.value}"] for a in Activity]

    def outcome_fields(self) -> list[Any]:
        return [self["won_stage_names"], self["lost_stage_names"]]


def _names(text: str) -> list[str]:
    """One name per line or comma-separated; blank lines and a trailing comma are no name."""
    pieces = (piece.strip() for line in text.splitlines() for piece in line.split(","))
    return [piece for piece in pieces if piece]
