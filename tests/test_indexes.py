"""Aggregates a page runs on every request are served by an index, whatever the size of the
table (issue 12, point 5): checked in the database's own query plan."""

import re

from sqlalchemy import event, select

from app.attendance.services import roll_call_states
from app.auth.models import Role
from app.children.access import reaches
from app.children.models import Child
from app.extensions import db
from app.incidents.models import ReviewItem
from app.incidents.queries import open_review_items
from tests.conftest import TODAY
from tests.factories import AttendanceMarkFactory, ChildFactory, SchoolClassFactory, UserFactory


def query_plan(run, table: str, containing: str = "") -> str:
    """The plan of the statement on `table` (and `containing` that) that `run()` sends, as the
    database would run it with its planner kept off full scans (on PostgreSQL a small table is
    scanned anyway)."""
    sent = []

    def record(_conn, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    statement, parameters = next(
        (s, p) for s, p in sent if f"FROM {table}" in s and containing in s
    )
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    else:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
    return "\n".join(str(row) for row in rows)


def test_the_summary_of_a_classs_day_is_served_by_an_index():
    teacher = UserFactory()
    school_class = SchoolClassFactory(teachers=[teacher])
    for child in ChildFactory.create_batch(3, school_class=school_class):
        AttendanceMarkFactory(child_obj=child, recorded_by=teacher, day=TODAY)
    plan = query_plan(lambda: roll_call_states([school_class.id], TODAY), "attendance_mark")
    assert "ix_attendance_mark_class_day" in plan, plan


def test_the_committees_due_list_reads_the_open_review_items_from_an_index():
    """Reviewed items pile up over the years; the due list reads the district's open ones
    through an index, never the whole table."""
    member = UserFactory(role=Role.COMMITTEE_MEMBER, district="Сынақ ауданы")
    for child in ChildFactory.create_batch(3):
        db.session.add(ReviewItem(child=child, reason="serious_incident"))
    db.session.flush()
    district = select(Child.id).where(reaches(member))
    plan = query_plan(lambda: db.session.execute(open_review_items(district)).all(), "review_item")
    if db.engine.dialect.name == "postgresql":
        assert re.search(r"Index (Only )?Scan (using|on) ix_review_item_", plan), plan
        assert "Seq Scan on review_item" not in plan, plan
    else:
        assert re.search(r"review_item USING (COVERING )?INDEX", plan), plan


def test_a_childs_support_sessions_of_a_term_are_counted_from_their_index():
    """Sessions pile up over the years; the child's page counts a term's from the index."""
    from app.attendance.models import Term
    from app.plans.language import term_totals
    from app.plans.models import SupportSession

    teacher = UserFactory()
    child = ChildFactory()
    for day in (TODAY, TODAY.replace(day=10)):
        db.session.add(
            SupportSession(
                child_id=child.id,
                held_on=day,
                minutes=30,
                with_whom="Маман",
                language="ar",
                recorded_by_id=teacher.id,
            )
        )
    db.session.flush()
    term = Term(academic_year="2026-2027", number=2, starts_on=TODAY.replace(day=3), ends_on=TODAY)
    plan = query_plan(lambda: term_totals(child.id, term), "support_session")
    assert "ix_support_session_child_held_on" in plan, plan


def test_the_district_indicators_read_a_periods_attendance_from_an_index():
    """A district's attendance of a period read from an index, never a scan of the whole
    table (issue 15, point 6)."""
    from datetime import date

    from app.indicators import queries
    from app.indicators.period import Period

    member = UserFactory(role=Role.COMMITTEE_MEMBER, district="Сынақ ауданы")
    for child in ChildFactory.create_batch(3):
        AttendanceMarkFactory(child_obj=child, recorded_by=member, day=TODAY)
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    children = queries.scope(member, None)
    plan = query_plan(lambda: queries.attendance(children, period), "attendance_mark")
    if db.engine.dialect.name == "postgresql":
        # Either index of the marks serves a period (PostgreSQL picks by its statistics, and
        # picked each in different runs); never a scan of the whole table.
        assert "Seq Scan on attendance_mark" not in plan, plan
        assert (
            "uq_attendance_mark_child_id_day" in plan or "ix_attendance_mark_class_day" in plan
        ), plan
    else:  # SQLite's name for the unique (child, day) index is its own
        assert "attendance_mark USING INDEX sqlite_autoindex" in plan, plan
        assert "(child_id=? AND day>? AND day<?)" in plan, plan


def test_the_district_indicators_read_only_the_periods_term_results_from_their_index():
    """Results pile up term after term; the indicators read the period's terms' marks from the
    index on (term, child, mark), not every term's (issue 15, point 6)."""
    from datetime import UTC, date, datetime

    from app.indicators import queries
    from app.indicators.period import Period
    from app.results.models import Subject, TermResult
    from tests.factories import TermFactory

    member = UserFactory(role=Role.COMMITTEE_MEMBER, district="Сынақ ауданы")
    subject = Subject(
        code="maths", grade_from=1, grade_to=11, name_en="Maths", name_kk="Математика",
        name_ru="Математика", name_ar="الرياضيات",
    )  # fmt: skip
    db.session.add(subject)
    terms = [
        TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 25)),
        TermFactory(number=2, starts_on=date(2026, 11, 3), ends_on=date(2026, 12, 28)),
    ]
    for child in ChildFactory.create_batch(3):
        for term in terms:
            db.session.add(
                TermResult(
                    child_id=child.id, subject_id=subject.id, term_id=term.id,
                    class_id=child.class_id, mark=4, recorded_by_id=member.id,
                    recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
                )
            )  # fmt: skip
    db.session.flush()
    children = queries.scope(member, None)
    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    plan = query_plan(lambda: queries.results(children, period), "term_result")
    if db.engine.dialect.name == "postgresql":
        # With a few rows its planner goes child by child (it takes the index at scale:
        # scripts/bench/indicators.py); never a scan of the whole table.
        assert "Seq Scan on term_result" not in plan, plan
    else:
        assert "ix_term_result_term_child_mark" in plan, plan
