"""Accounts: users, roles, assignments and activation. Writes flush only; the view commits.

Every change of role, assignment, district or activation, and every code issued, is recorded
in AccessChange with who made it (ids and role names, never a person's name).
"""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import contains_eager, selectinload

from app.auth import access, resets, sessions, two_factor
from app.auth.models import Role, User
from app.auth.services import create_user
from app.children.models import Child, School, SchoolClass, caseload, class_teacher
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.extensions import db


def list_users(role: Role | None = None, active: bool | None = None) -> list[User]:
    statement = select(User).order_by(User.display_name, User.email)
    if role is not None:
        statement = statement.where(User.role == role)
    if active is not None:
        statement = statement.where(User.active.is_(active))
    return list(db.session.scalars(statement))


def create_account(
    actor: User, email: str, display_name: str, role: Role, language: str
) -> tuple[User, str]:
    """A user with no password anyone knows, and the one-time code to choose one."""
    unknowable = secrets.token_urlsafe(32)
    user = create_user(email, display_name, role, unknowable, language)
    access.record(actor, user, "created", role.value)
    return user, resets.issue_code(actor, user)


def issue_code(actor: User, user: User) -> str:
    if not user.active:
        raise InvalidInput(_l("Reactivate the account before giving it a code."))
    return resets.issue_code(actor, user)


def reset_two_factor(actor: User, user: User) -> None:
    """A lost phone: the user sets two-factor up again (at their next login if required), and
    every session ends, so the lost phone cannot enrol an authenticator of its own."""
    if user.totp_secret is None:
        raise InvalidInput(_l("This account has no two-factor authentication to reset."))
    two_factor.reset(actor, user)
    sessions.end_all(user, "two_factor_reset")


def update_profile(actor: User, user: User, display_name: str, role: Role, language: str) -> None:
    if user.id == actor.id and role is not Role.ADMINISTRATOR:
        raise InvalidInput(_l("You cannot remove your own administrator role."))
    user.display_name = display_name.strip()
    user.preferred_language = language
    if role is not user.role:
        _drop_assignments(actor, user)
        access.record(actor, user, "role", f"{user.role.value}->{role.value}")
        user.role = role
    db.session.flush()


def _drop_assignments(actor: User, user: User) -> None:
    """A new role starts with no classes, caseload or district of the old one."""
    for class_id in assigned_class_ids(user):
        _remove_class(actor, user, class_id)
    for child in caseload_of(user):
        remove_from_caseload(actor, user, child.id)
    if user.district:
        set_district(actor, user, None)


def deactivate(actor: User, user: User) -> None:
    """The account can no longer log in, and every session it has open ends."""
    if user.id == actor.id:
        raise InvalidInput(_l("You cannot deactivate your own account."))
    if user.active:
        user.active = False
        resets.end_codes(user)
        sessions.end_all(user, "deactivated")
        access.record(actor, user, "deactivated")
        db.session.flush()


def end_sessions(actor: User, user: User) -> int:
    """Log `user` out everywhere (a lost phone, say); returns how many sessions ended."""
    if user.id == actor.id:
        raise InvalidInput(_l("Log out to end your own session."))
    ended = sessions.end_all(user, "ended_by_administrator")
    access.record(actor, user, "sessions_ended", str(ended))
    db.session.flush()
    return ended


def reactivate(actor: User, user: User) -> None:
    if not user.active:
        user.active = True
        access.record(actor, user, "reactivated")
        db.session.flush()


# -- teachers and their classes


def current_classes() -> list[tuple[School, list[SchoolClass]]]:
    """Classes not archived, in schools not archived, grouped by school."""
    classes = db.session.scalars(
        select(SchoolClass)
        .join(SchoolClass.school)
        .where(SchoolClass.archived_at.is_(None), School.archived_at.is_(None))
        .options(contains_eager(SchoolClass.school))
        .order_by(School.name, School.id, SchoolClass.grade, SchoolClass.letter)
    )
    return [(school, list(group)) for school, group in groupby(classes, lambda c: c.school)]


def assigned_class_ids(user: User) -> set[uuid.UUID]:
    rows = db.session.scalars(
        select(class_teacher.c.class_id).where(class_teacher.c.user_id == user.id)
    )
    return set(rows)


def set_classes(actor: User, user: User, class_ids: set[uuid.UUID]) -> None:
    """Teach exactly these current classes (classes already archived are left as they are)."""
    if user.role is not Role.TEACHER:
        raise InvalidInput(_l("Only teachers are assigned to classes."))
    offered = {c.id for _, classes in current_classes() for c in classes}
    if not class_ids <= offered:
        raise InvalidInput(_l("Choose among the current classes."))
    assigned = assigned_class_ids(user) & offered
    for class_id in sorted(class_ids - assigned):
        db.session.execute(insert(class_teacher).values(class_id=class_id, user_id=user.id))
        access.record(actor, user, "class_added", str(class_id))
    for class_id in sorted(assigned - class_ids):
        _remove_class(actor, user, class_id)
    db.session.flush()


