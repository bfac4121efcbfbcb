"""A race is not an error (issue 10, point 6): two ops for the same child and day, sent by two
teachers at the same moment, both miss the mark, both write it, and the database keeps one;
the one that clashes is applied once more and answered as a conflict, never a 500."""

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.attendance import sync_ops
from app.attendance.models import AttendanceMark, AttendanceMarkHistory, Status
from app.extensions import db
from tests.conftest import Auth
from tests.factories import ChildFactory, UserFactory
from tests.test_sync import make_op

ALMATY = timezone(timedelta(hours=5))


def phone_of(app, user):
    phone = app.test_client()
    phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    phone.environ_base["HTTP_ORIGIN"] = "http://localhost"
    auth = Auth(phone)
    auth.log_in_as(user)
    return phone, auth.csrf_token()


def test_two_teachers_marking_one_child_at_the_same_moment_get_no_error(
    app, client, teacher, school_class, monkeypatch
):
    colleague = UserFactory()
    school_class.teachers.append(colleague)
    child = ChildFactory(school_class=school_class)
    db.session.commit()
    phones = [phone_of(app, teacher), phone_of(app, colleague)]
    ops = [
        make_op(child, "absent", datetime(2026, 11, 18, 8, 10, tzinfo=ALMATY)),
        make_op(child, "late", datetime(2026, 11, 18, 8, 40, tzinfo=ALMATY)),
    ]
    # Both requests look the mark up and miss it before either writes it.
    both_missed = threading.Barrier(2, timeout=10)
    new_id = sync_ops._new_id

    def after_the_lookup(record_id):
        both_missed.wait()
        return new_id(record_id)

    monkeypatch.setattr(sync_ops, "_new_id", after_the_lookup)
    answers: list = [None, None]

    def send(n):
        phone, token = phones[n]
        response = phone.post("/api/sync", json={"ops": [ops[n]]}, headers={"X-CSRFToken": token})
        answers[n] = (
            response.status_code,
            (response.get_json() or {}).get("results", [response.get_data(as_text=True)])[0],
        )

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [status for status, _answer in answers] == [200, 200]
    results = sorted(answer["result"] for _status, answer in answers)
    assert results == ["applied", "conflict"], answers
    assert all(answer["status"] == 200 for _status, answer in answers)
    db.session.expire_all()
    [mark] = db.session.scalars(select(AttendanceMark)).all()
    assert mark.status is Status.LATE  # recorded later on its phone
    history = db.session.scalars(select(AttendanceMarkHistory)).all()
    assert [(h.status, h.conflict) for h in history] == [(Status.ABSENT, True)]
