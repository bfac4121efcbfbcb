"""The outbox API: exactly-once application, conflicts, and per-op answers."""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, AttendanceMarkHistory, Status
from app.core.models import utcnow
from app.extensions import db
from app.sync.models import PROCESSING, SyncOp
from app.sync.services import fingerprint
from tests.conftest import TODAY, Auth
from tests.factories import ChildFactory, UserFactory

ALMATY = timezone(timedelta(hours=5))


@pytest.fixture
def child(school_class):
    return ChildFactory(school_class=school_class)


@pytest.fixture
def api(client, auth, teacher):
    auth.log_in_as(teacher)
    token = auth.csrf_token()

    def send(*ops, device_id=None, headers=None):
        body = {"device_id": str(device_id or uuid.uuid4()), "ops": list(ops)}
        return client.post(
            "/api/sync", json=body, headers={"X-CSRFToken": token, **(headers or {})}
        )

    return send


def make_op(child, status="absent", at=None, base_version=0, seq=1, reason=None, day=TODAY):
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "attendance_mark",
        "record_id": str(uuid.uuid4()),
        "base_version": base_version,
        "recorded_at": (at or datetime(2026, 11, 18, 8, 14, tzinfo=ALMATY)).isoformat(),
        "seq": seq,
        "payload": {
            "child_id": str(child.id),
            "class_id": str(child.class_id),
            "day": day.isoformat(),
            "status": status,
            "reason": reason,
        },
    }


def marks():
    db.session.expire_all()
    return db.session.scalars(select(AttendanceMark)).all()


def history():
    return db.session.scalars(
        select(AttendanceMarkHistory).order_by(AttendanceMarkHistory.id)
    ).all()


def at(hour, minute=0):
    return datetime(2026, 11, 18, hour, minute, tzinfo=ALMATY)


def test_an_op_is_applied_with_the_device_time(api, child):
    op = make_op(child, "absent", at(8, 14), reason="ill")
    response = api(op)
    assert response.status_code == 200
    [result] = response.json["results"]
    assert (result["op_id"], result["status"], result["result"]) == (op["op_id"], 200, "applied")
    [mark] = marks()
    assert (mark.status, mark.reason, mark.version) == (Status.ABSENT, "ill", 1)
    assert str(mark.id) == op["record_id"] == result["record"]["id"]
    assert mark.recorded_at.replace(tzinfo=None) == at(8, 14).astimezone(UTC).replace(tzinfo=None)


def test_the_same_op_twice_is_applied_once(api, child):
    op = make_op(child)
    first = api(op).json["results"][0]
    second = api(op).json["results"][0]
    assert first["result"] == "applied"
    assert second["result"] == "duplicate"
    assert second["record"] == first["record"]
    assert len(marks()) == 1
    assert history() == []
    assert db.session.scalar(select(func.count()).select_from(SyncOp)) == 1


def test_the_same_op_id_with_another_body_is_refused(api, child):
    op = make_op(child, "absent")
    api(op)
    changed = {**op, "payload": {**op["payload"], "status": "late"}}
    [result] = api(changed).json["results"]
    assert (result["status"], result["result"]) == (422, "rejected")
    assert "already used for different content" in result["reason"]
    assert [m.status for m in marks()] == [Status.ABSENT]


def claim(op, teacher, claimed_at):
    """A request that began applying `op` at `claimed_at` and has not finished."""
    db.session.add(
        SyncOp(
            user_id=teacher.id,
            op_id=uuid.UUID(op["op_id"]),
            fingerprint=fingerprint(op),
            kind="attendance_mark",
            state=PROCESSING,
            claimed_at=claimed_at,
        )
    )
    db.session.commit()


def test_a_retry_while_the_op_is_being_applied_gets_409(api, child, teacher):
    op = make_op(child)
    claim(op, teacher, claimed_at=utcnow())
    [result] = api(op).json["results"]
    assert (result["status"], result["result"]) == (409, "in_progress")
    assert marks() == []


def test_a_claim_left_by_a_dead_request_is_taken_over(api, child, teacher):
    op = make_op(child)
    claim(op, teacher, claimed_at=utcnow() - timedelta(minutes=5))
    assert api(op).json["results"][0]["result"] == "applied"
    assert len(marks()) == 1


