"""Per-record need-to-know (issue 5, point 2): who reaches which children, and where each role
starts."""

from datetime import date

import pytest

from app.auth.models import Role
from app.children import enrolment
from app.children.access import can_reach
from app.extensions import db
from tests.authorisation import build_world
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory


@pytest.fixture
def world():
    return build_world()


def test_a_social_worker_sees_only_their_caseload(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    page = client.get("/caseload").get_data(as_text=True)
    assert world.child.full_name in page
    assert world.child_b.full_name not in page


def test_a_committee_member_sees_only_their_districts_children(client, auth, world):
    another_in_district = ChildFactory(school_class=SchoolClassFactory(school=world.school))
    auth.log_in_as(world.people["committee_a"])
    page = client.get("/district").get_data(as_text=True)
    assert world.child.full_name in page
    assert another_in_district.full_name in page
    assert world.child_b.full_name not in page


def test_the_committee_keeps_following_a_child_who_left_school_in_their_district(world):
    enrolment.enrol(world.child, world.school_class, date(2026, 9, 1))
    enrolment.leave(world.child, date(2026, 11, 2))
    db.session.commit()
    assert can_reach(world.people["committee_a"], world.child.id)
    assert not can_reach(world.people["committee_b"], world.child.id)
    assert not can_reach(world.people["teacher_a"], world.child.id)  # no longer in the class


def test_a_later_enrolment_of_another_child_does_not_hide_one_who_left_school(world):
    """Their own latest enrolment counts, not the latest of anyone's."""
    enrolment.enrol(world.child, world.school_class, date(2026, 9, 1))
    enrolment.leave(world.child, date(2026, 11, 2))
    enrolment.enrol(world.child_b, world.child_b.school_class, date(2026, 10, 1))
    db.session.commit()
    assert can_reach(world.people["committee_a"], world.child.id)


def test_a_child_who_moved_districts_is_followed_by_the_new_district(world):
    enrolment.enrol(world.child, world.school_class, date(2026, 9, 1))
    enrolment.enrol(world.child, world.child_b.school_class, date(2026, 10, 1))
    db.session.commit()
    assert can_reach(world.people["committee_b"], world.child.id)
    assert not can_reach(world.people["committee_a"], world.child.id)


def test_a_committee_member_without_a_district_reaches_no_one(world):
    member = UserFactory(role=Role.COMMITTEE_MEMBER, district=None)
    assert not can_reach(member, world.child.id)


def test_an_administrator_reaches_no_childs_record(client, auth, world):
    auth.log_in_as(world.people["admin_a"])
    assert client.get(f"/children/{world.child.id}").status_code == 404
    assert client.get(f"/admin/children/{world.child.id}").status_code == 200  # the roster


@pytest.mark.parametrize(
    ("person", "home"),
    [
        ("teacher_a", "/today"),
        ("social_worker_a", "/caseload"),
        ("committee_a", "/district"),
        ("admin_a", "/admin/"),
    ],
)
def test_each_role_starts_on_its_own_home_page(client, auth, world, person, home):
    auth.log_in_as(world.people[person])
    assert client.get("/").location == home


def test_a_social_worker_keeps_their_caseload_on_the_phone(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    pages = client.get("/api/offline-pages").get_json()["pages"]
    child = f"/children/{world.child.id}"
    # The forms for a home visit and a new placement, the To-do list (to mark a task done) and
    # the incident form (one for every child), to fill in where there is no signal.
    assert pages == [
        "/caseload",
        child,
        f"{child}/visits/new",
        f"{child}/placements/new",
        "/tasks",
        "/incidents/new",
    ]


def test_a_committee_member_keeps_nothing_but_their_home_page_on_a_device(client, auth, world):
    auth.log_in_as(world.people["committee_a"])
    assert client.get("/api/offline-pages").get_json()["pages"] == ["/district"]


def test_committee_members_see_who_viewed_or_changed_the_child(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    client.get(f"/children/{world.child.id}")
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(world.people["committee_a"])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "Who viewed or changed this child" in page
    assert world.people["teacher_a"].display_name in page


@pytest.mark.parametrize("person", ["teacher_a", "social_worker_a"])
def test_only_committee_members_see_who_viewed_the_child(client, auth, world, person):
    auth.log_in_as(world.people[person])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "Who viewed or changed this child" not in page
