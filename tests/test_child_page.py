"""A child's page: who they are at school and their attendance this term."""

from datetime import date

from sqlalchemy import select

from app.attendance.models import Status
from app.core.audit import AuditEvent
from app.extensions import db
from tests.factories import (
    AttendanceMarkFactory,
    ChildFactory,
    SchoolClassFactory,
    TermFactory,
    UserFactory,
)


def test_child_page_shows_this_terms_attendance_and_rate(client, auth):
    teacher = UserFactory()
    child = ChildFactory(
        school_class=SchoolClassFactory(teachers=[teacher]),
        home_languages="ar,kk",
        needs_language_support=True,
    )
    TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 25))
    TermFactory(number=2, starts_on=date(2026, 11, 3), ends_on=date(2026, 12, 28))
    days = {
        date(2026, 11, 16): Status.PRESENT,
        date(2026, 11, 17): Status.LATE,
        date(2026, 11, 18): Status.ABSENT,
        date(2026, 11, 13): Status.PRESENT,
        date(2026, 10, 20): Status.ABSENT,  # last term: not counted
    }
    for day, status in days.items():
        AttendanceMarkFactory(child_obj=child, recorded_by=teacher, day=day, status=status)
    auth.log_in_as(teacher)
    html = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Attendance rate: 75%" in html  # 3 of 4 days attended this term
    assert "November 3, 2026 to November 18, 2026" in html
    assert "Oct 20, 2026" not in html
    assert "Arabic" in html and "Needs language support" in html


def test_child_page_in_russian_formats_the_rate_the_russian_way(client, auth):
    teacher = UserFactory(preferred_language="ru")
    child = ChildFactory(school_class=SchoolClassFactory(teachers=[teacher]))
    AttendanceMarkFactory(child_obj=child, recorded_by=teacher, status=Status.PRESENT)
    AttendanceMarkFactory(
        child_obj=child, recorded_by=teacher, day=date(2026, 11, 17), status=Status.ABSENT
    )
    AttendanceMarkFactory(
        child_obj=child, recorded_by=teacher, day=date(2026, 11, 16), status=Status.ABSENT
    )
    auth.log_in_as(teacher)
    html = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "33\xa0%" in html  # Russian puts a no-break space before the percent sign


def test_child_page_without_marks_says_so(client, auth):
    teacher = UserFactory()
    child = ChildFactory(school_class=SchoolClassFactory(teachers=[teacher]))
    auth.log_in_as(teacher)
    html = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "No attendance has been recorded this term." in html


def test_a_teacher_cannot_open_a_child_from_another_class(client, auth):
    teacher = UserFactory()
    SchoolClassFactory(teachers=[teacher])
    stranger = ChildFactory()
    auth.log_in_as(teacher)
    response = client.get(f"/children/{stranger.id}")
    assert response.status_code == 404
    assert stranger.family_name not in response.get_data(as_text=True)


def test_other_roles_do_not_see_childrens_pages_yet(client, auth):
    child = ChildFactory()
    auth.log_in_as(UserFactory(role="administrator"))
    assert client.get(f"/children/{child.id}").status_code == 404


def test_viewing_a_child_is_audited_without_their_name(client, auth):
    teacher = UserFactory()
    child = ChildFactory(school_class=SchoolClassFactory(teachers=[teacher]))
    auth.log_in_as(teacher)
    client.get(f"/children/{child.id}")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "view")).one()
    assert (event.user_id, event.record_type, event.record_id) == (
        teacher.id,
        "child",
        str(child.id),
    )
    columns = [str(getattr(event, c.key)) for c in AuditEvent.__table__.columns]
    assert not any(child.family_name in value for value in columns)
