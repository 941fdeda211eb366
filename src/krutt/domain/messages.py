"""Sentences a manager reads, kept translatable without importing Django.

The domain states its reasons and alerts as a `Message`: an English source text with
named placeholders (the gettext msgid) and typed values. The shell translates the text
and formats the values for the reader's language (``64 %`` and ``1,5 t`` in Norwegian).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from string import Formatter
from typing import Any


def gettext_noop(text: str) -> str:
    """Mark `text` for translation; makemessages collects it, the shell translates it."""
    return text


@dataclass(frozen=True, slots=True)
class Percent:
    """A fraction shown as a percentage, whole by default (0.6416 → 64 %)."""

    value: Fraction
    places: int = 0


@dataclass(frozen=True, slots=True)
class Hours:
    """A number of hours shown with one decimal."""

    value: Fraction


@dataclass(frozen=True, slots=True)
class Label:
    """A fixed term (a segment or activity name) that is itself translated."""

    text: str


Param = int | str | Decimal | Fraction | Percent | Hours | Label | date


def plural_noop(singular: str, plural: str) -> tuple[str, str]:
    """Mark a sentence with a singular and a plural form (makemessages collects both)."""
    return singular, plural


@dataclass(frozen=True, slots=True)
class Message:
    """A translatable sentence: `text` is the English msgid, `params` fill its {names}.

    With `plural`, the form follows the number in the `count` parameter ("1 month",
    "6 months"; Norwegian "1 måned", "6 måneder").
    """

    text: str
    params: Mapping[str, Param] = field(default_factory=dict)
    plural: str | None = None
    count: str | None = None

    def __post_init__(self) -> None:
        names = placeholders(self.text)
        if names != set(self.params):
            raise ValueError(
                f"message {self.text!r} needs {sorted(names)}, got {sorted(self.params)}"
            )
        if self.plural is not None and (
            self.count not in self.params or placeholders(self.plural) != names
        ):
            raise ValueError(f"plural message {self.text!r} needs a count among its params")

    @classmethod
    def counted(cls, forms: tuple[str, str], count: str, params: Mapping[str, Param]) -> Message:
        return cls(forms[0], params, plural=forms[1], count=count)

    @property
    def number(self) -> int:
        """The count that picks the form (1 for a sentence without a plural)."""
        value = self.params[self.count] if self.count else 1
        return int(value) if isinstance(value, int | Decimal | Fraction) else 1

    def english(self) -> str:
        """The English form for the count, before translation."""
        if self.plural is not None and self.number != 1:
            return self.plural
        return self.text


@lru_cache(maxsize=1024)
def placeholders(text: str) -> frozenset[str]:
    """The {names} a message text needs (cached: the same few texts are checked thousands of times)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(text) if name)


def render_plain(message: Message) -> str:
    """English rendering without Django, for logs, tests and the pure core's errors."""
    return message.english().format(**{k: format_plain(v) for k, v in message.params.items()})


def half_up(value: Fraction, step: str) -> Decimal:
    """`value` rounded to `step` the way people round: 1.25 → 1.3, 0.645 → 0.65."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(step), ROUND_HALF_UP)


def format_plain(value: Param) -> str:
    if isinstance(value, Percent):
        return f"{half_up(value.value * 100, _step(value.places))}%"
    if isinstance(value, Hours):
        return f"{half_up(value.value, '0.1')} h"
    if isinstance(value, Label):
        return value.text
    if isinstance(value, Fraction):
        return f"{float(value):g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _step(places: int) -> str:
    return "1" if places <= 0 else "0." + "0" * (places - 1) + "1"


def percent_step(places: int) -> str:
    """The rounding step for a percentage shown with `places` decimals."""
    return _step(places)


def message_numbers(message: Message) -> dict[str, Any]:
    """The values behind a sentence, JSON-plain, for tools that read the numbers, not the text."""
    return {name: _plain(value) for name, value in message.params.items()}


def _plain(value: Param) -> Any:
    if isinstance(value, Percent):
        return round(float(value.value), 4)
    if isinstance(value, Hours):
        return round(float(value.value), 2)
    if isinstance(value, Label):
        return value.text
    if isinstance(value, Fraction | Decimal):
        return round(float(value), 4)
    if isinstance(value, date):
        return value.isoformat()
    return value
