"""The committee's home: the district's children found by name in any spelling, filtered by
school, class and follow-up, sorted, a page at a time (issue 14, point 7).

Every filter and order is SQL, read through services.reachable_in_order, so a page costs the
same statements for thirty children or ten thousand."""

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, collate, exists, func, or_, outerjoin, select
from sqlalchemy.orm import aliased, contains_eager

from app.auth.models import User
from app.children import access
from app.children.models import Child, School, SchoolClass, caseload, name_order
from app.children.services import reachable_in_order
from app.core import paging
from app.core.paging import Page
from app.extensions import db
from app.i18n.collation import sql_collation
from app.i18n.transliteration import query_words


class Sort(StrEnum):
    NAME = "name"
    CLASS = "class"  # school, grade and letter, then name; children with no class last
    FOLLOWED = "followed"  # the children followed first, each part by name


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to. `name` is as typed, folded here and never kept."""

    name: str = ""
    school_id: uuid.UUID | None = None
    class_id: uuid.UUID | None = None
    followed_only: bool = False
    sort: Sort = Sort.NAME


@dataclass(frozen=True)
class Listed:
    child: Child
    followed: bool


def followed(on: date | None = None) -> ColumnElement[bool]:
    """The children the committee follows: on a social worker's caseload, and their case not
    closed (closing it ends the follow-up and starts the retention period); with `on`, not
    closed on that day (the district's indicators at a period's end)."""
    on_caseload = exists().where(caseload.c.child_id == Child.id)
    if on is None:
        return and_(Child.case_closed_on.is_(None), on_caseload)
    open_then = or_(Child.case_closed_on.is_(None), Child.case_closed_on > on)
    return and_(open_then, on_caseload)


def district_classes(user: User, lang: str) -> list[SchoolClass]:
    """The current classes of `user`'s district, by school, grade and letter, with their school."""
    if not user.district:
        return []
    collation = sql_collation(lang)
    statement = (
        select(SchoolClass)
        .join(SchoolClass.school)
        .where(
            School.district == user.district,
            School.archived_at.is_(None),
            SchoolClass.archived_at.is_(None),
        )
        .options(contains_eager(SchoolClass.school))
        .order_by(
            collate(School.name, collation),
            School.id,
            SchoolClass.grade,
            collate(SchoolClass.letter, collation),
        )
    )
    return list(db.session.scalars(statement))


def district_page(user: User, lang: str, filters: Filters, number: int) -> Page[Listed]:
    """Page `number` of the children of `user`'s district that meet `filters`, in their order,
    each marked followed or not: four queries (the count, the page, the classes, the schools),
    however large the district. A page outside the list is refused (404)."""
    where = _conditions(filters)
    school_class, school = aliased(SchoolClass), aliased(School)
    keys = name_order(sql_collation(lang))
    source = None
    if filters.sort is Sort.CLASS:
        keys = _class_keys(school_class, school, lang) + keys
        source = outerjoin(Child, school_class, Child.class_id == school_class.id).outerjoin(
            school, school_class.school_id == school.id
        )
    split = followed() if filters.sort is Sort.FOLLOWED else None
    marked = followed().label("followed")

    def read(limit: int, offset: int) -> list[Listed]:
        ordered = reachable_in_order(user, keys, where, limit, offset, [marked], source, split)
        rows = db.session.execute(ordered.statement.add_columns(ordered.merged.c.followed))
        return [Listed(child, bool(flag)) for child, flag in rows]

    return paging.paged(access.reachable_child_ids(user, *where), number, read)


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    # Each word typed, folded as the roster's search folds it, occurs in the child's key.
    conditions = [Child.search_key.contains(word) for word in query_words(filters.name)]
    if filters.class_id is not None:
        conditions.append(Child.class_id == filters.class_id)
    elif filters.school_id is not None:
        of_school = select(SchoolClass.id).where(SchoolClass.school_id == filters.school_id)
        conditions.append(Child.class_id.in_(of_school))
    if filters.followed_only:
        conditions.append(followed())
    return conditions


def _class_keys(school_class, school, lang: str) -> list[ColumnElement]:
    """School, grade and letter in the reader's order; a child with no class after the rest."""
    collation = sql_collation(lang)
    return [
        case((Child.class_id.is_(None), 1), else_=0),
        collate(func.coalesce(school.name, ""), collation),
        school.id,
        school_class.grade,
        collate(func.coalesce(school_class.letter, ""), collation),
    ]
