"""The district's figures over a period, each one aggregate in SQL over the children in
scope (the reader's district, or one school of it): the same statements for thirty children
or ten thousand, none per child."""

import statistics
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, String, and_, case, exists, func, or_, select, type_coerce
from sqlalchemy.orm import aliased

from app.attendance.models import AttendanceMark, Term
from app.attendance.overview import ATTENDED, attendance_counts, is_low
from app.auth.models import User
from app.casework.due import visits_due
from app.casework.models import Placement, PlacementKind, VisitReport
from app.children.access import reachable_child_ids
from app.children.district import followed
from app.children.models import Child, SchoolClass, caseload
from app.committee.due import follow_up_began
from app.committee.models import Decision, DecisionAction
from app.core.sql_dates import add_months, day_of, week_of
from app.extensions import db
from app.incidents.models import EventKind, Incident, IncidentEvent, Kind, Place, Severity
from app.incidents.models import Status as IncidentStatus
from app.indicators.period import Period
from app.plans.models import LanguageLevel
from app.results.models import TermResult
from app.tasks.models import Task, TaskStatus


def scope(user: User, school_id: uuid.UUID | None) -> Select:
    """The ids of the children the figures count: the reader's district, or one school."""
    if school_id is None:
        return reachable_child_ids(user)
    of_school = select(SchoolClass.id).where(SchoolClass.school_id == school_id)
    return reachable_child_ids(user, Child.class_id.in_(of_school))


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def children_followed(children: Select, period: Period) -> dict[str, int]:
    """Followed at the period's end (app/children/district.followed) and begun by then; new:
    those whose follow-up began in the period (the review cycle's day: their first placement,
    else the day they were entered); ended: their case closed in the period."""
    began = follow_up_began()
    on_caseload = exists().where(caseload.c.child_id == Child.id)
    row = db.session.execute(
        select(
            _count(and_(followed(period.ends_on), began <= period.ends_on)),
            _count(
                and_(followed(period.ends_on), began >= period.starts_on, began <= period.ends_on)
            ),
            _count(
                and_(on_caseload, Child.case_closed_on.between(period.starts_on, period.ends_on))
            ),
        ).where(Child.id.in_(children))
    ).one()
    return {"at_end": int(row[0]), "new": int(row[1]), "ended": int(row[2])}


def attendance(children: Select, period: Period) -> dict[str, object]:
    """Days attended over days marked in the period (None: no marks), the children with marks
    (what the rate rests on), and those whose attendance over the period was low by the
    attendance domain's rule (below 85 %)."""
    counts = attendance_counts(children, period.starts_on, period.ends_on).subquery()
    row = db.session.execute(
        select(
            func.coalesce(func.sum(counts.c.attended), 0),
            func.coalesce(func.sum(counts.c.marks), 0),
            _count(is_low(counts.c.attended, counts.c.marks)),
            func.count(),
        )
    ).one()
    attended, marks, low, children = (int(value) for value in row)
    rate = attended / marks if marks else None
    return {"rate": rate, "marks": marks, "low": low, "children": children}


def attendance_by_week(children: Select, period: Period) -> list[dict[str, object]]:
    """Days attended over days marked in each week of the period that has marks (weeks begin
    on Monday; the first and last may be cut by the period), oldest first; and the most
    children marked on one day of the week, so at least that many were marked in it (the base
    of the rate upwards: a roll call marks every child of a class, so it is all of them on a
    school day). Summed by day, then by week: a few hundred groups for a year, where counting
    distinct children would sort every mark."""
    attended = func.sum(case((AttendanceMark.status.in_(ATTENDED), 1), else_=0))
    days = (
        select(
            AttendanceMark.day.label("day"),
            attended.label("attended"),
            func.count().label("marks"),
        )
        .where(
            AttendanceMark.child_id.in_(children),
            AttendanceMark.day.between(period.starts_on, period.ends_on),
        )
        .group_by(AttendanceMark.day)
        .subquery()
    )
    week = week_of(days.c.day).label("week")
    rows = db.session.execute(
        select(week, func.sum(days.c.attended), func.sum(days.c.marks), func.max(days.c.marks))
        .group_by(week)
        .order_by(week)
    )
    return [
        {
            "week": _as_date(monday),
            "rate": int(attended) / int(marks),
            "marks": int(marks),
            "children": int(most),
        }
        for monday, attended, marks, most in rows
    ]


