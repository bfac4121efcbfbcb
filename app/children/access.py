"""Need-to-know: which children a person may reach, and what they may see of them.

- A teacher reaches the children of the classes they teach (attendance, not the background).
- A social worker reaches the children of their caseload, background included.
- A committee member reaches the children of their district, background included, read-only.
- An administrator manages the roster (names, classes, enrolments) but reads no child's record.

Everything else answers 404, as if the child did not exist (app/core/loading.py).
"""

import uuid

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    exists,
    false,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.auth.models import Role, User
from app.children.models import Child, Enrolment, School, SchoolClass, caseload, class_teacher
from app.extensions import db

# The roles that may read a child's restricted background, when the child is theirs to reach.
BACKGROUND_ROLES = frozenset({Role.SOCIAL_WORKER, Role.COMMITTEE_MEMBER})
# The roles whose reach includes a child's record page.
RECORD_ROLES = frozenset({Role.TEACHER, Role.SOCIAL_WORKER, Role.COMMITTEE_MEMBER})


def reachable_child_ids(user: User, *where: ColumnElement[bool]) -> Select | CompoundSelect:
    """A SELECT of the ids of the children `user` may open (empty for other roles), of those
    that meet `where` too."""
    branches = [select(Child.id).where(c, *where) for c in reachable_conditions(user)]
    if not branches:
        return select(Child.id).where(false())  # nobody
    return branches[0] if len(branches) == 1 else union_all(*branches)


def reachable_conditions(user: User) -> list[ColumnElement[bool]]:
    """The children `user` may open, as conditions on the child (none: nobody). No child meets
    two of them, so each can be read apart, by its own index, and the results added up."""
    if user.role is Role.TEACHER:
        taught = select(class_teacher.c.class_id).where(class_teacher.c.user_id == user.id)
        return [Child.class_id.in_(taught)]
    if user.role is Role.SOCIAL_WORKER:
        followed = select(caseload.c.child_id).where(caseload.c.user_id == user.id)
        return [Child.id.in_(followed)]
    if user.role is Role.COMMITTEE_MEMBER and user.district:
        return _in_district(user.district)
    return []


def reaches(user: User) -> ColumnElement[bool]:
    """reachable_conditions as one condition on the child, for a query that a few rows of
    another table lead (the open review items): each is checked, no list of ids is made."""
    conditions = reachable_conditions(user)
    return or_(*conditions) if conditions else false()


def _in_district(district: str) -> list[ColumnElement[bool]]:
    """The children whose current class is in `district`, and those with no class whose latest
    enrolment was there, so the committee keeps following a child who left school. Two
    conditions, not one with OR: each is served by the index on the child's class (one OR-ed
    filter made PostgreSQL read and sort the whole country's children, measured at 50,000)."""
    in_district = select(SchoolClass.id).join(School).where(School.district == district)
    later = aliased(Enrolment)
    latest_there = (
        exists()
        .where(
            Enrolment.child_id == Child.id,
            Enrolment.class_id.in_(in_district),
            ~exists().where(
                later.child_id == Enrolment.child_id, later.starts_on > Enrolment.starts_on
            ),
        )
        .correlate(Child)
    )
    # Apart: a child has a class or has none.
    return [Child.class_id.in_(in_district), and_(Child.class_id.is_(None), latest_there)]


def can_reach(user: User, child_id: uuid.UUID) -> bool:
    if user.role not in RECORD_ROLES:
        return False
    reachable = exists().where(Child.id == child_id, Child.id.in_(reachable_child_ids(user)))
    return bool(db.session.scalar(select(reachable)))


def may_open(user: User, child: Child) -> bool:
    """`user` may open the child's record (a may_see of app/core/loading.py)."""
    return can_reach(user, child.id)


def in_caseload(user: User, child: Child) -> bool:
    """The child is in `user`'s caseload: casework is theirs to write."""
    return is_case_worker(user, child.id)


def sees_background(user: User) -> bool:
    return user.role in BACKGROUND_ROLES


def is_case_worker(user: User, child_id: uuid.UUID) -> bool:
    """The child is in `user`'s caseload: they may record casework and the background."""
    if user.role is not Role.SOCIAL_WORKER:
        return False
    statement = select(caseload.c.child_id).where(
        caseload.c.user_id == user.id, caseload.c.child_id == child_id
    )
    return db.session.execute(statement).first() is not None
