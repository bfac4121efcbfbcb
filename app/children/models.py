"""The roster: schools, classes, who teaches them, and the children in them."""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
    collate,
    event,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import MIGRATION_ONLY_INDEXES, Timestamps, UTCDateTime, UUIDPrimaryKey
from app.extensions import db
from app.i18n.collation import SQL_COLLATIONS
from app.i18n.transliteration import search_key


class School(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "school"

    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(120))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    classes: Mapped[list["SchoolClass"]] = relationship(back_populates="school")


class_teacher = Table(
    "class_teacher",
    db.metadata,
    Column("class_id", Uuid, ForeignKey("school_class.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class SchoolClass(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "school_class"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 0 AND 11", name="grade_range"),
        UniqueConstraint("school_id", "academic_year", "grade", "letter"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school.id"), index=True)
    grade: Mapped[int] = mapped_column(Integer)
    letter: Mapped[str] = mapped_column(String(8))
    language_of_instruction: Mapped[str] = mapped_column(String(8))
    academic_year: Mapped[str] = mapped_column(String(9))  # "2026-2027"
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    school: Mapped[School] = relationship(back_populates="classes")
    teachers: Mapped[list[User]] = relationship(secondary=class_teacher)
    children: Mapped[list["Child"]] = relationship(back_populates="school_class")

    @property
    def name(self) -> str:
        return f"{self.grade} {self.letter}"


class Child(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "child"
    __table_args__ = (CheckConstraint("sex IN ('F', 'M')", name="sex_values"),)

    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)  # None once anonymised
    sex: Mapped[str] = mapped_column(String(1))
    class_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("school_class.id"), index=True)
    home_languages: Mapped[str] = mapped_column(String(64), default="")  # "ar,kk"
    needs_language_support: Mapped[bool] = mapped_column(Boolean, default=False)
    left_on: Mapped[date | None] = mapped_column(Date)  # left the district's schools
    # The names folded to one Latin skeleton, so "Нұрлан", "Нурлан" and "Nūrlan" all match.
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Set by the child's social worker; the retention period runs from this day.
    case_closed_on: Mapped[date | None] = mapped_column(Date)
    # When the retention period ended and the identifying fields were removed.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    school_class: Mapped[SchoolClass | None] = relationship(back_populates="children")

    __mapper_args__ = {"version_id_col": version}

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)

    @property
    def home_language_codes(self) -> list[str]:
        return [code for code in self.home_languages.split(",") if code]


def name_order(collation: str) -> list[ColumnElement]:
    """Family name, given name, patronymic in `collation`'s order (a missing one first)."""
    names = (Child.family_name, Child.given_name, Child.patronymic)
    return [collate(func.coalesce(name, ""), collation) for name in names]


# On PostgreSQL an index for each order (ix_child_name_kk, ix_child_name_root: migration 0013)
# on exactly these expressions, then the id, lets a page of a large district be read in order
# (tests/test_district_list.py). Made by the migration only: on SQLite, where these collations exist
# only on the app's connections, there is none, and a model's index cannot be PostgreSQL's
# alone without Alembic warning on SQLite; nor does it reflect an index's COLLATE to compare.
MIGRATION_ONLY_INDEXES.update(
    dict.fromkeys(
        (f"ix_child_name_{order}" for order in SQL_COLLATIONS),
        "PostgreSQL only; its COLLATE is not reflected",
    )
)


@event.listens_for(Child, "before_insert")
@event.listens_for(Child, "before_update")
def _index_names(mapper, connection, child: Child) -> None:
    child.search_key = search_key(child.family_name, child.given_name, child.patronymic)


class Enrolment(db.Model):
    """A child's time in a class: the history of where they learnt, with dates."""

    __tablename__ = "enrolment"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR starts_on <= ends_on", name="dates"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("school_class.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # the first day no longer in the class
    # Why it ended: "moved", "left", "rollover" (next grade) or "graduated".
    end_reason: Mapped[str | None] = mapped_column(String(20))

    school_class: Mapped[SchoolClass] = relationship()


caseload = Table(
    "caseload",
    db.metadata,
    Column("user_id", Uuid, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    # By child too: whether a child is on anyone's caseload (followed; migration 0017).
    Column(
        "child_id",
        Uuid,
        ForeignKey("child.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
