"""Long lists a page at a time (?page=2), numbered from 1: the district's children, the
committee's review list. Each page costs the same queries however long the list: the list is
counted only up to COUNTED_UP_TO, and a page is read by LIMIT and OFFSET."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import CompoundSelect, Select, func, select

from app.core.errors import InvalidInput
from app.extensions import db

T = TypeVar("T")

# Items on one page of a list: a district may follow thousands of children.
PAGE_SIZE = 100
# A list is counted up to this many items, and said to have "more than" that beyond: a
# district follows hundreds of children, and counting 50,000 of them took each page 10 ms more
# (measured on PostgreSQL), a time that grew with the district.
COUNTED_UP_TO = 1_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, and where it stands in the list."""

    items: list[T]
    number: int
    total: int  # the items of the list, or COUNTED_UP_TO when it has more
    more: bool  # the list has more than `total` items
    has_next: bool

    @property
    def pages(self) -> int | None:
        """How many pages the list fills; None when it was not counted to its end."""
        return None if self.more else _pages(self.total)


def page_number(text: str) -> int:
    """The page asked for in ?page= (a number, nothing personal); 0, outside every list, for
    anything else."""
    return int(text) if text.isdecimal() and len(text) < 7 else 0


def paged(
    listed: Select | CompoundSelect, number: int, read: Callable[[int, int], list[T]]
) -> Page[T]:
    """Page `number` of a list: `listed` gives its rows (to count them); read(limit, offset)
    reads the items, one more than a page to tell whether another follows. Two queries and
    read's; a page outside the list is refused (404)."""
    counted = select(func.count()).select_from(listed.limit(COUNTED_UP_TO + 1).subquery())
    total = db.session.scalar(counted)
    more = total > COUNTED_UP_TO
    if number < 1 or (not more and number > _pages(total)):
        raise _no_such_page()
    items = read(PAGE_SIZE + 1, (number - 1) * PAGE_SIZE)
    if number > 1 and not items:  # beyond the end of a list not counted to its end
        raise _no_such_page()
    return Page(items[:PAGE_SIZE], number, min(total, COUNTED_UP_TO), more, len(items) > PAGE_SIZE)


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _no_such_page() -> InvalidInput:
    return InvalidInput(_("This list has no such page."), status=404)
