"""Term results entered offline (issue 13, point 3): the "term_result" sync kind, applied
exactly once, with concurrent corrections kept in the history and answered as conflicts."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.results.models import Subject, TermResult, TermResultHistory
from app.results.subjects import add_default_subjects, assign
from tests.factories import ChildFactory, SchoolClassFactory, TermFactory, UserFactory

ALMATY = timezone(timedelta(hours=5))


@pytest.fixture
def world(teacher):
    add_default_subjects()
    school_class = SchoolClassFactory(grade=5, teachers=[teacher])
    child = ChildFactory(school_class=school_class)
    maths = db.session.scalar(select(Subject).where(Subject.code == "mathematics"))
    term = TermFactory()
    db.session.commit()
    return child, maths, term


def phone(client, auth, user):
    auth.log_in_as(user)
    token = auth.csrf_token()

    def send(*ops):
        body = {"device_id": str(uuid.uuid4()), "ops": list(ops)}
        answer = client.post("/api/sync", json=body, headers={"X-CSRFToken": token})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()["results"]

    return send


def result_op(child, subject, term, percentage=None, mark=None, at=(9, 0), base_version=0):
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "term_result",
        "record_id": str(uuid.uuid4()),
        "base_version": base_version,
        "recorded_at": datetime(2026, 11, 18, *at, tzinfo=ALMATY).isoformat(),
        "seq": 1,
        "payload": {
            "child_id": str(child.id),
            "class_id": str(child.class_id),
            "subject_id": str(subject.id),
            "term": term.number,
            "percentage": percentage,
            "mark": mark,
            "comment": None,
        },
    }


def stored():
    db.session.expire_all()
    return [(r.percentage, r.mark, r.version) for r in db.session.scalars(select(TermResult))]


def test_a_result_entered_offline_is_applied_once(client, auth, teacher, world):
    child, maths, term = world
    send = phone(client, auth, teacher)
    op = result_op(child, maths, term, percentage=87)
    [first] = send(op)
    [again] = send(op)  # the answer was lost: the phone sends it again
    assert first["result"] == "applied" and again["result"] in ("applied", "duplicate")
    assert stored() == [(87, 5, 1)]


def test_two_phones_correcting_one_result_keep_the_later_and_flag_the_other(
    client, auth, teacher, world
):
    child, maths, term = world
    colleague = UserFactory()
    assign(child.school_class, maths, colleague)
    db.session.commit()
    phone(client, auth, teacher)(result_op(child, maths, term, percentage=70, at=(9, 0)))
    later = result_op(child, maths, term, percentage=50, at=(11, 0), base_version=0)
    earlier = result_op(child, maths, term, percentage=90, at=(10, 0), base_version=1)
    send = phone(client, auth, colleague)
    [answer_later] = send(later)
    assert answer_later["result"] == "conflict"  # it changed the teacher's 70 unseen
    [answer_earlier] = phone(client, auth, teacher)(earlier)
    assert answer_earlier["result"] == "conflict"  # recorded before the value kept now
    assert stored() == [(50, 3, 2)]
    kept = db.session.scalars(select(TermResultHistory).order_by(TermResultHistory.id)).all()
    assert [(h.percentage, h.conflict) for h in kept] == [(70, True), (90, True)]


def test_an_offline_result_out_of_bounds_is_refused_in_the_teachers_language(
    client, auth, teacher, world
):
    child, maths, term = world
    teacher.preferred_language = "ru"
    db.session.commit()
    [answer] = phone(client, auth, teacher)(result_op(child, maths, term, percentage=140))
    assert answer["result"] == "rejected" and answer["status"] == 422
    assert answer["reason"] == "Процент — целое число от 0 до 100."
    assert stored() == []


def test_a_teacher_who_does_not_teach_the_subject_is_refused_with_404(client, auth, world):
    child, maths, term = world
    stranger = UserFactory()
    [answer] = phone(client, auth, stranger)(result_op(child, maths, term, percentage=80))
    assert answer["result"] == "rejected" and answer["status"] == 404
    assert stored() == []


def test_a_subject_that_does_not_exist_is_refused_with_404_not_an_error(
    client, auth, teacher, world
):
    """The class's own teacher enters every subject, but only subjects that exist (a phone's
    damaged op once met a server error here)."""
    child, maths, term = world
    op = result_op(child, maths, term, percentage=80)
    op["payload"]["subject_id"] = str(uuid.uuid4())
    [answer] = phone(client, auth, teacher)(op)
    assert answer["result"] == "rejected" and answer["status"] == 404
    assert stored() == []
