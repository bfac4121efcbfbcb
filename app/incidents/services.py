"""Reporting an incident and following it up. Writes flush only; the caller commits once."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.children.models import Child
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.forms import check_plausible_date
from app.extensions import db
from app.incidents.models import (
    EventKind,
    Incident,
    IncidentEvent,
    Involved,
    Kind,
    Place,
    Referral,
    ReviewItem,
    Severity,
    Status,
)

SERIOUS_INCIDENT = "serious_incident"  # a review item's reason
TEXT_MAX = 2000
# Where a follow-up may move an incident: forward, and a resolved one can be reopened.
TRANSITIONS = {
    Status.OPEN: {Status.IN_PROGRESS},
    Status.IN_PROGRESS: {Status.RESOLVED},
    Status.RESOLVED: {Status.OPEN},
}
DAMAGED = _l("This report is incomplete or damaged. Please fill in the form again.")


class EditConflict(Exception):
    """Someone changed the incident since the page was loaded; nothing was written."""


@dataclass(frozen=True)
class ReportValues:
    occurred_on: date
    place: Place
    involved: list[Involved]
    what_happened: list[Kind]
    severity: Severity
    immediate_action: str


def report(
    child: Child,
    user: User,
    values: ReportValues,
    today: date,
    incident_id: uuid.UUID | None = None,
    source: str = "incident_report",
) -> Incident:
    """Create the report, its first history line and, if serious, the committee's review item."""
    _check(child, values, today)
    incident = Incident(
        id=incident_id or uuid.uuid4(),
        child_id=child.id,
        reported_by_id=user.id,
        occurred_on=values.occurred_on,
        place=values.place,
        involved=values.involved,
        what_happened=values.what_happened,
        severity=values.severity,
        immediate_action=values.immediate_action,
        status=Status.OPEN,
    )
    db.session.add(incident)
    db.session.flush()
    _event(incident, user, EventKind.REPORTED)
    if values.severity is Severity.SERIOUS:
        db.session.add(
            ReviewItem(child_id=child.id, reason=SERIOUS_INCIDENT, incident_id=incident.id)
        )
    db.session.flush()
    audit(source, "incident", incident.id)
    audit(source, "child", child.id)
    return incident


def _check(child: Child, values: ReportValues, today: date) -> None:
    if child.anonymised_at is not None:
        raise InvalidInput(_l("This record has been anonymised; it can no longer be changed."))
    check_plausible_date(values.occurred_on)  # also for a report that came without its form
    if values.occurred_on > today:
        raise InvalidInput(_l("The day of the incident cannot be in the future."))
    if not values.involved:
        raise InvalidInput(_l("Choose who was involved."))
    if not values.what_happened:
        raise InvalidInput(_l("Choose what happened."))
    if len(values.immediate_action) > TEXT_MAX:
        raise InvalidInput(_l("What was done at once is too long."))


def record_action(incident: Incident, user: User, note: str) -> IncidentEvent:
    note = _note(note, required=True)
    event = _event(incident, user, EventKind.ACTION, note=note)
    _audit_change("incident_action", incident)
    return event


def record_referral(incident: Incident, user: User, to: Referral, note: str) -> IncidentEvent:
    event = _event(incident, user, EventKind.REFERRAL, referral_to=to, note=_note(note))
    _audit_change("incident_referral", incident)
    return event


def change_status(
    incident: Incident, user: User, to: Status, version: int, note: str
) -> IncidentEvent:
    """Move the incident on; `version` is the one the person saw (a stale one is a conflict)."""
    if incident.version != version:
        raise EditConflict()
    if to not in TRANSITIONS[incident.status]:
        raise InvalidInput(
            _l(
                "This incident cannot move from “%(now)s” to “%(to)s”.",
                now=incident.status.label,
                to=to.label,
            ),
            status=409,
        )
    incident.status = to
    try:
        db.session.flush()
    except StaleDataError as error:  # changed between our read and our write
        raise EditConflict() from error
    event = _event(incident, user, EventKind.STATUS, status_to=to, note=_note(note))
    _audit_change("incident_status", incident)
    return event


def _note(note: str | None, required: bool = False) -> str:
    note = (note or "").strip()
    if required and not note:
        raise InvalidInput(_l("Write what was done."))
    if len(note) > TEXT_MAX:
        raise InvalidInput(_l("This note is too long."))
    return note


def _event(incident: Incident, user: User, kind: EventKind, **fields: Any) -> IncidentEvent:
    event = IncidentEvent(incident_id=incident.id, by_id=user.id, kind=kind, **fields)
    db.session.add(event)
    db.session.flush()
    return event


def _audit_change(action: str, incident: Incident) -> None:
    audit(action, "incident", incident.id)
    audit(action, "child", incident.child_id)
