"""The authorisation table drives these tests (issue 5, points 1 and 2): every person of every
role against every endpoint and method, with a second person of the same role for sideways
access."""

import uuid

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.auth.public import PUBLIC_ENDPOINTS
from app.core.audit import AuditEvent
from app.extensions import db
from tests.authorisation import PEOPLE, TABLE, build_world, case_id, cases
from tests.conftest import TODAY


@pytest.mark.parametrize("case", cases(), ids=case_id)
def test_the_authorisation_table(client, auth, case):
    row, person = case
    world = build_world()
    auth.log_in_as(world.people[person])
    response = _request(client, auth, row, world)
    if person not in row.allowed:
        assert response.status_code == row.refused, f"{person} was not refused"
        if row.refused == 404:  # a refusal, GET or POST, is in the audit trail
            assert _refusals_of(world.people[person]), f"{person} was refused unaudited"
    elif row.status is not None:
        assert response.status_code == row.status
    else:
        assert response.status_code not in (401, 403, 404)
        assert not (response.status_code == 302 and "/login" in response.location)


def _refusals_of(user) -> list[AuditEvent]:
    statement = select(AuditEvent).where(AuditEvent.action == "refused")
    return list(db.session.scalars(statement.where(AuditEvent.user_id == user.id)))


def _request(client, auth, row, world):
    path = row.path(world)
    if row.method == "GET":
        return client.get(path)
    token = auth.csrf_token()
    if row.endpoint == "sync.sync":
        return client.post("/api/sync", json=_attendance_op(world), headers={"X-CSRFToken": token})
    data = row.data(world) if callable(row.data) else row.data
    return client.post(path, data={"csrf_token": token, **data})


def _attendance_op(world) -> dict:
    return {
        "device_id": str(uuid.uuid4()),
        "ops": [
            {
                "op_id": str(uuid.uuid4()),
                "kind": "attendance_mark",
                "record_id": str(uuid.uuid4()),
                "base_version": 0,
                "seq": 1,
                "recorded_at": f"{TODAY.isoformat()}T03:00:00+00:00",
                "payload": {
                    "child_id": str(world.child.id),
                    "class_id": str(world.school_class.id),
                    "day": TODAY.isoformat(),
                    "status": "absent",
                    "reason": None,
                },
            }
        ],
    }


@pytest.mark.parametrize("person", list(PEOPLE))
def test_only_the_childs_teacher_may_record_their_attendance_through_sync(client, auth, person):
    world = build_world()
    auth.log_in_as(world.people[person])
    response = client.post(
        "/api/sync", json=_attendance_op(world), headers={"X-CSRFToken": auth.csrf_token()}
    )
    [result] = response.get_json()["results"]
    assert result["result"] == ("applied" if person == "teacher_a" else "rejected")


def test_every_route_is_public_or_in_the_authorisation_table(app):
    covered = {(row.endpoint, row.method) for row in TABLE}
    missing = [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.endpoint, method) not in covered
    ]
    assert missing == []


def test_the_table_names_only_real_routes(app):
    routes = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods
    }
    assert {(row.endpoint, row.method) for row in TABLE} <= routes


def test_every_role_has_two_people_in_the_table():
    roles = list(PEOPLE.values())
    assert all(roles.count(role) == 2 for role in Role)
