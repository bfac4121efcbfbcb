"""The committee's decisions: outcome, note, actions, next review date; corrections kept; a
double submit recorded once; bad input refused with nothing written (issue 14, points 4, 10)."""

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.committee.models import Assignee, ChildReview, Decision, DecisionAction, Outcome
from app.core.audit import AuditEvent
from app.extensions import db
from tests.committee_helpers import (
    OTHER_DISTRICT,
    count,
    decide,
    district_class,
    followed_child,
    meeting_on,
    member,
    worker,
)
from tests.conftest import TODAY


@pytest.fixture
def committee():
    return member()


@pytest.fixture
def setting(committee):
    child = followed_child(district_class(), worker(), date(2026, 8, 1))
    return meeting_on(TODAY, committee, [child]), child


def decision_data(**overrides) -> dict:
    data = {
        "decision_id": str(uuid.uuid4()),
        "corrects": "",
        "outcome": "refer",
        "service": "psychologist",
        "note": "Оқу үлгерімі жақсарды.",
        "next_review_on": "2027-02-18",
        "actions-0-what": "Психологпен кездесу ұйымдастыру",
        "actions-0-assignee": "social_worker",
        "actions-0-assignee_name": "",
        "actions-0-due_on": "2026-12-10",
        "actions-1-what": "Тілдік қолдау сабақтары",
        "actions-1-assignee": "other_service",
        "actions-1-assignee_name": "Аудандық білім бөлімі",
        "actions-1-due_on": "2027-01-15",
        "actions-2-what": "",
        "actions-2-assignee": "",
        "actions-2-assignee_name": "",
        "actions-2-due_on": "",
    }
    return data | overrides


def url(meeting, child) -> str:
    return f"/meetings/{meeting.id}/children/{child.id}/decision"


def send(client, auth, meeting, child, data):
    return client.post(url(meeting, child), data={"csrf_token": auth.csrf_token(), **data})


def test_a_decision_with_its_actions_is_recorded_and_audited(client, auth, committee, setting):
    meeting, child = setting
    auth.log_in_as(committee)
    assert client.get(url(meeting, child)).status_code == 200
    response = send(client, auth, meeting, child, decision_data())
    assert response.status_code == 303
    decision = db.session.scalars(select(Decision)).one()
    assert (decision.outcome, decision.service) == (Outcome.REFER, "psychologist")
    assert decision.next_review_on == date(2027, 2, 18)
    actions = [(a.what, a.assignee, a.assignee_name, a.due_on, a.status) for a in decision.actions]
    assert actions == [
        ("Психологпен кездесу ұйымдастыру", Assignee.SOCIAL_WORKER, "", date(2026, 12, 10), "open"),
        ("Тілдік қолдау сабақтары", Assignee.OTHER_SERVICE, "Аудандық білім бөлімі",
         date(2027, 1, 15), "open"),
    ]  # fmt: skip
    review = db.session.get(ChildReview, child.id)
    assert (review.decided_on, review.next_review_on) == (TODAY, date(2027, 2, 18))
    audited = db.session.scalars(
        select(AuditEvent.record_id).where(AuditEvent.action == "committee_decision")
    ).all()
    assert audited == [str(child.id)]
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Decided" in page


def test_the_same_form_sent_twice_records_one_decision(client, auth, committee, setting):
    meeting, child = setting
    auth.log_in_as(committee)
    data = decision_data()
    assert send(client, auth, meeting, child, data).status_code == 303
    assert send(client, auth, meeting, child, data).status_code == 303
    assert count(Decision) == 1 and count(DecisionAction) == 2


def test_a_correction_is_a_new_version_and_keeps_the_old_one(client, auth, committee, setting):
    meeting, child = setting
    auth.log_in_as(committee)
    first = decision_data()
    send(client, auth, meeting, child, first)
    correction = decision_data(
        outcome="continue", service="", note="Түзету", corrects=first["decision_id"]
    )
    assert send(client, auth, meeting, child, correction).status_code == 303
    decisions = db.session.scalars(select(Decision).order_by(Decision.recorded_at)).all()
    assert [d.outcome for d in decisions] == [Outcome.REFER, Outcome.CONTINUE]
    assert decisions[1].corrects_id == decisions[0].id
    page = client.get(url(meeting, child)).get_data(as_text=True)
    assert "1 earlier version, corrected" in page and "Refer to a service" in page
    assert "Түзету" in page


def test_a_second_decision_without_naming_the_first_is_refused(client, auth, committee, setting):
    meeting, child = setting
    auth.log_in_as(committee)
    send(client, auth, meeting, child, decision_data())
    response = send(client, auth, meeting, child, decision_data())  # a new id, corrects nothing
    assert response.status_code == 409
    assert "Another decision was recorded" in response.get_data(as_text=True)
    assert count(Decision) == 1


@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"actions-0-assignee": ""}, 422, "Выберите исполнителя каждого мероприятия."),
        ({"actions-0-due_on": "2026-11-17"}, 422, "Срок мероприятия не может быть в прошлом."),
        ({"actions-1-assignee_name": ""}, 422, "Укажите название службы"),
        ({"service": ""}, 422, "Выберите службу, в которую направляется ребёнок."),
        ({"next_review_on": "2026-11-18"}, 422, "Дата следующего рассмотрения должна быть позже"),
    ],
)
def test_bad_input_is_refused_in_the_readers_language_and_nothing_is_written(
    client, auth, setting, overrides, status, message
):
    meeting, child = setting
    auth.log_in_as(member(lang="ru"))
    response = send(client, auth, meeting, child, decision_data(**overrides))
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html and "must" not in html and "Choose" not in html
    assert count(Decision) == 0 and count(DecisionAction) == 0 and count(ChildReview) == 0


def test_a_decision_for_a_child_not_on_the_agenda_is_refused(client, auth, committee, setting):
    meeting, _child = setting
    other = followed_child(district_class(), worker())
    auth.log_in_as(member(lang="kk"))
    response = send(client, auth, meeting, other, decision_data())
    assert response.status_code == 404
    assert "Бұл бала осы отырыстың күн тәртібінде жоқ." in response.get_data(as_text=True)
    assert count(Decision) == 0


def test_a_decision_at_another_districts_meeting_is_refused(client, auth, setting):
    meeting, child = setting
    auth.log_in_as(member(OTHER_DISTRICT))
    response = send(client, auth, meeting, child, decision_data())
    assert response.status_code == 404 and count(Decision) == 0


def test_the_review_summary_counts_from_the_last_decision_and_shows_it(client, auth, committee):
    child = followed_child(district_class(), worker(), date(2026, 8, 1))
    auth.log_in_as(committee)
    before = client.get(f"/children/{child.id}/review").get_data(as_text=True)
    assert "The committee has not decided about this child yet." in before
    assert "the last three months" in before
    meeting = meeting_on(date(2026, 10, 7), committee, [child])
    decide(committee, meeting, child, date(2027, 1, 7), note="Керек кезде психолог.")
    page = client.get(f"/children/{child.id}/review").get_data(as_text=True)
    assert "Since the last review, on October 7, 2026" in page
    assert 'id="review-decision-heading"' in page and "Керек кезде психолог." in page
    agenda = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/children/{child.id}/review" in agenda  # each child's summary from the agenda
