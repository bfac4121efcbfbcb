"""Retention (issue 5, point 9): `flask retention apply` anonymises a child whose case was
closed more than QADAM_RETENTION_YEARS ago, keeps the anonymous counts, and audits each."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from app.attendance.models import AttendanceMark, Status
from app.children import enrolment
from app.children.background import ChildBackground, Consent
from app.children.models import Child, Enrolment, caseload
from app.children.retention import years_before
from app.core.audit import AuditEvent
from app.extensions import db
from tests.conftest import TODAY
from tests.factories import (
    AttendanceMarkFactory,
    ChildBackgroundFactory,
    ChildFactory,
    ConsentFactory,
    SchoolClassFactory,
    UserFactory,
)

FIVE_YEARS_AGO = date(2021, 11, 18)  # TODAY minus the default retention period


@pytest.fixture
def worker():
    return UserFactory(role="social_worker")


def closed_child(worker, closed_on: date, name: str = "Айгерім") -> Child:
    teacher = UserFactory()
    child = ChildFactory(
        given_name=name,
        family_name="Сәрсенова",
        patronymic="Ерланқызы",
        school_class=SchoolClassFactory(teachers=[teacher]),
        case_closed_on=closed_on,
    )
    enrolment.enrol(child, child.school_class, date(2026, 9, 1))
    ChildBackgroundFactory(child_obj=child, updated_by=worker)
    ConsentFactory(child_obj=child, recorded_by=worker, document_reference="N-77/2021")
    for offset, status in enumerate([Status.PRESENT, Status.ABSENT, Status.LATE]):
        day = TODAY - timedelta(days=offset)
        AttendanceMarkFactory(child_obj=child, recorded_by=teacher, day=day, status=status)
    db.session.commit()
    return child


def apply(runner, *args):
    result = runner.invoke(args=["retention", "apply", *args])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def marks_by_status(child) -> dict:
    rows = db.session.execute(
        select(AttendanceMark.status, func.count())
        .where(AttendanceMark.child_id == child.id)
        .group_by(AttendanceMark.status)
    )
    return dict(rows.all())


def anonymise_events() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.record_id).where(
                AuditEvent.action == "anonymise", AuditEvent.record_type == "child"
            )
        )
    )


def test_a_child_closed_more_than_the_retention_period_ago_is_anonymised(runner, worker):
    due = closed_child(worker, FIVE_YEARS_AGO - timedelta(days=1))
    kept = closed_child(worker, FIVE_YEARS_AGO + timedelta(days=1), name="Дана")
    marks = marks_by_status(due)
    sex, class_id = due.sex, due.class_id

    output = apply(runner)

    assert output.strip() == "1 record anonymised."
    assert (due.given_name, due.family_name, due.patronymic) == ("—", "—", None)
    assert (due.birth_date, due.search_key) == (None, "")
    assert due.anonymised_at is not None
    assert db.session.get(ChildBackground, due.id) is None
    consent = db.session.scalars(select(Consent).where(Consent.child_id == due.id)).one()
    assert consent.document_reference == ""
    assert consent.given_on == date(2026, 9, 1)  # the consent's dates and scope stay
    assert marks_by_status(due) == marks == {Status.PRESENT: 1, Status.ABSENT: 1, Status.LATE: 1}
    assert (due.sex, due.class_id) == (sex, class_id)
    assert db.session.scalar(select(func.count()).where(Enrolment.child_id == due.id)) == 1
    assert anonymise_events() == [str(due.id)]

    assert (kept.given_name, kept.birth_date) == ("Дана", date(2015, 3, 14))
    assert kept.anonymised_at is None
    assert db.session.get(ChildBackground, kept.id) is not None


def test_exactly_the_retention_period_is_not_yet_more_than_it(runner, worker):
    child = closed_child(worker, FIVE_YEARS_AGO)
    apply(runner)
    assert child.anonymised_at is None


def test_an_open_case_is_never_anonymised(runner, worker):
    child = closed_child(worker, FIVE_YEARS_AGO - timedelta(days=400))
    child.case_closed_on = None
    db.session.commit()
    assert apply(runner).strip() == "0 records anonymised."
    assert child.given_name == "Айгерім"


def test_a_dry_run_counts_and_changes_nothing(runner, worker):
    child = closed_child(worker, FIVE_YEARS_AGO - timedelta(days=1))
    output = apply(runner, "--dry-run")
    assert output.strip() == "1 record is due to be anonymised (dry run: nothing was changed)."
    assert (child.given_name, child.anonymised_at) == ("Айгерім", None)
    assert db.session.get(ChildBackground, child.id) is not None
    assert anonymise_events() == []


def test_a_second_run_does_nothing(runner, worker):
    child = closed_child(worker, FIVE_YEARS_AGO - timedelta(days=1))
    apply(runner)
    first = child.anonymised_at
    assert apply(runner).strip() == "0 records anonymised."
    assert child.anonymised_at == first
    assert anonymise_events() == [str(child.id)]


def test_the_output_names_no_one(runner, worker):
    child = closed_child(worker, FIVE_YEARS_AGO - timedelta(days=1))
    output = apply(runner)
    assert str(child.id) not in output and "Айгерім" not in output


def test_the_retention_period_is_configurable(app, runner, worker, monkeypatch):
    child = closed_child(worker, date(2024, 11, 17))
    monkeypatch.setitem(app.config, "QADAM_RETENTION_YEARS", 2)
    apply(runner)
    assert child.anonymised_at is not None


def test_an_anonymised_child_is_no_longer_found_by_name(runner, worker):
    closed_child(worker, FIVE_YEARS_AGO - timedelta(days=1))
    apply(runner)
    assert enrolment.search("Айгерім") == []


def test_the_anonymised_childs_page_still_shows_the_attendance(client, auth, runner):
    worker = UserFactory(role="social_worker")
    child = closed_child(worker, FIVE_YEARS_AGO - timedelta(days=1))
    teacher = child.school_class.teachers[0]
    apply(runner)
    auth.log_in_as(teacher)
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "Айгерім" not in page and "Date of birth</dt><dd>Not recorded" in page
    assert "This record was anonymised on" in page
    assert "Attendance rate: 67%" in page  # 2 of the 3 days attended, as before


def test_an_anonymised_record_can_no_longer_be_changed(client, auth, runner, worker):
    child = closed_child(worker, FIVE_YEARS_AGO - timedelta(days=1))
    db.session.execute(insert(caseload).values(user_id=worker.id, child_id=child.id))
    db.session.commit()
    apply(runner)
    auth.log_in_as(worker)
    page = client.get(f"/children/{child.id}").get_data(as_text=True)
    assert "<form" not in page.split('id="background"')[1].split("</section>")[0]
    response = client.post(
        f"/children/{child.id}/case", data={"csrf_token": auth.csrf_token(), "action": "reopen"}
    )
    assert response.status_code == 422
    assert "This record has been anonymised" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2026, 11, 18), 5, date(2021, 11, 18)),
        (date(2028, 2, 29), 5, date(2023, 2, 28)),
        (date(2028, 2, 29), 4, date(2024, 2, 29)),
    ],
)
def test_years_before_handles_the_29th_of_february(day, years, expected):
    assert years_before(day, years) == expected
