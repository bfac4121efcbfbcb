"""Reading the roster with need-to-know: a teacher reaches only the classes they teach."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.children import access
from app.children.models import Child, SchoolClass, class_teacher
from app.extensions import db
from app.i18n.collation import name_key


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
    statement = (
        select(Child)
        .where(Child.id.in_(access.reachable_child_ids(user)))
        .options(selectinload(Child.school_class).selectinload(SchoolClass.school))
    )
    return sorted(db.session.scalars(statement), key=name_key(lang))