def test_one_rejected_op_does_not_block_the_others(api, school_class):
    a, b, c = ChildFactory.create_batch(3, school_class=school_class)
    stranger = ChildFactory()
    ops = [
        make_op(a, seq=1),
        make_op(b, "on_holiday", seq=2),
        make_op(stranger, seq=3),
        {"op_id": "not-a-uuid", "kind": "attendance_mark"},
        make_op(c, "late", seq=5),
    ]
    results = api(*ops).json["results"]
    assert [(r["status"], r["result"]) for r in results] == [
        (200, "applied"),
        (422, "rejected"),
        (404, "rejected"),
        (422, "rejected"),
        (200, "applied"),
    ]
    assert "Unknown attendance status" in results[1]["reason"]
    assert {m.child_id for m in marks()} == {a.id, c.id}


def test_ops_for_the_same_record_are_applied_in_the_devices_order(api, child):
    first = make_op(child, "absent", at(8, 0), seq=1)
    second = make_op(child, "late", at(8, 30), base_version=1, seq=2)
    results = api(second, first).json["results"]  # arrive out of order
    assert [r["op_id"] for r in results] == [second["op_id"], first["op_id"]]
    assert [r["result"] for r in results] == ["applied", "applied"]
    [mark] = marks()
    assert (mark.status, mark.version) == (Status.LATE, 2)
    assert [(h.status, h.version, h.conflict) for h in history()] == [(Status.ABSENT, 1, False)]


def test_two_phones_changing_one_mark_leave_one_mark_with_both_values(api, child):
    phone_a = make_op(child, "absent", at(8, 10))
    phone_b = make_op(child, "excused", at(8, 40), reason="doctor")
    api(phone_b, device_id=uuid.uuid4())
    [result] = api(phone_a, device_id=uuid.uuid4()).json["results"]
    assert result["result"] == "conflict"
    assert "recorded later was kept" in result["reason"]
    [mark] = marks()
    assert (mark.status, mark.reason) == (Status.EXCUSED, "doctor")  # recorded later wins
    assert [(h.status, h.conflict) for h in history()] == [(Status.ABSENT, True)]


def test_a_colleagues_later_change_wins_and_the_earlier_is_flagged(api, app, child, school_class):
    api(make_op(child, "absent", at(8, 10)))
    colleague = UserFactory()
    school_class.teachers.append(colleague)
    db.session.commit()
    other_phone = app.test_client()
    other_phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_phone.environ_base["HTTP_ORIGIN"] = "http://localhost"
    auth = Auth(other_phone)
    auth.log_in_as(colleague)
    body = {"ops": [make_op(child, "late", at(9, 0))]}  # based on no mark: it never saw ours
    response = other_phone.post("/api/sync", json=body, headers={"X-CSRFToken": auth.csrf_token()})
    assert response.json["results"][0]["result"] == "conflict"
    [mark] = marks()
    assert mark.status is Status.LATE
    assert [(h.status, h.version, h.conflict) for h in history()] == [(Status.ABSENT, 1, True)]


def test_one_phone_correcting_its_own_offline_mark_is_no_conflict(api, child):
    api(make_op(child, "absent", at(8, 10), seq=1))
    [result] = api(make_op(child, "late", at(8, 20), seq=2)).json["results"]  # still base 0
    assert result["result"] == "applied"
    assert [(h.status, h.conflict) for h in history()] == [(Status.ABSENT, False)]


def test_an_earlier_op_with_the_value_already_kept_adds_nothing(api, child):
    api(make_op(child, "present", at(9, 0)))
    [result] = api(make_op(child, "present", at(8, 0))).json["results"]
    assert result["result"] == "applied"
    assert history() == []


def test_an_offline_roll_call_that_arrives_days_later_is_accepted(api, child, frozen_today):
    monday = date(2026, 11, 9)  # read-only today, but it was editable when recorded
    op = make_op(child, "absent", datetime(2026, 11, 9, 8, 5, tzinfo=ALMATY), day=monday)
    assert api(op).json["results"][0]["result"] == "applied"
    assert [m.day for m in marks()] == [monday]


