"""What every fetcher returns: the calendar objects that changed, those deleted, the cursor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True, slots=True)
class Resource:
    """One calendar object: its href on the server (or "" for a whole feed), ETag and text."""

    href: str
    etag: str
    data: bytes


@dataclass(frozen=True, kw_only=True, slots=True)
class Fetch:
    """`full`: `changed` is the whole calendar, replacing what was kept; else a delta."""

    full: bool
    changed: list[Resource]
    deleted: list[str]
    cursor: dict[str, Any]

    @property
    def empty(self) -> bool:
        return not self.full and not self.changed and not self.deleted