def _remove_class(actor: User, user: User, class_id: uuid.UUID) -> None:
    db.session.execute(
        delete(class_teacher).where(
            class_teacher.c.class_id == class_id, class_teacher.c.user_id == user.id
        )
    )
    access.record(actor, user, "class_removed", str(class_id))


# -- social workers and their caseload


def caseload_of(user: User) -> list[Child]:
    return list(
        db.session.scalars(
            select(Child)
            .join(caseload, caseload.c.child_id == Child.id)
            .where(caseload.c.user_id == user.id)
            .options(selectinload(Child.school_class).selectinload(SchoolClass.school))
            .order_by(Child.search_key)
        )
    )


def add_to_caseload(actor: User, user: User, child_id: uuid.UUID) -> Child:
    if user.role is not Role.SOCIAL_WORKER:
        raise InvalidInput(_l("Only social workers have a caseload."))
    child = db.session.get(Child, child_id)
    if child is None:
        raise InvalidInput(_l("This child was not found."), status=404)
    if child_id in {c.id for c in caseload_of(user)}:
        raise InvalidInput(_l("This child is already in the caseload."))
    db.session.execute(insert(caseload).values(user_id=user.id, child_id=child.id))
    access.record(actor, user, "child_added", str(child.id))
    audit("caseload_add", "child", child.id)
    db.session.flush()
    return child


def remove_from_caseload(actor: User, user: User, child_id: uuid.UUID) -> None:
    removed = db.session.execute(
        delete(caseload).where(caseload.c.user_id == user.id, caseload.c.child_id == child_id)
    )
    if removed.rowcount:
        access.record(actor, user, "child_removed", str(child_id))
        audit("caseload_remove", "child", child_id)
    db.session.flush()


# -- committee members and their district


def districts() -> list[str]:
    """The districts of the schools not archived."""
    return list(
        db.session.scalars(
            select(School.district)
            .where(School.archived_at.is_(None))
            .distinct()
            .order_by(School.district)
        )
    )


def set_district(actor: User, user: User, district: str | None) -> None:
    if district is not None:
        if user.role is not Role.COMMITTEE_MEMBER:
            raise InvalidInput(_l("Only committee members are assigned to a district."))
        if district not in districts():
            raise InvalidInput(_l("Choose one of the districts of the schools."))
    if district != user.district:
        user.district = district
        access.record(actor, user, "district", district or "")
    db.session.flush()


# -- the dated history shown on a user's page


CLASS_CHANGES = ("class_added", "class_removed")
CHILD_CHANGES = ("child_added", "child_removed")


@dataclass
class HistoryEntry:
    at: datetime
    change: str
    actor: User | None
    old_role: Role | None = None
    role: Role | None = None  # the role given (at creation or by a change)
    school_class: SchoolClass | None = None
    child: Child | None = None
    district: str | None = None
    count: int | None = None  # how many sessions ended


def history(user: User) -> list[HistoryEntry]:
    """The changes made to `user`'s access, newest first, with what their ids refer to."""
    changes = access.changes_to(user)
    class_ids = {uuid.UUID(c.detail) for c in changes if c.change in CLASS_CHANGES}
    child_ids = {uuid.UUID(c.detail) for c in changes if c.change in CHILD_CHANGES}
    classes = _by_id(SchoolClass, class_ids, selectinload(SchoolClass.school))
    children = _by_id(Child, child_ids)
    actors = _by_id(User, {c.actor_id for c in changes if c.actor_id})
    return [_entry(c, actors, classes, children) for c in changes]


def _by_id(model, ids: set, *options) -> dict:
    if not ids:
        return {}
    rows = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    return {row.id: row for row in rows}


def _entry(change, actors: dict, classes: dict, children: dict) -> HistoryEntry:
    entry = HistoryEntry(at=change.at, change=change.change, actor=actors.get(change.actor_id))
    detail = change.detail or ""
    if change.change == "role":
        old, new = detail.split("->")
        entry.old_role, entry.role = Role(old), Role(new)
    elif change.change in CLASS_CHANGES:
        entry.school_class = classes.get(uuid.UUID(detail))
    elif change.change in CHILD_CHANGES:
        entry.child = children.get(uuid.UUID(detail))
    elif change.change == "district":
        entry.district = detail or None
    elif change.change == "created":
        entry.role = Role(detail)
    elif change.change == "sessions_ended":
        entry.count = int(detail or 0)
    return entry
