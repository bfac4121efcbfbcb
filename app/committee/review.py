"""What the committee adds to a child's review summary (children/review.py): the day of the
last review, from which the summary counts, and the decision taken then."""

from datetime import date

from sqlalchemy import select

from app.children.models import Child
from app.committee.models import ChildReview, Decision, Meeting
from app.extensions import db


def last_review(child: Child) -> date | None:
    """The day of the child's latest decision (the latest version of it counts)."""
    return db.session.scalar(select(ChildReview.decided_on).where(ChildReview.child_id == child.id))


def last_decision(child: Child, _since: date) -> dict:
    """The decision in force and the meeting that took it; none before the first review."""
    found = db.session.execute(
        select(Decision, Meeting)
        .join(ChildReview, ChildReview.decision_id == Decision.id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(ChildReview.child_id == child.id)
    ).first()
    decision, meeting = found if found else (None, None)
    return {"decision": decision, "meeting": meeting}
