"""The names a CRM gives won and lost deals, beyond the ones krutt knows itself.

An organisation whose CRM calls a won deal «Signert» adds that name; it counts alongside
the built-in names (Closed Won, Vunnet, Solgt …) and is compared the same way, ignoring
case and spacing. A name that would count as both won and lost is refused: the deal's
outcome would be a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from krutt.domain.errors import InvalidInput
from krutt.domain.messages import gettext_noop
from krutt.importers.crm_presets import DEFAULT_LOST, DEFAULT_WON, status_key

__all__ = ["OutcomeNames", "outcome_names"]

EMPTY_NAME = gettext_noop("A won or lost stage name cannot be empty.")
WON_AND_LOST = gettext_noop("{names} would count as both won and lost; a name can only be one.")


@dataclass(frozen=True, kw_only=True, slots=True)
class OutcomeNames:
    """Status and stage names read as won or lost in addition to the built-in ones."""

    won: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()

    def plus(self, other: OutcomeNames) -> OutcomeNames:
        """These names and `other`'s together, each once (an organisation's and one import's).

        Raises InvalidInput when together they make a name both won and lost.
        """
        return outcome_names(won=(*self.won, *other.won), lost=(*self.lost, *other.lost))


def outcome_names(*, won: Iterable[str], lost: Iterable[str]) -> OutcomeNames:
    """The names as given, trimmed and each once; refused when one is empty or both won and lost.

    A won name that krutt already reads as lost (or the other way round) is refused too.
    """
    won_names, lost_names = _distinct(won), _distinct(lost)
    won_keys = DEFAULT_WON | {status_key(n) for n in won_names}
    lost_keys = DEFAULT_LOST | {status_key(n) for n in lost_names}
    both: dict[str, str] = {}
    for name in (*won_names, *lost_names):
        key = status_key(name)
        if key in won_keys and key in lost_keys:
            both.setdefault(key, name)
    if both:
        raise InvalidInput(WON_AND_LOST, names=", ".join(both.values()))
    return OutcomeNames(won=won_names, lost=lost_names)


def _distinct(names: Iterable[str]) -> tuple[str, ...]:
    """The names trimmed, the first of those that compare the same kept."""
    kept: dict[str, str] = {}
    for name in names:
        key = status_key(name)
        if not key:
            raise InvalidInput(EMPTY_NAME)
        kept.setdefault(key, " ".join(name.split()))
    return tuple(kept.values())
