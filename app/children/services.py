"""Reading the roster with need-to-know: a teacher reaches only the classes they teach."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    Select,
    Subquery,
    false,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.orm.util import AliasedClass

from app.auth.models import User
from app.children import access
from app.children.models import Child, SchoolClass, class_teacher, name_order
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
    return children_of_classes([school_class.id], lang)[school_class.id]


def children_of_classes(class_ids: list[uuid.UUID], lang: str) -> dict[uuid.UUID, list[Child]]:
    """Each class's children in the reader's order of names, in one query."""
    found: dict[uuid.UUID, list[Child]] = {class_id: [] for class_id in class_ids}
    for child in db.session.scalars(select(Child).where(Child.class_id.in_(class_ids))):
        found[child.class_id].append(child)
    key = name_key(lang)
    return {class_id: sorted(children, key=key) for class_id, children in found.items()}


def reachable_children(user: User, lang: str) -> list[Child]:
    """The children `user` may open, by name, with their class and school."""
    return list(db.session.scalars(_reachable_by_name(user, lang)))


def _reachable_by_name(user: User, lang: str, limit: int | None = None, offset: int = 0):
    """The children `user` may open, ordered by name for a reader of `lang` in SQL
    (sql_collation), `limit` of them after the first `offset`, their class and school loaded."""
    keys = name_order(sql_collation(lang))
    return reachable_in_order(user, keys, limit=limit, offset=offset).statement


@dataclass(frozen=True)
class Ordered:
    """reachable_in_order's statement, and its merged rows (`child` maps them to a Child)."""

    merged: Subquery
    child: AliasedClass[Child]
    statement: Select


def reachable_in_order(
    user: User,
    keys: list[ColumnElement],
    where: Sequence[ColumnElement[bool]] = (),
    limit: int | None = None,
    offset: int = 0,
    extra: Sequence[ColumnElement] = (),
    source: FromClause | None = None,
    split: ColumnElement[bool] | None = None,
) -> Ordered:
    """The children `user` may open that meet `where`, ordered by `keys` then id in SQL,
    `limit` of them after the first `offset`, their class and school loaded; `extra` labelled
    columns come along (Ordered.columns), `source` is what each part reads (the child joined to
    what the keys name). With `split`, the children meeting it come first.

    Each way of reaching a child (access.reachable_conditions), and each side of `split`, is
    read in this order apart and the parts merged, so that on PostgreSQL a page of a large
    district walks the index of names (migration 0013) and stops at the page, and a small one
    sorts its own children: with the ids IN (… UNION ALL …) it sorted all of a district's
    children for every page."""
    keys = [key.label(f"key_{n}") for n, key in enumerate(keys)]
    sides = [[split], [~split]] if split is not None else [[]]
    parts = []
    for condition in access.reachable_conditions(user) or [false()]:
        for rank, side in enumerate(sides):
            # A constant in the SQL, not a parameter, so that PostgreSQL drops it from the order.
            ranked = [literal_column(str(rank), Integer).label("rank")] if side else []
            part = select(Child, *ranked, *extra, *keys).where(condition, *where, *side)
            part = part.select_from(source) if source is not None else part
            if limit is not None:
                part = part.order_by(*keys, Child.id).limit(offset + limit)
            parts.append(part)
    # SQLite takes no ORDER BY or LIMIT in a part of a UNION: each part is a subquery.
    merged = union_all(*(select(part.subquery()) for part in parts)).subquery()
    child = aliased(Child, merged)
    columns = merged.c  # the parts' keys, by their labels
    # Without a split, no rank: the parts, each in order, are then merged rather than sorted.
    order = [columns.rank] if split is not None else []
    statement = (
        select(child)
        .options(selectinload(child.school_class).selectinload(SchoolClass.school))
        .order_by(*order, *(columns[key.name] for key in keys), columns.id)
        .limit(limit)
        .offset(offset or None)
    )
    return Ordered(merged, child, statement)
