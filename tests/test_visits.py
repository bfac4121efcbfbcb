"""Visit reports (issue 6, point 3): written online or on a phone offline, each once; a stale
online edit answers 409; a concurrent offline edit merges field by field and leaves the
overlapping fields for a person to settle."""

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from app.casework.models import Rating, VisitOutcome, VisitReport
from app.casework.visits import FIELDS
from app.children.background import ChildBackground
from app.core.audit import AuditEvent
from app.extensions import db
from app.sync.models import OPEN, RESOLVED, SyncConflict
from tests.authorisation import build_world
from tests.casework_factories import PlacementFactory, VisitReportFactory
from tests.conftest import TODAY
from tests.factories import ChildBackgroundFactory
from tests.sealing import seal


@pytest.fixture
def world(client, auth):
    world = build_world()
    worker = world.people["social_worker_a"]
    world.placement = PlacementFactory(child_obj=world.child, worker=worker)
    auth.log_in_as(worker)
    return world


def form_data(auth, **changes) -> dict:
    data = {
        "csrf_token": auth.csrf_token(),
        "report_id": str(uuid.uuid4()),
        "version": "0",
        "kind": "home_visit",
        "visited_on": "2026-11-17",
        "present": "Grandmother, the child",
        "outcome": "follow_up",
        "next_visit_on": "2026-12-15",
        "actions-0-what": "Ask the school about a tutor",
        "actions-0-who": "Social worker",
        "actions-0-by_when": "2026-11-30",
        "actions-1-what": "",
        "actions-1-who": "",
        "actions-1-by_when": "",
    }
    for item in ("health", "school", "caregivers", "living", "wellbeing", "stigma", "needs"):
        data[f"{item}_rating"] = "fine"
        data[f"{item}_note"] = ""
    data["school_rating"] = "concern"
    data["school_note"] = "Misses Mondays"
    return data | changes


def reports() -> list[VisitReport]:
    db.session.expire_all()
    return db.session.scalars(select(VisitReport)).all()


def switch_to(client, auth, user) -> None:
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(user)


# -- online ---------------------------------------------------------------------------------


def test_a_social_worker_writes_a_visit_report_and_reads_it(client, auth, world):
    data = form_data(auth)
    response = client.post(f"/children/{world.child.id}/visits/new", data=data)
    assert response.status_code == 303
    (report,) = reports()
    assert str(report.id) == data["report_id"]
    assert report.placement_id == world.placement.id
    assert (report.school_rating, report.school_note) == (Rating.CONCERN, "Misses Mondays")
    assert report.outcome is VisitOutcome.FOLLOW_UP
    assert [(a.what, a.by_when) for a in report.actions] == [
        ("Ask the school about a tutor", date(2026, 11, 30))
    ]
    page = client.get(response.location)
    html = page.get_data(as_text=True)
    assert page.headers["X-Qadam-Restricted"] == "1"
    assert "Misses Mondays" in html and "Follow-up needed" in html
    child_page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert f"/visits/{report.id}" in child_page
    actions = db.session.execute(select(AuditEvent.action, AuditEvent.record_type)).all()
    assert ("create", "visit_report") in actions and ("visit_report_create", "child") in actions
    assert ("view", "visit_report") in actions and ("view_visit_report", "child") in actions


