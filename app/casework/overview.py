"""Placements and visits on a child's timeline, and overdue visits among the alerts."""

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.casework.due import caseload_due
from app.casework.models import Placement, VisitReport
from app.children import access
from app.children.alerts import Alert
from app.children.models import Child
from app.children.timeline import Item
from app.extensions import db


def placements(viewer: User, child: Child, since: date) -> list[Item]:
    """Where the child lives and from when: for the social worker and the committee only."""
    if not access.sees_background(viewer):
        return []
    found = db.session.scalars(
        select(Placement).where(
            Placement.child_id == child.id,
            (Placement.ends_on.is_(None)) | (Placement.ends_on >= since),
        )
    )
    return [
        Item(
            on=max(placement.starts_on, since),
            kind="placement",
            title=_("Placement: %(kind)s", kind=placement.kind.label),
            restricted=True,
        )
        for placement in found
    ]


def visits(viewer: User, child: Child, since: date) -> list[Item]:
    """Visit reports, with their outcome: for the social worker and the committee only."""
    if not access.sees_background(viewer):
        return []
    found = db.session.scalars(
        select(VisitReport).where(VisitReport.child_id == child.id, VisitReport.visited_on >= since)
    )
    return [
        Item(
            on=report.visited_on,
            kind="visit",
            title=report.kind.label,
            details=(report.outcome.label,),
            url=url_for("casework.visit", report_id=report.id),
            restricted=True,
        )
        for report in found
    ]


def overdue_visits(user: User, today: date) -> list[Alert]:
    """Children of the caseload whose follow-up visit is overdue, the longest overdue first."""
    overdue = {child_id: due for child_id, due in caseload_due(user).items() if due.overdue(today)}
    if not overdue:
        return []
    children = db.session.execute(
        select(Child.id, Child.family_name, Child.given_name).where(Child.id.in_(overdue))
    )
    alerts = [
        Alert("overdue_visit", child_id, f"{family} {given}", overdue[child_id].due_on)
        for child_id, family, given in children
    ]
    return sorted(alerts, key=lambda alert: alert.value)
