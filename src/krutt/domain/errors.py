"""Errors the manager can read: each carries a sentence, the entry points show it once."""

from __future__ import annotations

from krutt.domain.messages import Message, Param, render_plain


class KruttError(Exception):
    """A problem the user can act on: bad input, an unknown seller, an impossible period."""

    def __init__(self, text: str, **params: Param) -> None:
        self.message = Message(text, params)
        super().__init__(render_plain(self.message))


class InvalidInput(KruttError):
    """The input cannot be used as given (CLI exit code 2, web form error)."""


class NotFound(KruttError):
    """A named manager, seller or team does not exist (or is not visible to the user)."""
