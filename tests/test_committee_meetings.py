"""The committee's meetings and their agendas (issue 14, points 2, 8 and 10)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.committee.models import AgendaItem, Meeting
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
from tests.conftest import TODAY, count_queries
from tests.factories import ChildBackgroundFactory


@pytest.fixture
def committee():
    return member()


def post(client, auth, path, **data):
    return client.post(path, data={"csrf_token": auth.csrf_token(), **data})


def agenda_names(meeting) -> list[str]:
    db.session.expire_all()
    items = db.session.scalars(
        select(AgendaItem).filter_by(meeting_id=meeting.id).order_by(AgendaItem.position)
    )
    return [item.child.full_name for item in items]


def test_a_member_creates_a_meeting_with_chair_and_members_present(client, auth, committee):
    colleague = member(display_name="Әлия Сапарова")
    outsider = member(OTHER_DISTRICT)
    auth.log_in_as(committee)
    form = client.get("/meetings/new").get_data(as_text=True)
    assert "Әлия Сапарова" in form and outsider.display_name not in form
    response = post(
        client, auth, "/meetings/new", held_on="2026-11-25", place="Әкімдік",
        chair=str(colleague.id), members=[str(committee.id), str(colleague.id)],
    )  # fmt: skip
    assert response.status_code == 303
    meeting = db.session.scalars(select(Meeting)).one()
    assert (meeting.held_on, meeting.place, meeting.chair_id) == (
        date(2026, 11, 25), "Әкімдік", colleague.id,
    )  # fmt: skip
    assert {user.id for user in meeting.members} == {committee.id, colleague.id}
    page = client.get(response.location).get_data(as_text=True)
    assert "Әлия Сапарова" in page and "The agenda is empty" in page
    edited = post(
        client, auth, f"/meetings/{meeting.id}/edit", held_on="2026-11-26", place="Мектеп",
        chair="", members=[str(committee.id)],
    )  # fmt: skip
    assert edited.status_code == 303
    db.session.expire_all()
    assert (meeting.held_on, meeting.chair_id, len(meeting.members)) == (
        date(2026, 11, 26),
        None,
        1,
    )
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("committee_meeting") == 2


def test_a_member_of_another_district_cannot_be_chosen(client, auth, committee):
    outsider = member(OTHER_DISTRICT)
    auth.log_in_as(committee)
    response = post(
        client, auth, "/meetings/new", held_on="2026-11-25", place="Әкімдік",
        chair=str(outsider.id),
    )  # fmt: skip
    assert response.status_code == 422
    assert "Choose members of this district" in response.get_data(as_text=True)
    assert count(Meeting) == 0


def test_the_meetings_list_has_upcoming_and_past(client, auth, committee):
    meeting_on(date(2026, 12, 2), committee)
    meeting_on(date(2026, 10, 7), committee)
    meeting_on(date(2026, 12, 3), committee, district=OTHER_DISTRICT)
    auth.log_in_as(committee)
    html = client.get("/meetings").get_data(as_text=True)
    upcoming, past = html.split("Past meetings")
    assert "December 2, 2026" in upcoming and "October 7, 2026" in past
    assert "December 3, 2026" not in html


def test_the_agenda_is_drafted_from_the_due_list(client, auth, committee):
    klass, social_worker = district_class(), worker()
    children = [followed_child(klass, social_worker, date(2026, 8, n)) for n in (1, 2, 3)]
    meeting = meeting_on(date(2026, 11, 25), committee)
    auth.log_in_as(committee)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert all(child.full_name in page for child in children)
    for child in children:
        response = post(client, auth, f"/meetings/{meeting.id}/agenda", child_id=str(child.id))
        assert response.status_code == 303
    assert agenda_names(meeting) == [child.full_name for child in children]
    twice = post(client, auth, f"/meetings/{meeting.id}/agenda", child_id=str(children[0].id))
    assert twice.status_code == 409 and "already on the agenda" in twice.get_data(as_text=True)
    items = db.session.scalars(select(AgendaItem).order_by(AgendaItem.position)).all()
    post(client, auth, f"/meetings/{meeting.id}/agenda/{items[2].id}/move", direction="up")
    assert agenda_names(meeting) == [children[0].full_name, children[2].full_name,
                                     children[1].full_name]  # fmt: skip
    post(client, auth, f"/meetings/{meeting.id}/agenda/{items[0].id}/move", direction="down")
    assert agenda_names(meeting)[0] == children[2].full_name
    post(client, auth, f"/meetings/{meeting.id}/agenda/{items[1].id}/remove")
    assert children[1].full_name not in agenda_names(meeting)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Move up" in page and "Record the decision" in page


def test_a_child_with_a_decision_stays_on_the_agenda(client, auth, committee):
    child = followed_child(district_class(), worker())
    meeting = meeting_on(TODAY, committee, [child])
    decide(committee, meeting, child, date(2027, 2, 18))
    auth.log_in_as(committee)
    [item] = db.session.scalars(select(AgendaItem)).all()
    response = post(client, auth, f"/meetings/{meeting.id}/agenda/{item.id}/remove")
    assert response.status_code == 409 and count(AgendaItem) == 1


def test_a_child_of_another_district_cannot_be_added(client, auth, committee):
    stranger = followed_child(district_class(OTHER_DISTRICT), worker())
    meeting = meeting_on(TODAY, committee)
    auth.log_in_as(committee)
    response = post(client, auth, f"/meetings/{meeting.id}/agenda", child_id=str(stranger.id))
    assert response.status_code == 404 and count(AgendaItem) == 0


def test_a_meeting_of_another_district_answers_404_in_the_readers_language(client, auth):
    other = meeting_on(TODAY, member(OTHER_DISTRICT), district=OTHER_DISTRICT)
    auth.log_in_as(member(lang="ru"))
    for path in (f"/meetings/{other.id}", f"/meetings/{other.id}/edit"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Эта страница не существует" in response.get_data(as_text=True)
    response = post(client, auth, f"/meetings/{other.id}/edit", held_on="2026-12-01", place="x")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Meeting, other.id).place != "x"


def test_the_meeting_page_costs_the_same_statements_however_long_the_agenda(
    client, auth, committee
):
    klass, social_worker = district_class(), worker()
    few_children = [followed_child(klass, social_worker, date(2026, 8, 1))]
    meeting = meeting_on(TODAY, committee, few_children)
    followed_child(klass, social_worker, date(2026, 9, 1))  # due, not on the agenda
    auth.log_in_as(committee)
    with count_queries() as few:
        client.get(f"/meetings/{meeting.id}")
    for n in range(6):
        child = followed_child(klass, social_worker, date(2026, 8, 2 + n))
        db.session.add(AgendaItem(meeting_id=meeting.id, child_id=child.id, position=2 + n))
        followed_child(klass, social_worker, date(2026, 9, 2 + n))  # due, not on the agenda
    db.session.commit()
    with count_queries() as many:
        html = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert html.count('class="agenda-item"') == 7 and html.count('class="due-item"') == 7
    assert len(many) == len(few)


def test_no_committee_page_shows_a_childs_background(client, auth, committee):
    """The due list, the meeting and the decision form name the child, never their past."""
    social_worker = worker()
    child = followed_child(district_class(), social_worker)
    ChildBackgroundFactory(
        child_obj=child, updated_by=social_worker, family_situation="Бабушкасымен тұрады."
    )
    meeting = meeting_on(date(2026, 11, 25), committee, [child])
    decide(committee, meeting, child, date(2027, 2, 25))
    db.session.commit()
    auth.log_in_as(committee)
    pages = [
        "/committee/due",
        f"/meetings/{meeting.id}",
        f"/meetings/{meeting.id}/children/{child.id}/decision",
    ]
    for path in pages:
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "Бабушкасымен" not in html and "Syria" not in html, path
    assert child.full_name in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
