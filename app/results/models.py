"""School results: the district's subjects, who teaches them in which class, and each child's
term result per subject, with every value it had before.

A term result is what a Kazakh school's e-journal keeps for a term: the summative percentage
and the mark on the 2–5 scale (from the percentage by the official bands, or given alone),
and a short comment. Grade 1 is not marked: a comment only.
"""

import uuid
from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import UTCDateTime, UUIDPrimaryKey, utcnow
from app.extensions import db

FIRST_GRADE, LAST_GRADE = 1, 11
LANGUAGES = ("en", "kk", "ru", "ar")


class Subject(UUIDPrimaryKey, db.Model):
    """A subject the district's schools teach in grades `grade_from` to `grade_to`, named in
    each of Qadam's languages (district data: an administrator may rename or add them)."""

    __tablename__ = "subject"
    __table_args__ = (
        CheckConstraint(
            f"grade_from BETWEEN {FIRST_GRADE} AND grade_to AND grade_to <= {LAST_GRADE}",
            name="grades_in_order",
        ),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    grade_from: Mapped[int] = mapped_column(Integer)
    grade_to: Mapped[int] = mapped_column(Integer)
    name_en: Mapped[str] = mapped_column(String(120))
    name_kk: Mapped[str] = mapped_column(String(120))
    name_ru: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str] = mapped_column(String(120))

    @property
    def name(self) -> str:
        """The name in the language of the page."""
        locale = get_locale()
        language = locale.language if locale is not None else "en"
        return getattr(self, f"name_{language}", None) or self.name_en

    def taught_in(self, grade: int) -> bool:
        return self.grade_from <= grade <= self.grade_to


# Which teacher teaches which subject in which class; the class's own teachers may enter all.
subject_teacher = Table(
    "subject_teacher",
    db.metadata,
    Column("class_id", Uuid, ForeignKey("school_class.id", ondelete="CASCADE"), primary_key=True),
    Column("subject_id", Uuid, ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_subject_teacher_user", "user_id"),
)


class TermResult(UUIDPrimaryKey, db.Model):
    """One child's result in one subject for one term, in the class it was entered in."""

    __tablename__ = "term_result"
    __table_args__ = (
        UniqueConstraint("child_id", "subject_id", "term_id"),
        CheckConstraint("percentage BETWEEN 0 AND 100", name="percentage_range"),
        CheckConstraint("mark BETWEEN 2 AND 5", name="mark_range"),
        CheckConstraint(
            "percentage IS NOT NULL OR mark IS NOT NULL OR comment IS NOT NULL",
            name="something_recorded",
        ),
        # A class's sheet for one subject and term: never a scan of every result.
        Index("ix_term_result_class_term_subject", "class_id", "term_id", "subject_id"),
        # The district's indicators: the marks of a period's terms, child by child, read from
        # the index alone.
        Index("ix_term_result_term_child_mark", "term_id", "child_id", "mark"),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subject.id"))
    term_id: Mapped[int] = mapped_column(ForeignKey("term.id"))
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school_class.id"))
    percentage: Mapped[int | None] = mapped_column(Integer)
    mark: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())  # on the device
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    history: Mapped[list["TermResultHistory"]] = relationship(
        back_populates="result", order_by="TermResultHistory.id"
    )

    __mapper_args__ = {"version_id_col": version}


class TermResultHistory(db.Model):
    """A value a term result had that is not its current value; nothing is discarded.
    `conflict` flags a value that lost to a concurrent change from another device."""

    __tablename__ = "term_result_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("term_result.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    percentage: Mapped[int | None] = mapped_column(Integer)
    mark: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    replaced_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id"))

    result: Mapped[TermResult] = relationship(back_populates="history")