def test_the_same_form_sent_twice_makes_one_report(client, auth, world):
    data = form_data(auth)
    url = f"/children/{world.child.id}/visits/new"
    assert client.post(url, data=data).status_code == 303
    again = client.post(url, data=data)
    assert again.status_code == 303 and again.location.endswith(data["report_id"])
    assert len(reports()) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"visited_on": "2026-11-19"}, "A visit cannot be dated in the future."),
        ({"next_visit_on": "2026-11-01"}, "The next visit must come after this one."),
        ({"outcome": ""}, "Choose the overall outcome."),
        ({"visited_on": ""}, "Enter a valid date."),
        ({"health_rating": "excellent"}, "Not a valid choice"),
    ],
)
def test_bad_report_input_is_refused_with_a_message_and_nothing_is_written(
    client, auth, world, changes, message
):
    response = client.post(
        f"/children/{world.child.id}/visits/new", data=form_data(auth, **changes)
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reports() == []


def test_an_unknown_field_is_refused_and_nothing_is_written(client, auth, world):
    data = form_data(auth, author_id=str(world.people["social_worker_b"].id))
    response = client.post(f"/children/{world.child.id}/visits/new", data=data)
    assert response.status_code == 400
    assert reports() == []


def test_an_edit_over_someone_elses_save_answers_409_and_overwrites_nothing(client, auth, world):
    report = VisitReportFactory(placement=world.placement, worker=world.people["social_worker_a"])
    form = client.get(f"/visits/{report.id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    report.present = "Changed by a colleague"
    db.session.commit()  # version 2
    data = form_data(auth, report_id=str(report.id), version="1", present="Mine")
    response = client.post(f"/visits/{report.id}/edit", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved this report while you were editing it" in html
    assert "Changed by a colleague" in html and "Mine" in html
    (saved,) = reports()
    assert (saved.present, saved.version) == ("Changed by a colleague", 2)
    data["version"] = "2"
    assert client.post(f"/visits/{report.id}/edit", data=data).status_code == 303
    assert reports()[0].present == "Mine"


def test_teachers_and_other_social_workers_never_reach_a_report(client, auth, world):
    report = VisitReportFactory(placement=world.placement, worker=world.people["social_worker_a"])
    for person in ("teacher_a", "social_worker_b", "committee_b"):
        switch_to(client, auth, world.people[person])
        assert client.get(f"/visits/{report.id}").status_code == 404, person
    switch_to(client, auth, world.people["committee_a"])
    assert client.get(f"/visits/{report.id}").status_code == 200
    assert client.get(f"/visits/{report.id}/edit").status_code == 404


# -- offline: the visit_report sync kind ----------------------------------------------------


def wire(**changes) -> dict:
    values = {name: "" for name in FIELDS} | {
        "kind": "home_visit",
        "visited_on": "2026-11-17",
        "present": "Grandmother",
        "outcome": "no_concerns",
        "actions": [],
    }
    for name in FIELDS:
        if name.endswith("_rating"):
            values[name] = "fine"
    return values | changes


PHONE = str(uuid.uuid4())  # the social worker's phone


def op(child, record_id, fields: dict, base_version: int = 0, op_id=None, seq: int = 1) -> dict:
    """A visit_report op as a phone sends it: the payload encrypted for the server."""
    clear = {
        "op_id": str(op_id or uuid.uuid4()),
        "kind": "visit_report",
        "record_id": str(record_id),
        "base_version": base_version,
        "seq": seq,
        "recorded_at": f"{TODAY.isoformat()}T06:00:00+05:00",
    }
    return {**clear, "sealed": seal(clear, {"child_id": str(child.id), "fields": fields})}


def new_report_op(child, record_id, seq: int = 1, **changes) -> dict:
    values = wire(**changes)
    fields = {n: {"base": None, "value": v} for n, v in values.items()}
    return op(child, record_id, fields, seq=seq)


def sync(client, auth, *ops, device=PHONE) -> list[dict]:
    response = client.post(
        "/api/sync",
        json={"device_id": device, "ops": list(ops)},
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert response.status_code == 200
    return response.get_json()["results"]


def test_a_report_written_offline_is_created_exactly_once(client, auth, world):
    record_id = uuid.uuid4()
    entry = new_report_op(world.child, record_id, stigma_rating="concern", stigma_note="Teased")
    (first,) = sync(client, auth, entry)
    (second,) = sync(client, auth, entry)
    assert (first["result"], second["result"]) == ("applied", "duplicate")
    (report,) = reports()
    assert report.id == record_id and report.placement_id == world.placement.id
    assert (report.stigma_rating, report.stigma_note) == (Rating.CONCERN, "Teased")
    # The same report in another op (saved twice on the phone): still one report.
    (third,) = sync(client, auth, new_report_op(world.child, record_id, seq=2, present="Both"))
    assert third["result"] == "applied"
    (report,) = reports()
    assert report.present == "Both"
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "visit_report_create_sync" in actions


def test_a_new_report_sent_with_only_its_filled_in_fields_is_created_with_the_rest_blank(
    client, auth, world
):
    filled = {"kind": "home_visit", "visited_on": "2026-11-17", "outcome": "no_concerns"}
    fields = {name: {"base": "", "value": value} for name, value in filled.items()}
    (answer,) = sync(client, auth, op(world.child, uuid.uuid4(), fields))
    assert answer["result"] == "applied" and "link" not in answer
    (report,) = reports()
    assert (report.present, report.stigma_rating, report.actions) == ("", None, [])


def test_a_bad_offline_report_is_rejected_with_a_message_and_nothing_is_written(
    client, auth, world
):
    (future,) = sync(
        client, auth, new_report_op(world.child, uuid.uuid4(), visited_on="2027-01-01")
    )
    assert (future["status"], future["result"]) == (422, "rejected")
    assert future["reason"] == "A visit cannot be dated in the future."
    partial = op(world.child, uuid.uuid4(), {"present": {"base": None, "value": "x"}})
    (incomplete,) = sync(client, auth, partial)
    assert incomplete["status"] == 422
    assert reports() == []


def test_a_report_for_a_child_outside_the_caseload_is_refused(client, auth, world):
    (answer,) = sync(client, auth, new_report_op(world.child_b, uuid.uuid4()))
    assert answer["status"] == 404
    assert reports() == []


def test_a_teacher_cannot_write_a_report_through_sync(client, auth, world):
    switch_to(client, auth, world.people["teacher_a"])
    (answer,) = sync(client, auth, new_report_op(world.child, uuid.uuid4()))
    assert answer["status"] == 404
    assert reports() == []


def edited_on_server(world) -> VisitReport:
    report = VisitReportFactory(
        placement=world.placement,
        worker=world.people["social_worker_a"],
        visited_on=date(2026, 11, 17),
        present="Grandmother",
    )
    for name in FIELDS:
        if name.endswith("_rating"):
            setattr(report, name, Rating.FINE)
    db.session.commit()
    return report


def test_an_offline_edit_of_other_fields_is_merged(client, auth, world):
    report = edited_on_server(world)
    base = report.version
    report.present = "Grandmother, aunt"  # changed on the server meanwhile
    db.session.commit()
    fields = {"health_note": {"base": "", "value": "A cough, seen by a doctor"}}
    (answer,) = sync(client, auth, op(world.child, report.id, fields, base_version=base))
    assert answer["result"] == "applied"
    (saved,) = reports()
    assert (saved.present, saved.health_note) == ("Grandmother, aunt", "A cough, seen by a doctor")
    assert db.session.scalar(select(func.count()).select_from(SyncConflict)) == 0


def test_an_offline_edit_of_the_same_field_waits_for_a_decision(client, auth, world):
    report = edited_on_server(world)
    base = report.version
    report.outcome = VisitOutcome.FOLLOW_UP
    report.present = "Grandmother, aunt"  # a field the phone did not touch
    db.session.commit()
    fields = {
        "outcome": {"base": "no_concerns", "value": "urgent"},
        "needs_note": {"base": "", "value": "Winter clothes"},
    }
    (answer,) = sync(client, auth, op(world.child, report.id, fields, base_version=base))
    assert answer["result"] == "conflict"
    assert answer["link"] == f"/visits/{report.id}/conflicts"  # where the phone sends the person
    (saved,) = reports()
    assert (saved.outcome, saved.needs_note) == (VisitOutcome.FOLLOW_UP, "Winter clothes")
    (conflict,) = db.session.scalars(select(SyncConflict)).all()
    assert conflict.state == OPEN and conflict.record_id == report.id

    assert "need your decision" in client.get(f"/visits/{report.id}").get_data(as_text=True)
    assert f"/visits/{report.id}/conflicts" in client.get("/caseload").get_data(as_text=True)
    page = client.get(f"/visits/{report.id}/conflicts").get_data(as_text=True)
    assert "Follow-up needed" in page and "Urgent" in page

    url = f"/visits/{report.id}/conflicts"
    refused = client.post(url, data={"csrf_token": auth.csrf_token(), "conflict": conflict.id})
    assert refused.status_code == 422
    assert "Choose which value to keep for every field." in refused.get_data(as_text=True)
    choice = {"conflict": conflict.id, "field-outcome": "device"}
    done = client.post(url, data={"csrf_token": auth.csrf_token()} | choice)
    assert done.status_code == 303
    db.session.expire_all()
    # Only the field both sides changed took the phone's value; the server's text stays.
    (decided,) = reports()
    assert (decided.outcome, decided.present) == (VisitOutcome.URGENT, "Grandmother, aunt")
    assert decided.needs_note == "Winter clothes"
    assert db.session.get(SyncConflict, conflict.id).state == RESOLVED
    assert f"/visits/{report.id}/conflicts" not in client.get("/caseload").get_data(as_text=True)


# -- the form kept on the phone -------------------------------------------------------------


def test_the_new_visit_forms_are_kept_for_offline_use_without_the_background(client, auth, world):
    ChildBackgroundFactory(
        child_obj=world.child,
        updated_by=world.people["social_worker_a"],
        family_situation="FAMILY-MARKER-91",
    )
    pages = client.get("/api/offline-pages").get_json()["pages"]
    url = f"/children/{world.child.id}/visits/new"
    assert url in pages
    copy = client.get(url, headers={"X-Qadam-Purpose": "offline-copy"})
    assert copy.status_code == 200 and "X-Qadam-Restricted" not in copy.headers
    html = copy.get_data(as_text=True)
    assert 'id="visit-report"' in html and "FAMILY-MARKER-91" not in html
    assert "With relatives" not in html  # nor the placement
    assert db.session.get(ChildBackground, world.child.id) is not None
    switch_to(client, auth, world.people["teacher_a"])
    assert url not in client.get("/api/offline-pages").get_json()["pages"]
    assert client.get(url).status_code == 404


def test_the_form_and_the_phone_refuse_an_overlong_field_in_the_same_words(client, auth, world):
    too_long = "x" * 501  # "present" holds 500 characters
    url = f"/children/{world.child.id}/visits/new"
    page = client.post(url, data=form_data(auth, present=too_long))
    (answer,) = sync(client, auth, new_report_op(world.child, uuid.uuid4(), present=too_long))
    message = "Field cannot be longer than 500 characters."
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    assert answer["status"] == 422 and answer["reason"].endswith(message)
    assert reports() == []
