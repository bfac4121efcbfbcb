"""Stigmatisation incidents (issue 6, point 4): reported by a child's teacher or social worker,
followed up by the social worker with a dated history, the reporter sees their report and its
status only, a serious incident puts the child on the committee's next review list."""

import json
import re
import uuid

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.core.audit import AuditEvent
from app.extensions import db
from app.incidents.forms import ReportForm
from app.incidents.models import EventKind, Incident, IncidentEvent, ReviewItem, Status
from tests.authorisation import build_world
from tests.conftest import TODAY, load_demo
from tests.factories import ChildFactory
from tests.sealing import seal

SECRET_NOTE = "Spoke with the school psychologist about a plan"
IMMEDIATE = "Moved the class to another room and talked with everyone"


@pytest.fixture
def world():
    return build_world()


def switch(client, auth, user):
    """Log out whoever is logged in, and log `user` in."""
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(user)


def report_data(auth, **changes) -> dict:
    data = {
        "csrf_token": auth.csrf_token(),
        "report_id": str(uuid.uuid4()),
        "occurred_on": "2026-11-17",
        "place": "school_grounds",
        "involved": ["peers", "other_parents"],
        "what_happened": ["verbal", "exclusion"],
        "severity": "medium",
        "immediate_action": IMMEDIATE,
    }
    return data | changes


def report(client, auth, child, **changes):
    return client.post(f"/children/{child.id}/incidents/new", data=report_data(auth, **changes))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audited(action: str, record_type: str) -> list[str]:
    statement = select(AuditEvent.record_id).where(
        AuditEvent.action == action, AuditEvent.record_type == record_type
    )
    return list(db.session.scalars(statement))


def incident_of(world) -> Incident:
    """The incident reported in the test (the world has one of its own)."""
    db.session.expire_all()
    statement = select(Incident).where(
        Incident.child_id == world.child.id, Incident.id != world.incident_id
    )
    return db.session.scalars(statement).one()