def _as_date(value) -> date:
    # SQLite may hand a computed day back as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def results(children: Select, period: Period) -> list[dict[str, object]]:
    """For each term that overlaps the period: the children with marks, and how many had all
    marks 5, all marks 4 or 5, any mark 2."""
    mark = TermResult.mark
    terms = select(Term.id).where(
        Term.starts_on <= period.ends_on, Term.ends_on >= period.starts_on
    )
    per_child = (
        select(
            TermResult.term_id,
            TermResult.child_id,
            func.count().label("marks"),
            _count(mark == 5).label("fives"),
            _count(mark >= 4).label("good"),
            _count(mark == 2).label("twos"),
        )
        .where(TermResult.term_id.in_(terms), TermResult.child_id.in_(children), mark.is_not(None))
        .group_by(TermResult.term_id, TermResult.child_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Term.academic_year,
            Term.number,
            func.count(),
            _count(per_child.c.fives == per_child.c.marks),
            _count(per_child.c.good == per_child.c.marks),
            _count(per_child.c.twos > 0),
        )
        .join(per_child, per_child.c.term_id == Term.id)
        .where(Term.starts_on <= period.ends_on, Term.ends_on >= period.starts_on)
        .group_by(Term.id, Term.academic_year, Term.number, Term.starts_on)
        .order_by(Term.starts_on)
    )
    keys = ("year", "number", "children", "all_fives", "fours_and_fives", "any_two")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def language_levels(children: Select, period: Period) -> dict[str, object]:
    """The children whose language level was assessed in a term that overlaps the period: by
    their latest level in it, and whether it rose, stayed or fell from their previous
    assessed term (none: their first assessment)."""
    ranked = (
        select(
            LanguageLevel.level,
            Term.ends_on,
            func.lag(LanguageLevel.level)
            .over(partition_by=LanguageLevel.child_id, order_by=Term.starts_on)
            .label("before"),
            func.row_number()
            .over(partition_by=LanguageLevel.child_id, order_by=Term.starts_on.desc())
            .label("rank"),
        )
        .join(Term, Term.id == LanguageLevel.term_id)
        .where(LanguageLevel.child_id.in_(children), Term.starts_on <= period.ends_on)
        .subquery()
    )
    level, before = ranked.c.level, ranked.c.before
    row = db.session.execute(
        select(
            func.count(),
            *(_count(level == n) for n in LEVELS),
            _count(level > before),
            _count(level == before),
            _count(level < before),
            _count(before.is_(None)),
        ).where(ranked.c.rank == 1, ranked.c.ends_on >= period.starts_on)
    ).one()
    values = [int(value) for value in row]
    return {
        "children": values[0],
        "by_level": dict(zip(LEVELS, values[1:6], strict=True)),
        "rose": values[6],
        "stayed": values[7],
        "fell": values[8],
        "first": values[9],
    }


LEVELS = (1, 2, 3, 4, 5)


def placements(children: Select, period: Period) -> dict[str, object]:
    """Where the children live at the period's end, by kind; placements begun and ended in it."""
    current = and_(
        Placement.starts_on <= period.ends_on,
        or_(Placement.ends_on.is_(None), Placement.ends_on > period.ends_on),
    )
    kinds = [_count(and_(current, Placement.kind == kind)) for kind in PlacementKind]
    row = db.session.execute(
        select(
            *kinds,
            _count(Placement.starts_on.between(period.starts_on, period.ends_on)),
            _count(Placement.ends_on.between(period.starts_on, period.ends_on)),
        ).where(Placement.child_id.in_(children))
    ).one()
    values = [int(value) for value in row]
    by_kind = dict(zip(PlacementKind, values, strict=False))
    return {"by_kind": by_kind, "begun": values[-2], "ended": values[-1]}


def visits_done(children: Select, period: Period) -> int:
    """Visit reports of the period (home and school visits and phone calls)."""
    return db.session.scalar(
        select(func.count()).where(
            VisitReport.child_id.in_(children),
            VisitReport.visited_on.between(period.starts_on, period.ends_on),
        )
    )


def visits_due_in(children: Select, period: Period) -> dict[str, int]:
    """The visits that fell due in the period by casework's rule (app/casework/due.py): the
    one due after a placement began and the one due after each of its visits, on a day in
    the period while the placement lasted; done: the placement's next visit was made by the
    period's end. A visit not made is due once, however long it waits (overdue now counts
    it today)."""
    in_scope = select(Placement.id).where(Placement.child_id.in_(children))
    visits = (
        select(
            VisitReport.placement_id,
            VisitReport.visited_on,
            VisitReport.next_visit_on,
            func.lead(VisitReport.visited_on)
            .over(
                partition_by=VisitReport.placement_id,
                order_by=(VisitReport.visited_on, VisitReport.created_at),
            )
            .label("then_on"),
        )
        .where(VisitReport.placement_id.in_(in_scope), VisitReport.visited_on <= period.ends_on)
        .subquery()
    )
    monthly_phase = visits.c.visited_on < add_months(Placement.starts_on, Placement.monthly_months)
    after_visit = case(
        (visits.c.next_visit_on.is_not(None), visits.c.next_visit_on),
        (monthly_phase, add_months(visits.c.visited_on, 1)),
        else_=add_months(visits.c.visited_on, Placement.then_every_months),
    )
    first_visit = (
        select(func.min(VisitReport.visited_on))
        .where(VisitReport.placement_id == Placement.id)
        .scalar_subquery()
    )
    after_start = select(
        Placement.ends_on,
        add_months(Placement.starts_on, 1).label("due_on"),
        first_visit.label("then_on"),
    ).where(Placement.child_id.in_(children), Placement.starts_on <= period.ends_on)
    after_visits = select(Placement.ends_on, after_visit.label("due_on"), visits.c.then_on).join(
        Placement, Placement.id == visits.c.placement_id
    )
    due = after_start.union_all(after_visits).subquery()
    row = db.session.execute(
        select(func.count(), _count(due.c.then_on <= period.ends_on)).where(
            due.c.due_on.between(period.starts_on, period.ends_on),
            or_(due.c.ends_on.is_(None), due.c.ends_on > due.c.due_on),
        )
    ).one()
    return {"due": int(row[0]), "done": int(row[1])}


