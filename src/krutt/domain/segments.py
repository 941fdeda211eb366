"""The four segments of a sales team, in the order a manager reads them."""

from __future__ import annotations

from enum import StrEnum

from krutt.domain.messages import Label, gettext_noop


class Segment(StrEnum):
    TOP = "top"
    NEW = "new"
    CORE = "core"
    UNDER = "under"

    @property
    def label(self) -> Label:
        return Label(SEGMENT_LABELS[self])


SEGMENT_ORDER: tuple[Segment, ...] = (Segment.TOP, Segment.NEW, Segment.CORE, Segment.UNDER)

SEGMENT_LABELS: dict[Segment, str] = {
    Segment.TOP: gettext_noop("Top performers"),
    Segment.NEW: gettext_noop("New sellers"),
    Segment.CORE: gettext_noop("Core performers"),
    Segment.UNDER: gettext_noop("Not delivering"),
}