def test_a_teacher_reports_an_incident_and_sees_it_with_its_status(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    form = client.get(f"/children/{world.child.id}/incidents/new")
    assert form.status_code == 200
    response = report(client, auth, world.child)
    assert response.status_code == 303
    assert response.location.endswith("/incidents/mine")
    incident = incident_of(world)
    assert incident.reported_by_id == world.people["teacher_a"].id
    assert incident.status is Status.OPEN
    assert [e.kind for e in incident.events] == [EventKind.REPORTED]
    assert audited("incident_report", "child") == [str(world.child.id)]
    mine = client.get("/incidents/mine", follow_redirects=True).get_data(as_text=True)
    assert "The report was sent to the child&#39;s social worker." in mine
    assert world.child.full_name in mine
    assert "Open" in mine


def test_a_social_worker_reports_for_a_child_of_their_caseload(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    response = report(client, auth, world.child, severity="low")
    assert response.status_code == 303
    incident = incident_of(world)
    assert response.location.endswith(f"/incidents/{incident.id}")
    assert incident.reported_by_id == world.people["social_worker_a"].id


@pytest.mark.parametrize("person", ["teacher_b", "social_worker_b", "committee_a", "admin_a"])
def test_nobody_else_may_report_for_the_child(client, auth, world, person):
    auth.log_in_as(world.people[person])
    assert client.get(f"/children/{world.child.id}/incidents/new").status_code == 404
    assert report(client, auth, world.child).status_code == 404
    assert count(Incident) == 1  # the world's own


def test_the_report_form_asks_for_no_names(client, auth, world):
    """Only groups of people are asked for; the one free-text field says to write no names."""
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        form = ReportForm(formdata=None)
        free_text = [f.name for f in form if f.type in ("StringField", "TextAreaField")]
        assert free_text == ["immediate_action"]
        assert "names" in str(form.immediate_action.description)
    auth.log_in_as(world.people["teacher_a"])
    html = client.get(f"/children/{world.child.id}/incidents/new").get_data(as_text=True)
    text_inputs = re.findall(r'<input[^>]*type="text"[^>]*>', html)
    textareas = re.findall(r'<textarea[^>]*name="([^"]+)"', html)
    assert text_inputs == [] and textareas == ["immediate_action"]
    assert "Do not write the names of other children" in html
    assert "name" not in " ".join(re.findall(r'name="([^"]+)"', html)).replace("_", " ").split()


def test_the_teacher_sees_their_report_and_status_but_not_the_casework(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    report(client, auth, world.child)
    incident = incident_of(world)
    switch(client, auth, world.people["social_worker_a"])
    path = f"/incidents/{incident.id}"
    client.post(f"{path}/action", data={"csrf_token": auth.csrf_token(), "note": SECRET_NOTE})
    client.post(
        f"{path}/referral",
        data={"csrf_token": auth.csrf_token(), "referral_to": "police", "referral_note": ""},
    )
    client.post(
        f"{path}/status",
        data={"csrf_token": auth.csrf_token(), "version": "1", "status_to": "in_progress"},
    )
    switch(client, auth, world.people["teacher_a"])
    for page in (path, "/incidents/mine"):
        html = client.get(page).get_data(as_text=True)
        assert "In progress" in html
        assert SECRET_NOTE not in html
        assert "Police" not in html
    assert IMMEDIATE in client.get(path).get_data(as_text=True)  # their report, as written


def test_the_social_worker_follows_up_with_a_dated_history(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    path = f"/incidents/{world.incident_id}"
    token = auth.csrf_token()
    steps = [
        ("action", {"note": SECRET_NOTE}),
        ("referral", {"referral_to": "psychologist", "referral_note": "First meeting on Friday"}),
        ("status", {"version": "1", "status_to": "in_progress"}),
        ("status", {"version": "2", "status_to": "resolved", "status_note": "Settled"}),
        ("status", {"version": "3", "status_to": "open"}),  # reopened
    ]
    for endpoint, data in steps:
        response = client.post(f"{path}/{endpoint}", data={"csrf_token": token, **data})
        assert response.status_code == 303, endpoint
    events = db.session.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == world.incident_id)
        .order_by(IncidentEvent.id)
    ).all()
    kinds = [(e.kind.value, e.status_to and e.status_to.value) for e in events]
    assert kinds == [
        ("action", None),
        ("referral", None),
        ("status", "in_progress"),
        ("status", "resolved"),
        ("status", "open"),
    ]
    assert all(e.at is not None and e.by_id == world.people["social_worker_a"].id for e in events)
    html = client.get(path).get_data(as_text=True)
    assert SECRET_NOTE in html and "Psychologist" in html and "First meeting on Friday" in html
    assert html.count("<time datetime=") == 5
    assert audited("incident_status", "child") == [str(world.child.id)] * 3


@pytest.mark.parametrize(
    "version, to, status",
    [("1", "resolved", 409), ("1", "open", 409), ("7", "in_progress", 409), ("x", "open", 422)],
)
def test_an_invalid_or_stale_status_change_is_refused(client, auth, world, version, to, status):
    auth.log_in_as(world.people["social_worker_a"])
    response = client.post(
        f"/incidents/{world.incident_id}/status",
        data={"csrf_token": auth.csrf_token(), "version": version, "status_to": to},
    )
    assert response.status_code == status
    assert db.session.get(Incident, world.incident_id).status is Status.OPEN
    assert count(IncidentEvent) == 0


@pytest.mark.parametrize("person", ["committee_a", "teacher_a"])
def test_only_the_case_worker_follows_up(client, auth, world, person):
    auth.log_in_as(world.people[person])
    response = client.post(
        f"/incidents/{world.incident_id}/action",
        data={"csrf_token": auth.csrf_token(), "note": SECRET_NOTE},
    )
    assert response.status_code == 404
    assert count(IncidentEvent) == 0


def test_a_serious_incident_puts_the_child_on_the_district_committees_review_list(
    client, auth, world
):
    auth.log_in_as(world.people["teacher_a"])
    report(client, auth, world.child, severity="serious")
    [item] = db.session.scalars(select(ReviewItem)).all()
    assert (item.child_id, item.reason) == (world.child.id, "serious_incident")
    assert item.incident_id == incident_of(world).id and item.reviewed_at is None
    switch(client, auth, world.people["committee_a"])
    html = client.get("/review", follow_redirects=True).get_data(as_text=True)
    assert world.child.full_name in html and "A serious incident" in html
    assert audited("view_review", "child") == [str(world.child.id)]
    assert client.get(f"/incidents/{item.incident_id}").status_code == 200
    switch(client, auth, world.people["committee_b"])
    other = client.get("/review", follow_redirects=True).get_data(as_text=True)
    assert world.child.full_name not in other
    assert "No child is due" in other
    assert client.get(f"/incidents/{item.incident_id}").status_code == 404


def test_an_incident_that_is_not_serious_adds_no_review_item(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    report(client, auth, world.child, severity="medium")
    assert count(ReviewItem) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"occurred_on": "2026-11-19"},  # in the future
        {"occurred_on": "yesterday"},
        {"place": "moon"},
        {"involved": []},
        {"what_happened": []},
        {"what_happened": ["verbal", "rumours"]},
        {"severity": ""},
        {"immediate_action": "x" * 2001},
        {"report_id": "not-an-id"},
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client, auth, world, changes):
    auth.log_in_as(world.people["teacher_a"])
    response = report(client, auth, world.child, **changes)
    assert response.status_code == 422
    assert count(Incident) == 1 and count(ReviewItem) == 0 and count(IncidentEvent) == 0


def test_a_nul_character_in_a_form_is_refused_and_nothing_is_written(client, auth, world):
    """No keyboard types one, and PostgreSQL's text cannot hold it: a 400, never a 500."""
    auth.log_in_as(world.people["teacher_a"])
    response = report(client, auth, world.child, immediate_action="Moved\x00 the class")
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert count(Incident) == 1 and count(ReviewItem) == 0


def test_a_form_with_an_extra_field_is_refused(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    response = report(client, auth, world.child, reported_by_id=str(world.people["admin_a"].id))
    assert response.status_code == 400
    assert count(Incident) == 1


def test_the_same_report_sent_twice_is_saved_once(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    data = report_data(auth, severity="serious")
    first = client.post(f"/children/{world.child.id}/incidents/new", data=data)
    again = client.post(f"/children/{world.child.id}/incidents/new", data=data)
    assert first.status_code == again.status_code == 303
    assert count(Incident) == 2 and count(ReviewItem) == 1


def test_the_childs_page_lists_incidents_for_the_social_worker_only(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    report(client, auth, world.child, what_happened=["disclosure"])
    teacher_page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "Report an incident" in teacher_page
    assert 'id="incidents"' not in teacher_page
    switch(client, auth, world.people["social_worker_a"])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert 'id="incidents"' in page and "family history was made known" in page


def test_no_incident_text_reaches_another_teacher_or_the_teachers_other_pages(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    client.post(
        f"/incidents/{world.incident_id}/action",
        data={"csrf_token": auth.csrf_token(), "note": SECRET_NOTE},
    )
    report(client, auth, world.child, immediate_action="Called the grandmother at once")
    reported = incident_of_text("Called the grandmother")
    switch(client, auth, world.people["teacher_a"])
    pages = ["/today", f"/children/{world.child.id}", f"/classes/{world.school_class.id}/roll-call"]
    pages += ["/incidents/mine", f"/incidents/{world.incident_id}", "/api/offline-pages"]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert SECRET_NOTE not in html and "Called the grandmother" not in html, page
    assert client.get(f"/incidents/{reported}").status_code == 404  # not their report
    switch(client, auth, world.people["teacher_b"])
    assert client.get("/incidents/mine").get_data(as_text=True).count("incident-title") == 0
    assert client.get(f"/incidents/{world.incident_id}").status_code == 404


def incident_of_text(text: str) -> uuid.UUID:
    return db.session.scalars(
        select(Incident.id).where(Incident.immediate_action.contains(text))
    ).one()


def test_the_social_workers_list_shows_open_incidents_first(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    client.post(
        f"/incidents/{world.incident_id}/status",
        data={"csrf_token": auth.csrf_token(), "version": "1", "status_to": "in_progress"},
    )
    report(client, auth, world.child, severity="low")
    newest = db.session.scalars(select(Incident.id).where(Incident.id != world.incident_id)).one()
    html = client.get("/incidents").get_data(as_text=True)
    order = re.findall(r'data-incident-id="([^"]+)"', html)
    assert order == [str(newest), str(world.incident_id)]
    switch(client, auth, world.people["social_worker_b"])
    assert "data-incident-id" not in client.get("/incidents").get_data(as_text=True)


def test_one_report_form_is_kept_for_offline_use_for_all_the_persons_children(client, auth, world):
    """Not a copy per child (a teacher of 40 children kept 40 forms, 168 KB): one form, shown
    offline for each child's address, naming only the person's own children."""
    teacher = world.people["teacher_a"]
    other = ChildFactory(school_class=world.school_class, given_name="Әлібек")
    auth.log_in_as(teacher)
    pages = client.get("/api/offline-pages").get_json()["pages"]
    assert pages.count("/incidents/new") == 1
    assert not [
        page for page in pages if page.endswith("/incidents/new") and page != "/incidents/new"
    ]
    page = client.get("/incidents/new", headers={"X-Qadam-Purpose": "offline-copy"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    names = json.loads(re.search(r'id="incident-children">(.*?)</script>', html).group(1))
    assert names == {str(world.child.id): world.child.full_name, str(other.id): other.full_name}
    assert str(world.child_b.id) not in html  # another class's child: not named, not there
    viewed = db.session.scalars(
        select(AuditEvent.record_id).where(
            AuditEvent.user_id == teacher.id, AuditEvent.action == "offline_copy"
        )
    ).all()
    assert sorted(map(str, viewed)) == sorted(names)  # each child it names: a copy to the phone
    # The service worker shows it for any child's form.
    worker = client.get("/sw.js").get_data(as_text=True)
    stand_ins = json.loads(re.search(r"const STAND_INS = (.*);", worker).group(1))
    form = {"pattern": "^/children/[0-9a-f-]{36}/incidents/new$", "page": "/incidents/new"}
    assert form in stand_ins
    assert re.match(form["pattern"], f"/children/{world.child.id}/incidents/new")


# -- the "incident" sync kind ---------------------------------------------------------------


def incident_op(world, record_id=None, op_id=None, **payload_changes) -> dict:
    payload = {
        "child_id": str(world.child.id),
        "occurred_on": TODAY.isoformat(),
        "place": "online",
        "involved": ["peers"],
        "what_happened": ["online"],
        "severity": "serious",
        "immediate_action": "",
    } | payload_changes
    op = {
        "op_id": op_id or str(uuid.uuid4()),
        "kind": "incident",
        "record_id": record_id or str(uuid.uuid4()),
        "base_version": 0,
        "seq": 1,
        "recorded_at": f"{TODAY.isoformat()}T03:00:00+00:00",
    }
    return {**op, "sealed": seal(op, payload)}  # as a phone sends it: encrypted


def sync(client, auth, *ops) -> list[dict]:
    response = client.post(
        "/api/sync",
        json={"device_id": str(uuid.uuid4()), "ops": list(ops)},
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    return response.get_json()["results"]


def test_an_incident_from_a_phone_is_saved_exactly_once(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    op = incident_op(world)
    [first] = sync(client, auth, op)
    [again] = sync(client, auth, op)
    # Another op with the same report id: sent from the form, then again from the outbox.
    [other_op] = sync(client, auth, incident_op(world, record_id=op["record_id"]))
    assert (first["result"], again["result"], other_op["result"]) == (
        "applied",
        "duplicate",
        "applied",
    )
    assert count(Incident) == 2 and count(ReviewItem) == 1
    assert str(incident_of_id(op["record_id"]).reported_by_id) == str(world.people["teacher_a"].id)
    assert audited("incident_sync", "child") == [str(world.child.id)]


def incident_of_id(record_id: str) -> Incident:
    return db.session.get(Incident, uuid.UUID(record_id))


def test_an_incident_id_used_by_someone_else_is_refused(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    [result] = sync(client, auth, incident_op(world, record_id=str(world.incident_id)))
    assert result["result"] == "rejected" and result["status"] == 409
    assert count(Incident) == 1


@pytest.mark.parametrize("person", ["teacher_b", "committee_a", "admin_a"])
def test_an_incident_from_a_phone_for_an_unreachable_child_is_refused(client, auth, world, person):
    auth.log_in_as(world.people[person])
    [result] = sync(client, auth, incident_op(world))
    assert result["result"] == "rejected" and result["status"] == 404
    assert result["reason"] == "You cannot report an incident for this child."
    assert count(Incident) == 1
    assert audited("refused", "child") == [str(world.child.id)]


@pytest.mark.parametrize(
    "changes",
    [
        {"severity": "dreadful"},
        {"involved": "peers"},
        {"occurred_on": "2026-11-30"},
        {"immediate_action": "Moved\x00 the class"},  # PostgreSQL's text cannot hold a NUL
        {"immediate_action": "Moved\ud800 the class"},  # half a UTF-16 pair: not UTF-8
    ],
)
def test_a_damaged_incident_from_a_phone_is_refused(client, auth, world, changes):
    auth.log_in_as(world.people["teacher_a"])
    [result] = sync(client, auth, incident_op(world, **changes))
    assert result["result"] == "rejected" and result["status"] == 422
    assert count(Incident) == 1 and count(ReviewItem) == 0


def test_the_demo_has_incidents_and_children_on_the_committees_review_list(runner):
    result = load_demo(runner)
    assert result.exit_code == 0, result.output
    assert count(Incident) == 5
    assert count(ReviewItem) == 2  # the two serious ones
    teacher = db.session.scalar(select(User).where(User.email == "teacher@qadam.example"))
    reported = db.session.scalars(select(Incident).where(Incident.reported_by_id == teacher.id))
    assert len(reported.all()) >= 1  # the demo teacher has reports of their own
    words = " ".join(db.session.scalars(select(Incident.immediate_action))).lower()
    assert "террор" not in words and "return" not in words


def test_anonymising_a_child_removes_the_notes_of_their_incidents(world):
    from app.children.retention import anonymise

    incident = db.session.get(Incident, world.incident_id)
    incident.immediate_action = "Talked with the class about it"
    db.session.add(
        IncidentEvent(
            incident_id=incident.id,
            by_id=world.people["social_worker_a"].id,
            kind=EventKind.ACTION,
            note="Met the family at home",
        )
    )
    db.session.commit()
    anonymise(world.child)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Incident, world.incident_id)
    assert kept.immediate_action == "" and kept.severity is not None
    assert [event.note for event in kept.events] == [""]
