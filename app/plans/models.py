"""Individual education plans and language support.

A plan is a child's for one school year: for each of five fixed areas at most one goal, with
the support given, who gives it, the term it aims at and its status; every change keeps the
values it replaced, and each term's review is a dated note added to the plan, never edited.
It asks about the child's learning now, nothing about their past.

Language support: the child's level in the language of instruction each term on a fixed
scale of five described levels (a correction keeps the earlier level), and the support
sessions given, each sent with its own id so that a form sent twice adds one.
"""

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import Labelled, UTCDateTime, UUIDPrimaryKey, labels, string_enum, utcnow
from app.extensions import db

TERMS = (1, 2, 3, 4)
LEVELS = (1, 2, 3, 4, 5)
TOP_LEVEL = 5
INSTRUCTION_LANGUAGES = ("kk", "ru")
SESSION_LANGUAGES = ("ar", "kk", "ru", "other")
GOAL_MAX, SUPPORT_MAX, GIVEN_BY_MAX = 300, 300, 120
REVIEW_MAX, SESSION_NOTE_MAX, WITH_WHOM_MAX = 1000, 300, 120
MINUTES_MAX = 240


class Area(Labelled):
    LANGUAGE = "language"
    LITERACY = "literacy"
    MATHEMATICS = "mathematics"
    OTHER_SUBJECTS = "other_subjects"
    SOCIAL_EMOTIONAL = "social_emotional"


AREA_LABELS = labels(
    {
        Area.LANGUAGE: _l("Language of instruction"),
        Area.LITERACY: _l("Reading and writing"),
        Area.MATHEMATICS: _l("Mathematics"),
        Area.OTHER_SUBJECTS: _l("Other subjects"),
        Area.SOCIAL_EMOTIONAL: _l("Social and emotional"),
    }
)


class GoalStatus(Labelled):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    CHANGED = "changed"


STATUS_LABELS = labels(
    {
        GoalStatus.NOT_STARTED: _l("Not started"),
        # TRANSLATORS: a goal of a child's education plan being worked on (not a case's).
        GoalStatus.IN_PROGRESS: _lp("goal", "In progress"),
        GoalStatus.ACHIEVED: _l("Achieved"),
        GoalStatus.CHANGED: _l("Changed"),
    }
)

# TRANSLATORS: the five levels of a child's understanding of the language of instruction.
LEVEL_DESCRIPTIONS = {
    1: _l("Understands almost nothing"),
    2: _l("Understands simple words and instructions with gestures"),
    3: _l("Understands everyday speech; needs help with the language of lessons"),
    4: _l("Follows most lessons with occasional help"),
    5: _l("Follows lessons without help"),
}

# TRANSLATORS: the language a support session was held in.
SESSION_LANGUAGE_LABELS = {
    "ar": _l("Arabic"),
    "kk": _l("Kazakh"),
    "ru": _l("Russian"),
    "other": _l("Another language"),
}


class EducationPlan(UUIDPrimaryKey, db.Model):
    """A child's individual education plan for one school year."""

    __tablename__ = "education_plan"
    __table_args__ = (UniqueConstraint("child_id", "academic_year"),)

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"))
    academic_year: Mapped[str] = mapped_column(String(9))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    goals: Mapped[list["PlanGoal"]] = relationship(back_populates="plan")
    reviews: Mapped[list["PlanReview"]] = relationship(
        order_by=lambda: [PlanReview.reviewed_on.desc(), PlanReview.created_at.desc()]
    )


class PlanGoal(UUIDPrimaryKey, db.Model):
    """An area's goal in a plan, as it stands now; what it was before is in its history."""

    __tablename__ = "plan_goal"
    __table_args__ = (
        UniqueConstraint("plan_id", "area"),
        CheckConstraint("target_term BETWEEN 1 AND 4", name="target_term_range"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("education_plan.id"))
    area: Mapped[Area] = mapped_column(string_enum(Area, "plan_area", 20))
    goal: Mapped[str] = mapped_column(String(GOAL_MAX))
    support: Mapped[str] = mapped_column(String(SUPPORT_MAX), default="")
    given_by: Mapped[str] = mapped_column(String(GIVEN_BY_MAX), default="")
    target_term: Mapped[int] = mapped_column(Integer)
    status: Mapped[GoalStatus] = mapped_column(string_enum(GoalStatus, "goal_status", 20))
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[EducationPlan] = relationship(back_populates="goals")
    history: Mapped[list["PlanGoalHistory"]] = relationship(
        order_by="PlanGoalHistory.id.desc()", viewonly=True
    )

    __mapper_args__ = {"version_id_col": version}


class PlanGoalHistory(db.Model):
    """A value an area's goal had before a change; nothing written is discarded."""

    __tablename__ = "plan_goal_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_goal.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    goal: Mapped[str] = mapped_column(String(GOAL_MAX))
    support: Mapped[str] = mapped_column(String(SUPPORT_MAX))
    given_by: Mapped[str] = mapped_column(String(GIVEN_BY_MAX))
    target_term: Mapped[int] = mapped_column(Integer)
    status: Mapped[GoalStatus] = mapped_column(string_enum(GoalStatus, "goal_status", 20))
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PlanReview(UUIDPrimaryKey, db.Model):
    """A term's review of the plan: a dated note, added and never changed."""

    __tablename__ = "plan_review"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("education_plan.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("term.id"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(REVIEW_MAX))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LanguageLevel(UUIDPrimaryKey, db.Model):
    """A child's level in the language of instruction in one term (1 to 5)."""

    __tablename__ = "language_level"
    __table_args__ = (
        UniqueConstraint("child_id", "term_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint("language IN ('kk', 'ru')", name="language_values"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"))
    term_id: Mapped[int] = mapped_column(ForeignKey("term.id"))
    language: Mapped[str] = mapped_column(String(2))
    level: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    history: Mapped[list["LanguageLevelHistory"]] = relationship(
        order_by="LanguageLevelHistory.id.desc()", viewonly=True
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def description(self) -> str:
        return str(LEVEL_DESCRIPTIONS[self.level])


class LanguageLevelHistory(db.Model):
    """A level recorded for a term and later corrected."""

    __tablename__ = "language_level_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("language_level.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    level: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def description(self) -> str:
        return str(LEVEL_DESCRIPTIONS[self.level])


class SupportSession(UUIDPrimaryKey, db.Model):
    """A language support session a child had; its id is made by the form, so a form sent
    twice adds one session."""

    __tablename__ = "support_session"
    __table_args__ = (
        CheckConstraint("minutes BETWEEN 1 AND 240", name="minutes_range"),
        CheckConstraint("language IN ('ar', 'kk', 'ru', 'other')", name="language_values"),
        # A child's sessions of a term, counted on their page: never a scan of every session.
        Index("ix_support_session_child_held_on", "child_id", "held_on"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    with_whom: Mapped[str] = mapped_column(String(WITH_WHOM_MAX))
    language: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(String(SESSION_NOTE_MAX))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def language_label(self) -> str:
        return str(SESSION_LANGUAGE_LABELS[self.language])
