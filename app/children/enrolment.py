"""Enrolment: which class a child is in, and the dated history of it. Writes flush only."""

import uuid
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select

from app.children.models import Child, Enrolment, SchoolClass
from app.core.errors import InvalidInput
from app.extensions import db
from app.i18n.transliteration import query_words

MOVED, LEFT, ROLLOVER, GRADUATED = "moved", "left", "rollover", "graduated"


def open_enrolment(child: Child) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(Enrolment.child_id == child.id, Enrolment.ends_on.is_(None))
    )


def enrol(child: Child, school_class: SchoolClass, on: date, reason: str = MOVED) -> Enrolment:
    """Put `child` in `school_class` from `on`; the class they were in ends the day before."""
    if school_class.archived_at is not None:
        raise InvalidInput(_l("This class is archived; choose a current class."))
    current = open_enrolment(child)
    if current is not None:
        if current.class_id == school_class.id:
            raise InvalidInput(_l("The child is already in this class."))
        if on < current.starts_on:
            raise InvalidInput(_l("The new class cannot start before the current one did."))
        current.ends_on = on
        current.end_reason = reason
    enrolment = Enrolment(child_id=child.id, class_id=school_class.id, starts_on=on)
    db.session.add(enrolment)
    child.class_id = school_class.id
    child.left_on = None
    db.session.flush()
    return enrolment


def enrol_new(placements: list[tuple[Child, SchoolClass]], on: date) -> None:
    """Enrol children who were just created (no enrolment yet), in one write."""
    for child, school_class in placements:
        if school_class.archived_at is not None:
            raise InvalidInput(_l("This class is archived; choose a current class."))
        child.class_id = school_class.id
    db.session.flush()  # the children first
    # One statement, not the ORM's one a row where it reads back each new id (SQLite).
    rows = [
        {"child_id": child.id, "class_id": school_class.id, "starts_on": on}
        for child, school_class in placements
    ]
    if rows:
        db.session.execute(insert(Enrolment.__table__), rows)


def leave(child: Child, on: date, reason: str = LEFT) -> None:
    """The child has left the district's schools (or finished school) on `on`."""
    current = open_enrolment(child)
    if current is None:
        raise InvalidInput(_l("The child is not enrolled in any class."))
    if on < current.starts_on:
        raise InvalidInput(_l("A child cannot leave before they joined the class."))
    current.ends_on = on
    current.end_reason = reason
    child.class_id = None
    child.left_on = on
    db.session.flush()


def history(child: Child) -> list[Enrolment]:
    return list(
        db.session.scalars(
            select(Enrolment).where(Enrolment.child_id == child.id).order_by(Enrolment.starts_on)
        )
    )


def search(query: str, limit: int = 50) -> list[Child]:
    """Children whose names contain every word of `query`, typed in any script."""
    words = query_words(query)
    if not words:
        return []
    statement = select(Child).where(*(Child.search_key.contains(word) for word in words))
    return list(db.session.scalars(statement.order_by(Child.search_key).limit(limit)))


def find_existing(family_name: str, given_name: str, birth_date: date) -> Child | None:
    """The child already on the roll with these names and birth date, in any spelling."""
    key = query_words(f"{family_name} {given_name}")
    candidates = db.session.scalars(
        select(Child).where(
            Child.birth_date == birth_date, *(Child.search_key.contains(w) for w in key)
        )
    )
    return next(iter(candidates), None)


def class_sizes(class_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not class_ids:
        return {}
    rows = db.session.execute(
        select(Child.class_id, func.count())
        .where(Child.class_id.in_(class_ids))
        .group_by(Child.class_id)
    )
    return dict(rows.all())
