"""A problem found in an input file, tied to the line the user can open and fix."""

from __future__ import annotations

from dataclasses import dataclass

from krutt.domain.messages import Message, Param


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, and where: `line` is 1-based as an editor shows it (0: the file as a whole)."""

    line: int
    message: Message

    @classmethod
    def at(cls, line: int, text: str, **params: Param) -> Problem:
        return cls(line, Message(text, params))
