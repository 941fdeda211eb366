"""Forms on the seller pages: override the segment, keep a private note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krutt.domain.limits import NOTE_MAX, REASON_MAX
from krutt.domain.segments import SEGMENT_ORDER


class OverrideForm(forms.Form):
    segment = forms.ChoiceField(label=_("Segment"), choices=[])
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        error_messages={
            "required": _("Say why: an override needs a reason."),
            "max_length": _("The reason is at most %(limit_value)d characters."),
        },
    )
    expires_on = forms.DateField(
        label=_("Until (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from krutt.web.ui.templatetags.krutt import segment_label

        field = self.fields["segment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.value, segment_label(s)) for s in SEGMENT_ORDER]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX
    )
