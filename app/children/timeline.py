"""A child's timeline: one chronological view of what happened, from every domain.

Each domain contributes sources (its Domain's timeline_sources): functions (viewer, child,
since) -> items, which return only what that viewer may see (a teacher gets attendance, never
the casework). The page gathers them and sorts newest first.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from app.auth.models import User
from app.children.models import Child
from app.core.domains import contributions


@dataclass(frozen=True)
class Item:
    """One thing on the timeline. `restricted`: only for the social worker and the committee
    (the page then tells the service worker not to keep a copy)."""

    on: date
    kind: str  # "attendance", "placement", "visit", "incident", "results"…
    title: str
    details: tuple[str, ...] = ()
    url: str | None = None
    restricted: bool = False
    # For attendance weeks: the count of each status, in Status order.
    counts: dict = field(default_factory=dict)


Source = Callable[[User, Child, date], list[Item]]


def timeline(viewer: User, child: Child, since: date) -> list[Item]:
    """Every item since `since` that `viewer` may see, newest first."""
    sources: list[Source] = contributions("timeline_sources")
    items = [item for source in sources for item in source(viewer, child, since)]
    return sorted(items, key=lambda item: (item.on, item.kind), reverse=True)