def visits_overdue(children: Select, today: date) -> dict[str, int]:
    """Current placements whose next visit (casework's rule) is overdue today, of all those."""
    due = visits_due(children).subquery()
    row = db.session.execute(select(func.count(), _count(due.c.due_on < today))).one()
    return {"placements": int(row[0]), "overdue": int(row[1])}


def incidents(children: Select, period: Period) -> dict[str, object]:
    """Incidents that occurred in the period by severity, by status (as they stand now), by
    place and by category (an incident may be of several: those counts do not add up)."""
    # The set's values joined by commas, read as the text they are stored as.
    padded = "," + type_coerce(Incident.what_happened, String) + ","
    rows = db.session.execute(
        select(
            Incident.severity,
            Incident.status,
            Incident.place,
            func.count(),
            *(_count(padded.like(f"%,{kind.value},%")) for kind in Kind),
        )
        .where(
            Incident.child_id.in_(children),
            Incident.occurred_on.between(period.starts_on, period.ends_on),
        )
        .group_by(Incident.severity, Incident.status, Incident.place)
    )
    by_severity = dict.fromkeys(Severity, 0)
    by_status = dict.fromkeys(IncidentStatus, 0)
    by_place = dict.fromkeys(Place, 0)
    by_kind = dict.fromkeys(Kind, 0)
    for severity, status, place, number, *kinds in rows:
        by_severity[severity] += number
        by_status[status] += number
        by_place[place] += number
        for kind, counted in zip(Kind, kinds, strict=True):
            by_kind[kind] += int(counted)
    return {
        "total": sum(by_severity.values()),
        "by_severity": by_severity,
        "by_status": by_status,
        "by_place": by_place,
        "by_kind": by_kind,
        "median_days": _median_days_to_resolution(children, period),
    }


def _median_days_to_resolution(children: Select, period: Period) -> float | None:
    """Days from occurring to being resolved (the last time), of the period's resolved
    incidents: one row each, the median taken here (portable, and the rows are few)."""
    resolved_on = func.max(day_of(IncidentEvent.at))
    rows = db.session.execute(
        select(Incident.occurred_on, resolved_on)
        .join(IncidentEvent, IncidentEvent.incident_id == Incident.id)
        .where(
            Incident.child_id.in_(children),
            Incident.occurred_on.between(period.starts_on, period.ends_on),
            Incident.status == IncidentStatus.RESOLVED,
            IncidentEvent.kind == EventKind.STATUS,
            IncidentEvent.status_to == IncidentStatus.RESOLVED,
        )
        .group_by(Incident.id, Incident.occurred_on)
    )
    days = [(resolved - occurred).days for occurred, resolved in rows]
    return statistics.median(days) if days else None


def decisions(children: Select, period: Period, today: date) -> dict[str, int]:
    """Decisions recorded in the period (a corrected one counts once, as its correction) and
    their actions: done, and overdue today (not done, past their date)."""
    correction = aliased(Decision)
    # Moments, not days of them, so the index on (child, moment recorded) serves the range.
    since = datetime.combine(period.starts_on, time.min, UTC)
    until = datetime.combine(period.ends_on + timedelta(days=1), time.min, UTC)
    current = (
        select(Decision.id)
        .where(
            Decision.child_id.in_(children),
            Decision.recorded_at >= since,
            Decision.recorded_at < until,
            ~exists().where(correction.corrects_id == Decision.id),
        )
        .subquery()
    )
    number = db.session.scalar(select(func.count()).select_from(current))
    open_ = DecisionAction.task_id.is_(None) | Task.status.in_(
        (TaskStatus.OPEN, TaskStatus.BLOCKED)
    )
    row = db.session.execute(
        select(
            func.count(),
            _count(Task.status == TaskStatus.DONE),
            _count(and_(open_, DecisionAction.due_on < today)),
        )
        .select_from(DecisionAction)
        .outerjoin(Task, Task.id == DecisionAction.task_id)
        .where(DecisionAction.decision_id.in_(select(current.c.id)))
    ).one()
    return {
        "decisions": int(number),
        "actions": int(row[0]),
        "done": int(row[1]),
        "overdue": int(row[2]),
    }
