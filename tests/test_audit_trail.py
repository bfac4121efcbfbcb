"""What goes into the audit trail: every read, change and refusal of a child's record."""

import re
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.children.models import Enrolment
from app.core.audit import AuditEvent
from app.core.audit_chain import verify
from app.extensions import db
from tests.conftest import TODAY
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory


def events(action_prefix: str = "") -> list[tuple]:
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    return [
        (e.action, e.record_type, e.record_id, e.user_id)
        for e in rows
        if e.action.startswith(action_prefix)
    ]


def make_op(child, day=TODAY, reason=None) -> dict:
    return {
        "op_id": str(uuid.uuid4()),
        "kind": "attendance_mark",
        "record_id": str(uuid.uuid4()),
        "base_version": 0,
        "recorded_at": datetime(2026, 11, 18, 3, 14, tzinfo=UTC).isoformat(),
        "payload": {
            "child_id": str(child.id),
            "class_id": str(child.class_id),
            "day": day.isoformat(),
            "status": "absent",
            "reason": reason,
        },
    }


def sync(client, auth, child=None, op=None):
    body = {"device_id": str(uuid.uuid4()), "ops": [op or make_op(child)]}
    response = client.post("/api/sync", json=body, headers={"X-CSRFToken": auth.csrf_token()})
    return response.json["results"][0]


@pytest.fixture
def child(school_class):
    return ChildFactory(school_class=school_class)


@pytest.fixture
def stranger():
    """A child in a class `teacher` does not teach."""
    return ChildFactory(school_class=SchoolClassFactory())


# -- refused accesses


def test_a_teacher_refused_a_child_of_another_class_is_recorded(client, auth, teacher, stranger):
    auth.log_in_as(teacher)
    assert client.get(f"/children/{stranger.id}").status_code == 404
    assert events("refused") == [("refused", "child", str(stranger.id), teacher.id)]


def test_a_child_that_does_not_exist_is_recorded_as_refused(client, auth, teacher):
    auth.log_in_as(teacher)
    unknown = uuid.uuid4()
    assert client.get(f"/children/{unknown}").status_code == 404
    assert events("refused") == [("refused", "child", str(unknown), teacher.id)]


def test_a_roll_call_of_another_class_is_recorded_as_refused(client, auth, teacher, stranger):
    auth.log_in_as(teacher)
    url = f"/classes/{stranger.class_id}/roll-call"
    assert client.get(url).status_code == 404
    data = {"csrf_token": auth.csrf_token(), f"status-{stranger.id}": "absent"}
    assert client.post(url, data=data).status_code == 404
    refused = ("refused", "school_class", str(stranger.class_id), teacher.id)
    assert events("refused") == [refused, refused]
    assert events("attendance") == []


def test_a_page_of_another_role_is_recorded_as_refused(client, auth, teacher):
    auth.log_in_as(teacher)
    assert client.get("/admin/schools").status_code == 404
    assert events("refused") == [("refused", "page", "admin.schools", teacher.id)]


def test_a_sync_op_for_a_child_of_another_class_is_recorded_as_refused(
    client, auth, teacher, stranger
):
    auth.log_in_as(teacher)
    assert sync(client, auth, stranger)["status"] == 404
    assert events("refused") == [("refused", "child", str(stranger.id), teacher.id)]
    assert events("attendance") == []


def test_a_logged_in_users_form_without_its_token_is_recorded(client, auth, teacher):
    auth.log_in_as(teacher)
    assert client.post("/logout").status_code == 400
    assert events("refused") == [("refused_csrf", "page", "auth.logout", teacher.id)]


def test_visitors_not_logged_in_are_sent_to_the_login_page_unrecorded(client, stranger):
    assert client.get(f"/children/{stranger.id}").status_code == 302
    assert client.get("/admin/schools").status_code == 302
    assert client.post("/login", data={"email": "x@y.z", "password": "x"}).status_code == 400
    assert events() == []


def test_refusals_are_chained_with_the_other_entries(client, auth, teacher, stranger):
    auth.log_in_as(teacher)
    client.get(f"/children/{stranger.id}")
    client.get("/admin/schools")
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    result = verify()
    assert (result.intact, result.count) == (True, 4)  # login, 2 refusals, logout


# -- reads and changes


def test_each_sync_op_applied_is_recorded_once_with_its_child(client, auth, teacher, child):
    auth.log_in_as(teacher)
    op = make_op(child)
    assert sync(client, auth, op=op)["result"] == "applied"
    assert sync(client, auth, op=op)["result"] == "duplicate"
    assert events("attendance") == [("attendance_sync", "child", str(child.id), teacher.id)]


