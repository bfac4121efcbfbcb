"""A child's restricted background (issue 5, point 3): the child's social worker and the
committee see it; it never reaches a teacher's pages, fragments, JSON, or a copy on a phone."""

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.children.background import ChildBackground, ReturnedFrom
from app.core.audit import AuditEvent
from app.extensions import db
from tests.authorisation import TABLE, build_world
from tests.factories import ChildBackgroundFactory, ConsentFactory
from tests.test_authorisation import _attendance_op

FAMILY = "FAMILY-MARKER-5b1e: lives with an aunt"
LEGAL = "LEGAL-MARKER-c07d: proceedings pending"
DOCUMENT = "DOC-MARKER-7731"
RETURNED_ON = date(2019, 5, 9)
# Every way a background value could be written into a page or a JSON answer.
MARKERS = [FAMILY, LEGAL, "FAMILY-MARKER", "LEGAL-MARKER", DOCUMENT, "Syria"]
MARKERS += [RETURNED_ON.isoformat(), "May 9, 2019", 'id="background"']


@pytest.fixture
def world():
    world = build_world()
    ChildBackgroundFactory(
        child_obj=world.child,
        updated_by=world.people["social_worker_a"],
        returned_from=ReturnedFrom.SYRIA,
        returned_on=RETURNED_ON,
        family_situation=FAMILY,
        parents_legal_notes=LEGAL,
    )
    ConsentFactory(
        child_obj=world.child,
        recorded_by=world.people["social_worker_a"],
        document_reference=DOCUMENT,
    )
    return world


def leaked(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


def switch_to(client, auth, user) -> None:
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(user)


def test_no_background_value_reaches_anything_a_teacher_can_fetch(client, auth, world):
    auth.log_in_as(world.people["teacher_a"])
    answers = {}
    for row in TABLE:
        if row.method == "GET" and "teacher_a" in row.allowed:
            answers[row.endpoint] = client.get(row.path(world))
    roll_call = f"/classes/{world.school_class.id}/roll-call"
    answers["roll call fragment"] = client.get(roll_call, headers={"HX-Request": "true"})
    for page in client.get("/api/offline-pages").get_json()["pages"]:
        copy = client.get(page, headers={"X-Qadam-Purpose": "offline-copy"})
        answers[f"offline copy of {page}"] = copy
    answers["sync"] = client.post(
        "/api/sync", json=_attendance_op(world), headers={"X-CSRFToken": auth.csrf_token()}
    )
    assert {"children.child", "attendance.roll_call", "sync.offline_pages"} <= set(answers)
    assert f"offline copy of /children/{world.child.id}" in answers
    for name, response in answers.items():
        assert response.status_code == 200, name
        assert leaked(response.get_data(as_text=True)) == [], name
    assert answers["sync"].get_json()["results"][0]["result"] == "applied"

    # The same values do show where they belong: this test can fail.
    for person in ("social_worker_a", "committee_a"):
        switch_to(client, auth, world.people[person])
        page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
        assert {FAMILY, LEGAL, DOCUMENT, "Syria", "May 9, 2019"} <= set(leaked(page)), person


def test_the_copy_of_a_childs_page_kept_on_a_phone_holds_no_background(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    pages = client.get("/api/offline-pages").get_json()["pages"]
    assert f"/children/{world.child.id}" in pages
    for page in pages:
        copy = client.get(page, headers={"X-Qadam-Purpose": "offline-copy"})
        assert copy.status_code == 200
        assert leaked(copy.get_data(as_text=True)) == [], page
        assert "X-Qadam-Restricted" not in copy.headers


def test_a_page_showing_the_background_tells_the_service_worker_not_to_keep_it(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    on_screen = client.get(f"/children/{world.child.id}")
    assert on_screen.headers["X-Qadam-Restricted"] == "1"
    assert "X-Qadam-Purpose" in on_screen.headers["Vary"]
    assert on_screen.headers["Cache-Control"].startswith("no-store")
    worker = client.get("/sw.js").get_data(as_text=True)
    assert 'const RESTRICTED_HEADER = "X-Qadam-Restricted"' in worker
    assert "!response.headers.has(RESTRICTED_HEADER)" in worker
    switch_to(client, auth, world.people["teacher_a"])
    assert "X-Qadam-Restricted" not in client.get(f"/children/{world.child.id}").headers


def test_the_committee_reads_the_background_without_any_form(client, auth, world):
    auth.log_in_as(world.people["committee_a"])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert FAMILY in page and "Grandparent" in page
    assert "<form" not in page.split('id="background"')[1].split("</section>")[0]


def test_the_case_worker_gets_the_forms(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    child = f"/children/{world.child.id}"
    for action in ("background", "consents", f"consents/{world.consent_id}/withdraw", "case"):
        assert f'action="{child}/{action}"' in page


def test_country_names_are_in_the_readers_language(client, auth, world):
    world.people["social_worker_a"].preferred_language = "ru"
    db.session.commit()
    auth.log_in_as(world.people["social_worker_a"])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "Сирия" in page and "Ирак" in page  # shown, and offered in the form


def test_reading_the_background_is_audited_and_a_teachers_view_is_not(client, auth, world):
    for person in ("teacher_a", "social_worker_a", "committee_a"):
        switch_to(client, auth, world.people[person])
        client.get(f"/children/{world.child.id}")
    readers = db.session.scalars(
        select(AuditEvent.user_id).where(
            AuditEvent.action == "view",
            AuditEvent.record_type == "child_background",
            AuditEvent.record_id == str(world.child.id),
        )
    ).all()
    assert sorted(map(str, readers)) == sorted(
        str(world.people[p].id) for p in ("social_worker_a", "committee_a")
    )


def test_an_offline_copy_is_audited_as_a_copy_without_a_background_read(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    client.get(f"/children/{world.child.id}", headers={"X-Qadam-Purpose": "offline-copy"})
    events = db.session.execute(select(AuditEvent.action, AuditEvent.record_type)).all()
    assert ("offline_copy", "child") in events
    assert not any(record_type == "child_background" for _action, record_type in events)


def test_a_child_without_a_background_says_so(client, auth):
    world = build_world()
    auth.log_in_as(world.people["committee_a"])
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "No background has been recorded." in page
    assert db.session.get(ChildBackground, world.child.id) is None


def test_a_consent_of_another_child_cannot_be_withdrawn_through_this_one(client, auth, world):
    other = ConsentFactory(child_obj=world.child_b, recorded_by=world.people["social_worker_b"])
    auth.log_in_as(world.people["social_worker_a"])
    response = client.post(
        f"/children/{world.child.id}/consents/{other.id}/withdraw",
        data={"csrf_token": auth.csrf_token(), "withdrawn_on": "2026-11-18"},
    )
    assert response.status_code == 404
    db.session.refresh(other)
    assert other.withdrawn_on is None


def test_an_unknown_consent_is_not_found(client, auth, world):
    auth.log_in_as(world.people["social_worker_a"])
    response = client.post(
        f"/children/{world.child.id}/consents/{uuid.uuid4()}/withdraw",
        data={"csrf_token": auth.csrf_token(), "withdrawn_on": "2026-11-18"},
    )
    assert response.status_code == 404
