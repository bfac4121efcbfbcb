"""Bad input to the outbox API (issue 10, points 14 and 4): every malformed op answers a
translated 4xx of its own while the others are applied, a body nested too deep answers 400,
and a mark refused for a clock ahead can be sent again re-stamped."""

import json
import uuid
from datetime import UTC, timedelta

import pytest
from sqlalchemy import select

from app.attendance.models import AttendanceMark, Status
from app.core.models import utcnow
from app.extensions import db
from app.sync.models import SyncOp
from tests.test_sync import api, at, child, make_op, marks

__all__ = ["api", "child"]  # fixtures


def post_text(client, auth, text: str):
    """Send `text` as the body, as it is (JSON a browser could never make, e.g. 1e999)."""
    return client.post(
        "/api/sync",
        data=text,
        content_type="application/json",
        headers={"X-CSRFToken": auth.csrf_token()},
    )


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", ["attendance_mark"]),
        ("kind", {"a": 1}),
        ("seq", 2**70),
        ("seq", 1.5),
        ("seq", True),
        ("base_version", 2**70),
        ("base_version", -1),
        ("base_version", "1"),
        ("op_id", {"a": 1}),
        ("record_id", 12),
        ("recorded_at", ["2026-11-18T08:00:00+05:00"]),
        ("recorded_at", "0001-01-01T00:00:00+14:00"),
        ("recorded_at", "2026-11-18T08:00:00"),  # no offset
        ("restamped_from", "yesterday"),
        ("restamped_from", "2026-11-18T08:00:00"),  # no offset
    ],
)
def test_an_op_with_a_bad_field_is_rejected_alone(api, child, field, value):
    good = make_op(child, seq=1)
    bad = make_op(child, seq=2) | {field: value}
    response = api(bad, good)
    assert response.status_code == 200
    rejected, applied = response.json["results"]
    assert (rejected["status"], rejected["result"]) == (422, "rejected")
    assert rejected["reason"]
    assert applied["result"] == "applied"
    assert len(marks()) == 1


def test_an_op_nested_deeper_than_any_entry_is_rejected_alone(api, child):
    deep: list = []
    for _ in range(40):
        deep = [deep]
    bad = make_op(child, seq=2)
    bad["payload"]["reason"] = deep
    [answer] = api(bad).json["results"]
    assert (answer["status"], answer["reason"]) == (422, "This entry is incomplete or damaged.")
    assert marks() == []


@pytest.mark.parametrize("field", ["seq", "base_version"])
def test_json_infinity_in_an_op_is_rejected_alone(client, auth, teacher, child, field):
    auth.log_in_as(teacher)
    op = make_op(child)
    text = json.dumps({"ops": [op]}).replace(f'"{field}": {op[field]}', f'"{field}": 1e999')
    assert "1e999" in text
    response = post_text(client, auth, text)
    assert response.status_code == 200
    [answer] = response.json["results"]
    assert (answer["status"], answer["op_id"]) == (422, op["op_id"])
    assert marks() == []


def test_a_body_nested_fifty_thousand_deep_is_refused_in_the_users_language(client, auth, teacher):
    teacher.preferred_language = "ru"
    db.session.commit()
    auth.log_in_as(teacher)
    response = post_text(client, auth, "[" * 50_000 + "]" * 50_000)
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"
    assert response.json["message"] == "Запрос должен быть объектом со списком записей."


def test_an_unknown_kind_is_refused_in_the_users_language(client, auth, teacher, child):
    teacher.preferred_language = "ru"
    db.session.commit()
    auth.log_in_as(teacher)
    body = {"ops": [make_op(child) | {"kind": ["attendance_mark"]}]}
    response = client.post("/api/sync", json=body, headers={"X-CSRFToken": auth.csrf_token()})
    [answer] = response.json["results"]
    assert answer["status"] == 422
    assert answer["reason"] == "Сервер не знает такого вида записей."


# -- a phone's clock ahead (point 4) --------------------------------------------------------


def test_a_clock_ahead_is_rejected_with_its_code(api, child):
    [answer] = api(make_op(child, at=utcnow() + timedelta(days=30))).json["results"]
    assert (answer["status"], answer["result"], answer["code"]) == (422, "rejected", "clock_ahead")


def test_a_mark_re_stamped_after_the_clock_was_corrected_is_applied_and_keeps_its_first_time(
    api, child
):
    ahead = utcnow() + timedelta(days=30)
    op = make_op(child, "late", at=ahead)
    assert api(op).json["results"][0]["code"] == "clock_ahead"
    corrected = op | {"recorded_at": at(8, 20).isoformat(), "restamped_from": ahead.isoformat()}
    [answer] = api(corrected).json["results"]
    assert answer["result"] == "applied"
    [mark] = marks()
    assert mark.status is Status.LATE
    assert mark.recorded_at.replace(tzinfo=UTC) == at(8, 20)  # judged by its new time
    kept = db.session.scalar(select(SyncOp.restamped_from))
    assert kept.replace(tzinfo=UTC) == ahead.replace(microsecond=kept.microsecond)


def test_an_op_is_stored_with_its_record_and_place_in_the_devices_order(api, child):
    op = make_op(child, seq=7)
    device = uuid.uuid4()
    api(op, device_id=device)
    stored = db.session.scalars(select(SyncOp)).one()
    assert (stored.device_id, stored.seq, str(stored.record_id)) == (device, 7, op["record_id"])
    assert db.session.scalar(select(AttendanceMark.id)) is not None
    assert stored.restamped_from is None