def test_an_op_for_a_day_after_it_was_recorded_is_refused(api, child):
    op = make_op(child, "absent", datetime(2026, 11, 17, 18, 0, tzinfo=ALMATY))
    [result] = api(op).json["results"]
    assert result["result"] == "rejected"
    assert "future" in result["reason"]


def test_a_phone_clock_far_ahead_is_refused(api, child):
    op = make_op(child, "absent", utcnow() + timedelta(days=2))
    [result] = api(op).json["results"]
    assert result["result"] == "rejected"
    assert "clock" in result["reason"]


def test_reasons_come_in_the_users_language(client, auth, child, teacher):
    teacher.preferred_language = "ru"
    db.session.commit()
    auth.log_in_as(teacher)
    body = {"ops": [make_op(child, "on_holiday")]}
    response = client.post("/api/sync", json=body, headers={"X-CSRFToken": auth.csrf_token()})
    assert response.json["results"][0]["reason"] == "Неизвестная отметка посещаемости."


def test_without_a_session_the_api_answers_401_json(client, child):
    response = client.post("/api/sync", json={"ops": [make_op(child)]})
    assert response.status_code == 401
    assert response.json["error"] == "login_required"
    assert marks() == []


def test_without_a_csrf_token_the_api_answers_400_json(client, auth, teacher, child):
    auth.log_in_as(teacher)
    response = client.post("/api/sync", json={"ops": [make_op(child)]})
    assert response.status_code == 400
    assert response.json["error"] == "csrf"
    assert marks() == []


def test_the_api_requires_json(api, client):
    response = client.post(
        "/api/sync", data="ops=1", headers={"X-CSRFToken": "x", "Content-Type": "text/plain"}
    )
    assert response.status_code in (400, 415)


def test_the_api_refuses_another_origin(api, child):
    response = api(make_op(child), headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert marks() == []


def test_the_api_refuses_a_request_without_an_origin(api, client, child):
    del client.environ_base["HTTP_ORIGIN"]
    response = api(make_op(child))
    assert response.status_code == 403
    assert response.json["error"] == "origin"
    assert marks() == []


def test_the_api_accepts_its_own_host_behind_a_tls_proxy(api, child):
    response = api(make_op(child), headers={"Origin": "https://localhost"})
    assert response.status_code == 200


@pytest.mark.parametrize("body", [[], {"ops": "x"}, {"ops": [1]}, {"ops": [], "device_id": "nope"}])
def test_a_malformed_batch_is_refused(client, auth, teacher, body):
    auth.log_in_as(teacher)
    response = client.post("/api/sync", json=body, headers={"X-CSRFToken": auth.csrf_token()})
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"


def test_a_batch_over_the_limit_is_refused(api, child):
    response = api(*[make_op(child) for _ in range(201)])
    assert response.status_code == 400
    assert marks() == []


def test_ping_answers_and_is_never_cached(client):
    response = client.get("/api/ping")
    assert response.status_code == 204
    assert response.headers["Cache-Control"] == "no-store"


def test_offline_pages_list_what_a_teacher_needs(client, auth, teacher, school_class, child):
    auth.log_in_as(teacher)
    pages = client.get("/api/offline-pages").json["pages"]
    assert pages == [
        "/today",
        f"/classes/{school_class.id}/roll-call",
        f"/children/{child.id}",
        "/tasks",  # the To-do list: the school's tasks for the teacher's pupils
        "/incidents/new",  # the incident report form, one for every child
        "/results",
        "/results/on-phone",  # the class's result sheets, one page for all subjects
    ]


def test_offline_pages_need_a_login(client):
    response = client.get("/api/offline-pages")
    assert response.status_code == 401


def test_the_openapi_document_is_valid(client):
    document = client.get("/openapi.json").json
    validate(document)
    assert "/api/sync" in document["paths"]
    answer = document["components"]["schemas"]["OpResult"]["properties"]
    assert "superseded" in answer["result"]["enum"]
    assert {"link", "code"} <= set(answer)
    assert "restamped_from" in document["components"]["schemas"]["Op"]["properties"]
