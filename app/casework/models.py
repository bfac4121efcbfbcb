"""Placements (where and with whom a child lives) and the reports of follow-up visits."""

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.children.models import Child
from app.core.models import Labelled, UTCDateTime, UUIDPrimaryKey, labels, string_enum, utcnow
from app.extensions import db
from app.tasks.models import Task


class PlacementKind(Labelled):
    MOTHER = "mother"
    RELATIVES = "relatives"
    ADOPTION = "adoption"
    FOSTER_FAMILY = "foster_family"
    GUARDIANSHIP = "guardianship"
    FACILITY = "facility"


PLACEMENT_LABELS = labels(
    {
        PlacementKind.MOTHER: _l("With their mother"),
        PlacementKind.RELATIVES: _l("With relatives (kinship care)"),
        PlacementKind.ADOPTION: _l("Adoption"),
        PlacementKind.FOSTER_FAMILY: _l("Foster (patronat) family"),
        PlacementKind.GUARDIANSHIP: _l("Guardianship"),
        PlacementKind.FACILITY: _l("Specialised facility"),
    }
)


class Placement(UUIDPrimaryKey, db.Model):
    """One period of a child's life in one household. A change is a new row, never an edit."""

    __tablename__ = "placement"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR starts_on <= ends_on", name="dates"),
        CheckConstraint("monthly_months BETWEEN 0 AND 60", name="monthly_months_range"),
        CheckConstraint("then_every_months BETWEEN 1 AND 24", name="then_every_range"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    kind: Mapped[PlacementKind] = mapped_column(string_enum(PlacementKind, "placement_kind", 20))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # None: where the child lives now
    district: Mapped[str] = mapped_column(String(120), default="")
    social_worker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    # The follow-up plan: a visit a month for the first `monthly_months` months, then one
    # every `then_every_months` months.
    monthly_months: Mapped[int] = mapped_column(Integer, default=6)
    then_every_months: Mapped[int] = mapped_column(Integer, default=3)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    social_worker: Mapped[User | None] = relationship(foreign_keys=[social_worker_id])
    caregivers: Mapped[list["PlacementCaregiver"]] = relationship(
        order_by="PlacementCaregiver.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class PlacementCaregiver(db.Model):
    """A person of the household: sensitive, shown only where the placement is."""

    __tablename__ = "placement_caregiver"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    placement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("placement.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")


class VisitKind(Labelled):
    HOME_VISIT = "home_visit"
    SCHOOL_VISIT = "school_visit"
    PHONE_CALL = "phone_call"


VISIT_KIND_LABELS = labels(
    {
        VisitKind.HOME_VISIT: _l("Home visit"),
        VisitKind.SCHOOL_VISIT: _l("School visit"),
        VisitKind.PHONE_CALL: _l("Phone call"),
    }
)


class Rating(Labelled):
    FINE = "fine"
    CONCERN = "concern"
    SERIOUS = "serious"


RATING_LABELS = labels(
    {
        Rating.FINE: _l("Fine"),
        Rating.CONCERN: _l("Concern"),
        Rating.SERIOUS: _l("Serious concern"),
    }
)


class VisitOutcome(Labelled):
    NO_CONCERNS = "no_concerns"
    FOLLOW_UP = "follow_up"
    URGENT = "urgent"


OUTCOME_LABELS = labels(
    {
        VisitOutcome.NO_CONCERNS: _l("No concerns"),
        VisitOutcome.FOLLOW_UP: _l("Follow-up needed"),
        VisitOutcome.URGENT: _l("Urgent"),
    }
)

# The checklist of every visit, in the order the form shows it.
CHECKS = {
    "health": _l("Health"),
    "school": _l("School attendance"),
    "caregivers": _l("Relationship with caregivers"),
    "living": _l("Living conditions"),
    "wellbeing": _l("Emotional wellbeing"),
    "stigma": _l("Signs of stigmatisation"),
    "needs": _l("Unmet needs"),
}
NOTE_MAX = 2000


def _check_columns(namespace: dict) -> None:
    """A rating (None: not assessed) and a note per checklist item, as columns of the report:
    each is a field of its own for the offline three-way merge."""
    for item in CHECKS:
        namespace[f"{item}_rating"] = mapped_column(
            string_enum(Rating, f"{item}_rating", 10), nullable=True
        )
        namespace[f"{item}_note"] = mapped_column(Text, default="")


class VisitReport(db.Model):
    """A follow-up visit (or call). Its id may be made by the phone that recorded it."""

    __tablename__ = "visit_report"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    placement_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("placement.id"), index=True)
    kind: Mapped[VisitKind] = mapped_column(string_enum(VisitKind, "visit_kind", 20))
    visited_on: Mapped[date] = mapped_column(Date)
    present: Mapped[str] = mapped_column(Text, default="")
    _check_columns(locals())
    outcome: Mapped[VisitOutcome] = mapped_column(string_enum(VisitOutcome, "visit_outcome", 20))
    next_visit_on: Mapped[date | None] = mapped_column(Date)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer)

    child: Mapped[Child] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])
    actions: Mapped[list["VisitAction"]] = relationship(
        order_by="VisitAction.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def rating(self, item: str) -> Rating | None:
        return getattr(self, f"{item}_rating")

    def note(self, item: str) -> str:
        return getattr(self, f"{item}_note") or ""


class VisitAction(db.Model):
    """Something agreed at the visit: what, who does it (a role or a name), by when."""

    __tablename__ = "visit_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit_report.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200), default="")
    by_when: Mapped[date | None] = mapped_column(Date)
    # Followed through as a task of the child's social worker (visit_tasks.follow_actions).
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("task.id"), index=True)

    task: Mapped[Task | None] = relationship()
