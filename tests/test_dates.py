"""A date outside 1990–2099 ("0001-01-01", a slip of the keyboard) is refused with a message on
every form that records one, and on the sync API that checks through the same forms (issue 10,
point 15)."""

import uuid

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.casework.models import Placement, VisitReport
from app.children.background import ChildBackground, Consent
from app.children.models import Child
from app.core.forms import date_out_of_range
from app.extensions import db
from app.incidents.models import Incident
from tests.authorisation import REPORT, TABLE, build_world
from tests.casework_factories import PlacementFactory
from tests.factories import SchoolClassFactory, SchoolFactory
from tests.sealing import sealed_op
from tests.test_roster_import import check_rows
from tests.test_visits import form_data, new_report_op, sync

OUT_OF_RANGE = "Enter a date from Jan 1, 1990 to Dec 31, 2099."


def _row_data(endpoint: str) -> dict:
    return next(row.data for row in TABLE if row.endpoint == endpoint and row.method == "POST")


# endpoint, path under the child's page, the form with one date far off, what must stay unwritten
FORMS = [
    ("casefile.consents", "consents", _row_data("casefile.consents") | {"given_on": "0001-01-01"}),
    ("casefile.case", "case", {"action": "close", "closed_on": "0001-01-01"}),
    ("casefile.background", "background", {"version": "0", "returned_on": "0001-01-01"}),
    ("incidents.new", "incidents/new", REPORT | {"occurred_on": "0001-01-01"}),
    (
        "casework.new_placement",
        "placements/new",
        _row_data("casework.new_placement") | {"starts_on": "0001-01-01"},
    ),
]


@pytest.fixture
def world(client, auth):
    world = build_world()
    auth.log_in_as(world.people["social_worker_a"])
    return world


def written() -> dict:
    db.session.expire_all()
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return {
        "consents": count(Consent),
        "backgrounds": count(ChildBackground),
        "incidents": count(Incident),
        "placements": count(Placement),
        "reports": count(VisitReport),
        "closed": db.session.scalar(select(func.count()).where(Child.case_closed_on.is_not(None))),
    }


@pytest.mark.parametrize(("endpoint", "path", "data"), FORMS, ids=[f[0] for f in FORMS])
def test_a_date_in_the_year_one_is_refused_on_every_form(client, auth, world, endpoint, path, data):
    before = written()
    url = f"/children/{world.child.id}/{path}"
    response = client.post(url, data={**data, "csrf_token": auth.csrf_token()})
    assert response.status_code == 422
    assert OUT_OF_RANGE in response.get_data(as_text=True)
    assert written() == before


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "2100-01-01"])
def test_a_visit_dated_outside_the_window_is_refused(client, auth, world, day):
    PlacementFactory(child_obj=world.child, worker=world.people["social_worker_a"])
    for changes in ({"visited_on": day}, {"next_visit_on": day}, {"actions-0-by_when": day}):
        url = f"/children/{world.child.id}/visits/new"
        response = client.post(url, data=form_data(auth, **changes))
        assert response.status_code == 422, changes
        assert OUT_OF_RANGE in response.get_data(as_text=True)
    assert written()["reports"] == 0


def test_a_withdrawal_in_the_year_one_is_refused(client, auth, world):
    url = f"/children/{world.child.id}/consents/{world.consent_id}/withdraw"
    response = client.post(
        url, data={"withdrawn_on": "0001-01-01", "csrf_token": auth.csrf_token()}
    )
    assert response.status_code == 422
    assert OUT_OF_RANGE in response.get_data(as_text=True)
    assert db.session.get(Consent, world.consent_id).withdrawn_on is None


def test_the_first_and_last_days_of_the_window_are_accepted(client, auth, world):
    url = f"/children/{world.child.id}/consents"
    data = _row_data("casefile.consents") | {"given_on": "1990-01-01"}
    assert client.post(url, data={**data, "csrf_token": auth.csrf_token()}).status_code == 303


def test_a_visit_report_from_a_phone_dated_in_the_year_one_is_rejected(client, auth, world):
    PlacementFactory(child_obj=world.child, worker=world.people["social_worker_a"])
    entry = new_report_op(world.child, uuid.uuid4(), visited_on="0001-01-01")
    (answer,) = sync(client, auth, entry)
    assert (answer["status"], answer["result"]) == (422, "rejected")
    assert OUT_OF_RANGE in answer["reason"]
    assert written()["reports"] == 0


def test_an_incident_from_a_phone_dated_in_the_year_one_is_rejected(client, auth, world):
    payload = {"child_id": str(world.child.id), **REPORT, "involved": ["peers"]}
    payload |= {"what_happened": ["exclusion"], "occurred_on": "0001-01-01"}
    payload.pop("report_id")
    before = written()
    (answer,) = sync(client, auth, sealed_op("incident", payload))
    assert (answer["status"], answer["result"]) == (422, "rejected")
    assert answer["reason"] == OUT_OF_RANGE
    assert written() == before


def test_a_roster_birth_date_in_the_year_one_is_a_problem_of_its_row():
    school = SchoolFactory()
    SchoolClassFactory(school=school, grade=5, letter="А")
    result = check_rows(school, [["Абаев", "Нұрлан", "", "01.01.0001", "М", "5А"]])
    assert [problem.message for problem in result.problems] == [OUT_OF_RANGE]
    assert result.ready == []


def test_the_date_window_is_said_in_the_persons_language(client, auth, world):
    worker = world.people["social_worker_a"]
    worker.preferred_language = "kk"
    db.session.commit()
    url = f"/children/{world.child.id}/consents/{world.consent_id}/withdraw"
    response = client.post(
        url, data={"withdrawn_on": "0001-01-01", "csrf_token": auth.csrf_token()}
    )
    assert response.status_code == 422
    with force_locale("kk"):
        message = date_out_of_range()
    assert message != OUT_OF_RANGE and "1990" in message
    assert message in response.get_data(as_text=True)
