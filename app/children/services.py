"""Reading the roster with need-to-know: a teacher reaches only the classes they teach."""

import uuid

from sqlalchemy import false, select, union_all
from sqlalchemy.orm import aliased, selectinload

from app.auth.models import User
from app.children import access
from app.children.models import Child, SchoolClass, class_teacher, name_order
from app.core import paging
from app.core.paging import Page
from app.extensions import db
from app.i18n.collation import name_key, sql_collation


def classes_taught_by(user: User) -> list[SchoolClass]:
    return list(
        db.session.scalars(
            select(SchoolClass)
            .join(class_teacher, class_teacher.c.class_id == SchoolClass.id)
            .where(class_teacher.c.user_id == user.id, SchoolClass.archived_at.is_(None))
            .options(selectinload(SchoolClass.school))
            .order_by(SchoolClass.grade, SchoolClass.letter)
        )
    )


def teaches(user: User, class_id: uuid.UUID | None) -> bool:
    if class_id is None:
        return False
    row = db.session.execute(
        select(class_teacher.c.class_id).where(
            class_teacher.c.class_id == class_id, class_teacher.c.user_id == user.id
        )
    ).first()
    return row is not None


def teaches_child(user: User, child: Child) -> bool:
    """`user` teaches the child's class (a may_see of app/core/loading.py)."""
    return teaches(user, child.class_id)


def teaches_class(user: User, school_class: SchoolClass) -> bool:
    """`user` may open the class (a may_see of app/core/loading.py)."""
    return teaches(user, school_class.id)


def children_of(school_class: SchoolClass, lang: str) -> list[Child]:
    children = db.session.scalars(select(Child).where(Child.class_id == school_class.id))
    return sorted(children, key=name_key(lang))


def reachable_children(user: User, lang: str) -> list[Child]:
    """The children `user` may open, by name, with their class and school."""
    return list(db.session.scalars(_reachable_by_name(user, lang)))


def _reachable_by_name(user: User, lang: str, limit: int | None = None, offset: int = 0):
    """The children `user` may open, ordered by name for a reader of `lang` in SQL
    (sql_collation), `limit` of them after the first `offset`, their class and school loaded.

    Each way of reaching a child (access.reachable_conditions) is read in this order apart and
    the parts merged, so that on PostgreSQL a page of a large district walks the index of
    names (migration 0013) and stops at the page, and a small one sorts its own children: with
    the ids IN (… UNION ALL …) it sorted all of a district's children for every page."""
    keys = [key.label(f"name_{n}") for n, key in enumerate(name_order(sql_collation(lang)))]
    parts = [select(Child, *keys).where(c) for c in access.reachable_conditions(user)]
    parts = parts or [select(Child, *keys).where(false())]
    if limit is not None:
        parts = [part.order_by(*keys, Child.id).limit(offset + limit) for part in parts]
    # SQLite takes no ORDER BY or LIMIT in a part of a UNION: each part is a subquery.
    merged = union_all(*(select(part.subquery()) for part in parts)).subquery()
    child = aliased(Child, merged)
    columns = merged.c  # the parts' name keys, by their labels
    return (
        select(child)
        .options(selectinload(child.school_class).selectinload(SchoolClass.school))
        .order_by(*(columns[key.name] for key in keys), columns.id)
        .limit(limit)
        .offset(offset or None)
    )


def reachable_children_page(user: User, lang: str, number: int) -> Page[Child]:
    """Page `number` of reachable_children: four queries (the count, the page, the classes,
    the schools), whatever the size of the district. A page outside the list is refused."""

    def read(limit: int, offset: int) -> list[Child]:
        return list(db.session.scalars(_reachable_by_name(user, lang, limit, offset)))

    return paging.paged(access.reachable_child_ids(user), number, read)
