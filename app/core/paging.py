"""Long lists a page at a time (?page=2), numbered from 1: the district's children, the
committee's review list. Each page costs the same queries however long the list."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from flask_babel import gettext as _

from app.core.errors import InvalidInput

T = TypeVar("T")

# Items on one page of a list: a district may follow thousands of children.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, and where it stands in the list."""

    items: list[T]
    number: int
    pages: int
    total: int


def page_number(text: str) -> int:
    """The page asked for in ?page= (a number, nothing personal); 0, outside every list, for
    anything else."""
    return int(text) if text.isdecimal() and len(text) < 7 else 0


def pages_of(total: int, number: int) -> int:
    """How many pages `total` items fill; a page `number` outside them is refused (404)."""
    pages = max(1, -(-total // PAGE_SIZE))
    if not 1 <= number <= pages:
        raise InvalidInput(_("This list has no such page."), status=404)
    return pages


def offset_of(number: int) -> int:
    """How many items come before page `number`."""
    return (number - 1) * PAGE_SIZE
