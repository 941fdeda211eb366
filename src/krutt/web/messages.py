"""Domain messages in the shell: stored as JSON, rendered in the reader's language.

The domain writes English msgids with typed values; here the msgid goes through
Django's gettext and each value is formatted the way the language writes it
(``64 %`` and ``1,5 t`` in Norwegian, ``64%`` and ``1.5 h`` in English).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from krutt.domain.messages import Hours, Label, Message, Param, Percent, half_up, percent_step


def encode_message(message: Message) -> dict[str, Any]:
    """A JSON-safe form that decodes to an equal Message (fractions stay exact)."""
    encoded: dict[str, Any] = {
        "text": message.text,
        "params": {k: _encode(v) for k, v in message.params.items()},
    }
    if message.plural is not None:
        encoded["plural"], encoded["count"] = message.plural, message.count
    return encoded


def decode_message(data: dict[str, Any]) -> Message:
    return Message(
        data["text"],
        {k: _decode(v) for k, v in data.get("params", {}).items()},
        plural=data.get("plural"),
        count=data.get("count"),
    )


def _encode(value: Param) -> list[str]:
    if isinstance(value, Percent):
        if value.places:
            return ["percent", str(value.value), str(value.places)]
        return ["percent", str(value.value)]
    if isinstance(value, Hours):
        return ["hours", str(value.value)]
    if isinstance(value, Label):
        return ["label", value.text]
    if isinstance(value, Fraction):
        return ["fraction", str(value)]
    if isinstance(value, Decimal):
        return ["decimal", str(value)]
    if isinstance(value, date):
        return ["date", value.isoformat()]
    if isinstance(value, int):
        return ["int", str(value)]
    return ["str", value]


def _decode(item: list[str]) -> Param:
    kind, raw = item[0], item[1]
    if kind == "percent" and len(item) == 3:
        return Percent(Fraction(raw), int(item[2]))
    decoders: dict[str, Any] = {
        "percent": lambda v: Percent(Fraction(v)),
        "hours": lambda v: Hours(Fraction(v)),
        "label": Label,
        "fraction": Fraction,
        "decimal": Decimal,
        "date": date.fromisoformat,
        "int": int,
        "str": str,
    }
    return decoders[kind](raw)  # type: ignore[no-any-return]


def render(message: Message, language: str | None = None) -> str:
    """The message as a sentence in `language` (the active language when None)."""
    if language is None:
        return _render(message)
    with translation.override(language):
        return _render(message)


def _render(message: Message) -> str:
    values = {name: format_value(value) for name, value in message.params.items()}
    if message.plural is not None:
        return ngettext(message.text, message.plural, message.number).format(**values)
    return gettext(message.text).format(**values)


def format_value(value: Param) -> str:
    """A value as the active language writes it."""
    if isinstance(value, Percent):
        return format_percent(value.value, value.places)
    if isinstance(value, Hours):
        return format_hours(value.value)
    if isinstance(value, Label):
        return gettext(value.text)
    if isinstance(value, Fraction):
        return format_number(float(value), 2)
    if isinstance(value, Decimal):
        return format_number(value, 2)
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def format_number(value: float | Decimal, places: int) -> str:
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def format_percent(value: Fraction | float, places: int = 0) -> str:
    rounded = half_up(Fraction(value) * 100, percent_step(places))
    number = (
        formats.number_format(rounded, decimal_pos=places, use_l10n=True) if places else rounded
    )
    if translation.get_language() == "nb":
        return f"{number}\u00a0%"
    return f"{number}%"


def format_hours(value: Fraction | float) -> str:
    # Half-hours and quarters are common: 1.25 h reads as "about 1.3 h", never 1.2.
    rounded = half_up(Fraction(value), "0.1")
    number = formats.number_format(rounded, decimal_pos=1, use_l10n=True, force_grouping=True)
    # Translators: the unit after a number of hours, such as 1.5 h.
    unit = gettext("h")
    return f"{number}\u00a0{unit}"


def in_language(language: str) -> translation.override:
    """Everything rendered inside the block is in `language`."""
    return translation.override(language)


def tr(text: str) -> str:
    """Translate a fixed UI string in the active language."""
    return gettext(text)
