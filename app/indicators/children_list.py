"""The list of the district's (or one school's) followed children for the committee (issue 15,
point 3): one row each with their class and school, attendance over the period, their latest
term's marks summed up, where they live now (the kind of placement) and their open tasks.
Nothing of the background or of the child's past: no origin, no family situation, no
caregiver, no date or place of birth.

One statement for any number of children, read a batch at a time (yield_per) as the file is
written: the district's children are never all in memory."""

import uuid
from collections.abc import Iterator
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select

from app.attendance.models import Term
from app.attendance.overview import attendance_counts
from app.auth.models import User
from app.casework.models import Placement
from app.children.district import followed
from app.children.models import Child, School, SchoolClass, name_order
from app.exports.tables import Column
from app.exports.tables import Table as ExportTable
from app.i18n.collation import sql_collation
from app.indicators import queries
from app.indicators.period import Period
from app.results.models import TermResult
from app.tasks.models import Task, TaskStatus

BATCH = 500


def statement(user: User, school_id: uuid.UUID | None, period: Period, today: date, lang: str):
    """The children followed today in the reader's scope, by school, class and name."""
    children = queries.scope(user, school_id)
    attendance = attendance_counts(children, period.starts_on, period.ends_on).subquery()
    latest = _latest_results(children, period)
    tasks = _open_tasks(children)
    collation = sql_collation(lang)
    return (
        select(
            Child.id,
            Child.family_name,
            Child.given_name,
            Child.patronymic,
            School.name.label("school"),
            SchoolClass.grade,
            SchoolClass.letter,
            attendance.c.attended,
            attendance.c.marks,
            latest.c.academic_year,
            latest.c.number,
            latest.c.subjects,
            latest.c.lowest,
            latest.c.mean,
            _placement_now(today).label("placement"),
            tasks.c.open,
        )
        .outerjoin(SchoolClass, SchoolClass.id == Child.class_id)
        .outerjoin(School, School.id == SchoolClass.school_id)
        .outerjoin(attendance, attendance.c.child_id == Child.id)
        .outerjoin(latest, latest.c.child_id == Child.id)
        .outerjoin(tasks, tasks.c.child_id == Child.id)
        .where(Child.id.in_(children), followed())
        .order_by(
            func.coalesce(School.name, ""),
            SchoolClass.grade,
            SchoolClass.letter,
            *name_order(collation),
            Child.id,
        )
    )


def _latest_results(children: Select, period: Period):
    """Each child's latest term with marks begun by the period's end: how many subjects were
    marked, the lowest mark and the mean."""
    per_term = (
        select(
            TermResult.child_id,
            Term.academic_year,
            Term.number,
            func.count().label("subjects"),
            func.min(TermResult.mark).label("lowest"),
            func.avg(TermResult.mark).label("mean"),
            func.row_number()
            .over(
                partition_by=TermResult.child_id, order_by=(Term.starts_on.desc(), Term.id.desc())
            )
            .label("rank"),
        )
        .join(Term, Term.id == TermResult.term_id)
        .where(
            TermResult.child_id.in_(children),
            TermResult.mark.is_not(None),
            Term.starts_on <= period.ends_on,
        )
        .group_by(TermResult.child_id, Term.id, Term.academic_year, Term.number, Term.starts_on)
        .subquery()
    )
    return select(per_term).where(per_term.c.rank == 1).subquery()


def _open_tasks(children: Select):
    """Tasks still to do (open or blocked) per child."""
    return (
        select(Task.child_id, func.count().label("open"))
        .where(Task.child_id.in_(children), Task.status.in_((TaskStatus.OPEN, TaskStatus.BLOCKED)))
        .group_by(Task.child_id)
        .subquery()
    )


def _placement_now(today: date):
    """The kind of the child's placement today (the latest begun, should two overlap)."""
    current = and_(
        Placement.child_id == Child.id,
        Placement.starts_on <= today,
        or_(Placement.ends_on.is_(None), Placement.ends_on > today),
    )
    latest = select(Placement.kind).where(current)
    return latest.order_by(Placement.starts_on.desc(), Placement.id).limit(1).scalar_subquery()


def columns() -> list[Column]:
    return [
        Column("family_name", _("Family name")),
        Column("given_name", _("Given name")),
        Column("patronymic", _("Patronymic")),
        Column("school", _("School")),
        Column("class", _("Class")),
        Column("attendance", _("Attendance over the period, %"), "float"),
        Column("days_marked", _("Days marked"), "int"),
        Column("term", _("Latest term with marks")),
        Column("subjects", _("Subjects marked"), "int"),
        Column("lowest", _("Lowest mark"), "int"),
        Column("mean", _("Mean mark"), "float"),
        Column("placement", _("Lives now")),
        Column("open_tasks", _("Open tasks"), "int"),
    ]


def table(rows: Iterator[dict]) -> ExportTable:
    return ExportTable(_("Followed children"), columns(), rows)


def rows(result) -> Iterator[tuple[uuid.UUID, dict]]:
    """Each child's id and row, as the database gives them, a batch at a time."""
    for row in result:
        yield row.id, _row(row)


def _row(row) -> dict:
    marks = int(row.marks or 0)
    return {
        "family_name": row.family_name,
        "given_name": row.given_name,
        "patronymic": row.patronymic or "",
        "school": row.school or "",
        "class": f"{row.grade} {row.letter}" if row.grade is not None else "",
        "attendance": round(100 * int(row.attended) / marks, 1) if marks else None,
        "days_marked": marks,
        "term": _term(row.academic_year, row.number),
        "subjects": row.subjects,
        "lowest": row.lowest,
        "mean": round(float(row.mean), 2) if row.mean is not None else None,
        "placement": row.placement.label if row.placement is not None else "",
        "open_tasks": int(row.open or 0),
    }


def _term(year: str | None, number: int | None) -> str:
    if year is None:
        return ""
    # TRANSLATORS: a school term in a list, for example "Term 2, 2026-2027".
    return _("Term %(number)s, %(year)s", number=number, year=year)
