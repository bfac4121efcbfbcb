"""Who may see an incident, and the lists of incidents and review items each person sees."""

import uuid
from enum import Enum

from sqlalchemy import Select, case, select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.children import access
from app.children.models import Child, SchoolClass
from app.extensions import db
from app.incidents.models import Incident, IncidentEvent, ReviewItem, Status

# Teachers and social workers report incidents for the children they reach; the committee reads.
REPORTING_ROLES = frozenset({Role.TEACHER, Role.SOCIAL_WORKER})


def may_report(user: User, child: Child) -> bool:
    return user.role in REPORTING_ROLES and access.can_reach(user, child.id)


class Sight(Enum):
    """How much of an incident a person sees."""

    CASEWORK = "casework"  # the child's social worker: everything, and the follow-up forms
    READ = "read"  # the committee of the child's district: everything, read-only
    OWN_REPORT = "own_report"  # the person who reported it: their report and its status


def sight_of(user: User, incident: Incident) -> Sight | None:
    """How much `user` sees of the incident; None: nothing (app/core/loading.py refuses it)."""
    if access.is_case_worker(user, incident.child_id):
        return Sight.CASEWORK
    if user.role is Role.COMMITTEE_MEMBER and access.can_reach(user, incident.child_id):
        return Sight.READ
    if incident.reported_by_id == user.id:
        return Sight.OWN_REPORT
    return None


def in_casework(user: User, incident: Incident) -> bool:
    """`user` follows the incident up: the child's social worker."""
    return access.is_case_worker(user, incident.child_id)


def events_of(incident: Incident) -> list[IncidentEvent]:
    statement = (
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident.id)
        .order_by(IncidentEvent.at, IncidentEvent.id)
        .options(selectinload(IncidentEvent.by))
    )
    return list(db.session.scalars(statement))


def _with_child():
    return (
        selectinload(Incident.child)
        .selectinload(Child.school_class)
        .selectinload(SchoolClass.school)
    )


def of_child(child_id: uuid.UUID) -> list[Incident]:
    """The child's incidents, newest first."""
    statement = (
        select(Incident)
        .where(Incident.child_id == child_id)
        .order_by(Incident.occurred_on.desc(), Incident.reported_at.desc())
    )
    return list(db.session.scalars(statement))


def reported_by(user: User) -> list[Incident]:
    statement = (
        select(Incident)
        .where(Incident.reported_by_id == user.id)
        .order_by(Incident.reported_at.desc())
        .options(_with_child())
    )
    return list(db.session.scalars(statement))


STATUS_ORDER = case({Status.OPEN: 0, Status.IN_PROGRESS: 1}, value=Incident.status, else_=2)


def of_caseload(user: User) -> list[Incident]:
    """The incidents of the children `user` follows: open first, then in progress, then
    resolved; the newest first within each."""
    statement = (
        select(Incident)
        .where(Incident.child_id.in_(access.reachable_child_ids(user)))
        .order_by(STATUS_ORDER, Incident.reported_at.desc())
        .options(_with_child())
    )
    return list(db.session.scalars(statement))


def open_review_items(child_ids) -> Select:
    """(child id, added at) of the serious incidents not yet reviewed among `child_ids`."""
    return select(ReviewItem.child_id, ReviewItem.added_at).where(
        ReviewItem.reviewed_at.is_(None), ReviewItem.child_id.in_(child_ids)
    )
