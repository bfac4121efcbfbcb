"""Incidents on a child's timeline and among a social worker's alerts."""

from datetime import UTC, date, datetime, time, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.children.access import reachable_child_ids
from app.children.alerts import Alert
from app.children.models import Child
from app.children.timeline import Item
from app.extensions import db
from app.incidents.models import Incident, Status
from app.incidents.queries import Sight, sight_of

# An incident not resolved this many days after it was reported is an alert.
UNRESOLVED_DAYS = 14


def incidents(viewer: User, child: Child, since: date) -> list[Item]:
    """The child's incidents as far as `viewer` may see them: all of them for the child's
    social worker and the committee, their own reports (and their status) for a teacher."""
    found = db.session.scalars(
        select(Incident).where(Incident.child_id == child.id, Incident.occurred_on >= since)
    )
    items = []
    for incident in found:
        sight = sight_of(viewer, incident)
        if sight is None:
            continue
        details = (incident.severity.label, incident.status.label)
        items.append(
            Item(
                on=incident.occurred_on,
                kind="incident",
                title=_("Incident report"),
                details=details if sight is not Sight.OWN_REPORT else (incident.status.label,),
                url=url_for("incidents.incident", incident_id=incident.id),
                restricted=sight is not Sight.OWN_REPORT,
            )
        )
    return items


def unresolved_incidents(user: User, today: date) -> list[Alert]:
    """Incidents of the caseload not resolved more than 14 days after they were reported."""
    cutoff = datetime.combine(today - timedelta(days=UNRESOLVED_DAYS), time.min, UTC)
    rows = db.session.execute(
        select(Incident.id, Incident.reported_at, Child.id, Child.family_name, Child.given_name)
        .join(Child, Child.id == Incident.child_id)
        .where(
            Incident.child_id.in_(reachable_child_ids(user)),
            Incident.status != Status.RESOLVED,
            Incident.reported_at < cutoff,
        )
        .order_by(Incident.reported_at)
    )
    return [
        Alert(
            "unresolved_incident",
            child_id,
            f"{family_name} {given_name}",
            (today - reported_at.date()).days,
            ("incidents.incident", {"incident_id": incident_id}),
        )
        for incident_id, reported_at, child_id, family_name, given_name in rows
    ]
