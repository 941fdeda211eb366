"""Sentences a manager reads, kept translatable without importing Django.

The domain states its reasons and alerts as a `Message`: an English source text with
named placeholders (the gettext msgid) and typed values. The shell translates the text
and formats the values for the reader's language (``64 %`` and ``1,5 t`` in Norwegian).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from string import Formatter


def gettext_noop(text: str) -> str:
    """Mark `text` for translation; makemessages collects it, the shell translates it."""
    return text


@dataclass(frozen=True, slots=True)
class Percent:
    """A fraction shown as a whole percentage (0.6416 → 64 %)."""

    value: Fraction


@dataclass(frozen=True, slots=True)
class Hours:
    """A number of hours shown with one decimal."""

    value: Fraction


@dataclass(frozen=True, slots=True)
class Label:
    """A fixed term (a segment or activity name) that is itself translated."""

    text: str


Param = int | str | Decimal | Fraction | Percent | Hours | Label | date


@dataclass(frozen=True, slots=True)
class Message:
    """A translatable sentence: `text` is the English msgid, `params` fill its {names}."""

    text: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = {name for _, name, _, _ in Formatter().parse(self.text) if name}
        if names != set(self.params):
            raise ValueError(f"message {self.text!r} needs {sorted(names)}, got {sorted(self.params)}")


def render_plain(message: Message) -> str:
    """English rendering without Django, for logs, tests and the pure core's errors."""
    return message.text.format(**{k: format_plain(v) for k, v in message.params.items()})


def format_plain(value: Param) -> str:
    if isinstance(value, Percent):
        return f"{round(value.value * 100)}%"
    if isinstance(value, Hours):
        return f"{float(value.value):.1f} h"
    if isinstance(value, Label):
        return value.text
    if isinstance(value, Fraction):
        return f"{float(value):g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