def test_a_sync_op_not_applied_is_not_recorded_as_a_change(client, auth, teacher, child):
    auth.log_in_as(teacher)
    result = sync(client, auth, op=make_op(child, day=TODAY.replace(day=20)))  # the future
    assert result["result"] == "rejected"
    assert events("attendance") == []


def roll_call_form(client, auth, url: str, absent=()) -> dict:
    """The form as the page has it, with `absent` children marked absent."""
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": auth.csrf_token(), "day": TODAY.isoformat()}
    for child_id, version in re.findall(r'name="version-([^"]+)" value="(\d+)"', html):
        data[f"status-{child_id}"] = "present"
        data[f"version-{child_id}"] = version
    for child in absent:
        data[f"status-{child.id}"] = "absent"
    return data


def test_a_roll_call_records_its_view_and_each_child_whose_mark_changed(
    client, auth, teacher, school_class
):
    first, _second, third = ChildFactory.create_batch(3, school_class=school_class)
    auth.log_in_as(teacher)
    url = f"/classes/{school_class.id}/roll-call"
    assert client.post(url, data=roll_call_form(client, auth, url)).status_code == 303
    assert len(events("attendance")) == 3  # the first roll call of the day marks everyone
    data = roll_call_form(client, auth, url, absent=[first, third])
    assert client.post(url, data=data).status_code == 303
    assert events("view_roll_call")[0] == (
        "view_roll_call",
        "school_class",
        str(school_class.id),
        teacher.id,
    )
    corrected = {record_id for _action, _type, record_id, _user in events("attendance")[3:]}
    assert corrected == {str(first.id), str(third.id)}


def test_a_page_saved_for_offline_use_is_recorded_as_an_offline_copy(
    client, auth, teacher, school_class, child
):
    auth.log_in_as(teacher)
    headers = {"X-Qadam-Purpose": "offline-copy"}
    client.get(f"/children/{child.id}", headers=headers)
    client.get(f"/classes/{school_class.id}/roll-call", headers=headers)
    assert [(a, t) for a, t, _id, _user in events("offline")] == [
        ("offline_copy", "child"),
        ("offline_copy", "school_class"),
    ]


def admin_post(client, auth, url, **data):
    return client.post(url, data={"csrf_token": auth.csrf_token(), **data})


def test_the_administration_records_each_read_and_change_of_a_child(client, auth, child):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    auth.log_in_as(admin)
    other, class_id = SchoolClassFactory(), child.class_id
    client.get(f"/admin/children/{child.id}")
    client.get(f"/admin/classes/{child.class_id}")
    admin_post(client, auth, "/admin/children/search", q=child.given_name)
    moved = admin_post(
        client,
        auth,
        f"/admin/children/{child.id}/move",
        **{"move-class_id": str(other.id), "move-on": "2026-11-18"},
    )
    left = admin_post(
        client, auth, f"/admin/children/{child.id}/leave", **{"leave-on": "2026-11-19"}
    )
    assert (moved.status_code, left.status_code) == (303, 303)
    recorded = [(a, t, i) for a, t, i, user in events() if user == admin.id]
    assert recorded == [
        ("login", "user", str(admin.id)),
        ("view_roster", "child", str(child.id)),
        ("view_roster", "school_class", str(class_id)),
        ("search", "child", None),
        ("enrol", "child", str(child.id)),
        ("leave", "child", str(child.id)),
    ]


def enrolled(school_class):
    child = ChildFactory(school_class=school_class)
    db.session.add(Enrolment(child_id=child.id, class_id=school_class.id, starts_on=TODAY))
    db.session.commit()
    return child


def test_the_rollover_records_each_child_it_moves_or_lets_leave(client, auth):
    fifth = SchoolClassFactory(grade=5, letter="А")
    eleventh = SchoolClassFactory(grade=11, letter="Б", school=fifth.school)
    pupil, leaver = enrolled(fifth), enrolled(eleventh)
    auth.log_in_as(UserFactory(role=Role.ADMINISTRATOR))
    assert admin_post(client, auth, "/admin/rollover", year="2026-2027").status_code == 303
    changes = {(a, i) for a, t, i, _user in events() if t == "child"}
    assert changes == {("rollover", str(pupil.id)), ("leave", str(leaver.id))}
