"""The committee's review cycle: each district's review interval, meetings with their agenda,
and the decisions taken there with their actions. A decision is never edited: a correction is
a new decision that names the one it corrects."""

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.children.models import Child
from app.core.models import Labelled, UTCDateTime, UUIDPrimaryKey, labels, string_enum, utcnow
from app.extensions import db
from app.tasks.models import Task, TaskStatus

DEFAULT_INTERVAL_MONTHS = 3
# The languages a meeting's minutes are written in (issue 14, point 6): English is the app's
# source language, not one a district's committee keeps its records in.
MINUTES_LANGUAGES = ("kk", "ru", "ar")


class DistrictSetting(db.Model):
    """A district's choices for its committee: how often a followed child is reviewed."""

    __tablename__ = "committee_district_setting"
    __table_args__ = (
        CheckConstraint("review_interval_months BETWEEN 1 AND 24", name="interval_range"),
    )

    district: Mapped[str] = mapped_column(String(120), primary_key=True)
    review_interval_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_INTERVAL_MONTHS)
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


meeting_member = Table(
    "committee_meeting_member",
    db.metadata,
    Column(
        "meeting_id",
        Uuid,
        ForeignKey("committee_meeting.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", Uuid, ForeignKey("user.id"), primary_key=True),
)


class Meeting(UUIDPrimaryKey, db.Model):
    __tablename__ = "committee_meeting"
    __table_args__ = (
        Index("ix_committee_meeting_district_held_on", "district", "held_on"),
        CheckConstraint("language IN ('kk', 'ru', 'ar')", name="language"),
    )

    district: Mapped[str] = mapped_column(String(120))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    # The language of the minutes, chosen when the meeting is created and changeable.
    language: Mapped[str] = mapped_column(String(2), default="kk", server_default="kk")
    chair_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    members: Mapped[list[User]] = relationship(secondary=meeting_member, order_by=User.display_name)
    agenda: Mapped[list["AgendaItem"]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan", back_populates="meeting"
    )


class AgendaItem(db.Model):
    """A child to be discussed at a meeting, in the agenda's order."""

    __tablename__ = "committee_agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "child_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("committee_meeting.id", ondelete="CASCADE")
    )
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    child: Mapped[Child] = relationship()


class Outcome(Labelled):
    CONTINUE = "continue"
    CHANGE_VISITS = "change_visits"
    REFER = "refer"
    CHANGE_PLACEMENT = "change_placement"
    END_FOLLOW_UP = "end_follow_up"
    OTHER = "other"


# TRANSLATORS: what the child-protection committee decided about a child at a review.
OUTCOME_LABELS = labels(
    {
        Outcome.CONTINUE: _l("Continue the follow-up as planned"),
        Outcome.CHANGE_VISITS: _l("Change the visit plan"),
        Outcome.REFER: _l("Refer to a service"),
        Outcome.CHANGE_PLACEMENT: _l("Recommend a change of placement"),
        Outcome.END_FOLLOW_UP: _l("End the follow-up"),
        Outcome.OTHER: _l("Other"),
    }
)


class Service(Labelled):
    PSYCHOLOGIST = "psychologist"
    HEALTH = "health"
    EDUCATION_SUPPORT = "education_support"
    LEGAL_AID = "legal_aid"
    SOCIAL_BENEFITS = "social_benefits"


# TRANSLATORS: a service the committee refers a child to.
SERVICE_LABELS = labels(
    {
        Service.PSYCHOLOGIST: _l("Psychologist"),
        Service.HEALTH: _l("Health services"),
        Service.EDUCATION_SUPPORT: _l("Education support"),
        Service.LEGAL_AID: _l("Legal aid"),
        Service.SOCIAL_BENEFITS: _l("Social benefits"),
    }
)


class Decision(db.Model):
    """What the committee decided about a child at a meeting. Its id is made by the form, so
    the same form sent twice records one decision."""

    __tablename__ = "committee_decision"
    __table_args__ = (
        Index("ix_committee_decision_child_recorded", "child_id", "recorded_at"),
        Index("ix_committee_decision_meeting_child", "meeting_id", "child_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("committee_meeting.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"))
    outcome: Mapped[Outcome] = mapped_column(string_enum(Outcome, "committee_outcome", 20))
    service: Mapped[Service | None] = mapped_column(string_enum(Service, "committee_service", 20))
    note: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The decision this one corrects; the corrected one stays, shown as corrected.
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("committee_decision.id"), unique=True
    )

    recorded_by: Mapped[User] = relationship()
    actions: Mapped[list["DecisionAction"]] = relationship(
        order_by="DecisionAction.position", cascade="all, delete-orphan"
    )


class Assignee(Labelled):
    SOCIAL_WORKER = "social_worker"
    SCHOOL = "school"
    OTHER_SERVICE = "other_service"


# TRANSLATORS: who must carry out an action the committee decided.
ASSIGNEE_LABELS = labels(
    {
        Assignee.SOCIAL_WORKER: _l("The child's social worker"),
        Assignee.SCHOOL: _l("The school"),
        Assignee.OTHER_SERVICE: _l("Another service"),
    }
)


class DecisionAction(db.Model):
    """One action of a decision: what, who does it, by when. It is followed through as a task
    (app/tasks), which holds its status: a correction carries the task over, or withdraws it."""

    __tablename__ = "committee_decision_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("committee_decision.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    what: Mapped[str] = mapped_column(Text)
    assignee: Mapped[Assignee] = mapped_column(string_enum(Assignee, "committee_assignee", 20))
    # The service's name, for an action given to another service.
    assignee_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date] = mapped_column(Date)
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("task.id"), index=True)

    task: Mapped[Task | None] = relationship()

    @property
    def status(self) -> TaskStatus:
        return self.task.status if self.task is not None else TaskStatus.OPEN


class ChildReview(db.Model):
    """Where a child stands in the review cycle: the day of the latest decision and the next
    review date it set. Kept by the decisions' service, so the due list reads one row a child
    rather than every decision."""

    __tablename__ = "committee_child_review"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), primary_key=True)
    decision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("committee_decision.id"))
    decided_on: Mapped[date] = mapped_column(Date)
    next_review_on: Mapped[date] = mapped_column(Date, index=True)
