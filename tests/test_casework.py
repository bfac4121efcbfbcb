"""The case worker records a child's background, consent and the case's closure (issue 5,
points 3 and 9): every write audited, bad input refused with nothing written, concurrent edits
kept apart."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.children import casefile
from app.children.background import ChildBackground, Consent, ConsentScope, Representative
from app.core.audit import AuditEvent
from app.extensions import db
from tests.authorisation import build_world
from tests.conftest import TODAY
from tests.factories import ChildBackgroundFactory


@pytest.fixture
def world(client, auth):
    world = build_world()
    auth.log_in_as(world.people["social_worker_a"])
    return world


def post(client, auth, world, path: str, **data):
    data.setdefault("csrf_token", auth.csrf_token())
    return client.post(f"/children/{world.child.id}{path}", data=data)


def background_data(**changes) -> dict:
    data = {
        "version": "0",
        "returned_from": "IQ",
        "returned_on": "2019-05-09",
        "family_situation": "Lives with her grandmother.",
        "parents_legal_notes": "",
    }
    return data | changes


def audited(action: str, record_type: str) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.record_id).where(
                AuditEvent.action == action, AuditEvent.record_type == record_type
            )
        )
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_case_worker_records_the_background_and_it_is_audited(client, auth, world):
    response = post(client, auth, world, "/background", **background_data())
    assert response.status_code == 303
    assert response.location.endswith(f"/children/{world.child.id}#background")
    saved = db.session.get(ChildBackground, world.child.id)
    assert (saved.returned_from, saved.returned_on) == ("IQ", date(2019, 5, 9))
    assert saved.family_situation == "Lives with her grandmother."
    assert (saved.version, saved.updated_by_id) == (1, world.people["social_worker_a"].id)
    assert audited("change", "child_background") == [str(world.child.id)]
    page = client.get(response.location).get_data(as_text=True)
    assert "Background saved." in page and "Iraq" in page


def test_saving_again_from_the_saved_version_changes_it(client, auth, world):
    post(client, auth, world, "/background", **background_data())
    response = post(
        client, auth, world, "/background", **background_data(version="1", returned_from="")
    )
    assert response.status_code == 303
    saved = db.session.get(ChildBackground, world.child.id)
    db.session.refresh(saved)
    assert (saved.version, saved.returned_from) == (2, None)


def test_a_concurrent_edit_is_refused_and_nobodys_text_is_overwritten(client, auth, world):
    ChildBackgroundFactory(
        child_obj=world.child,
        updated_by=world.people["social_worker_a"],
        family_situation="Their version, saved first.",
    )  # version 1: what both people opened
    db.session.execute(
        ChildBackground.__table__.update().values(
            family_situation="Their version, saved first.", version=2
        )
    )  # someone else saved meanwhile
    db.session.commit()
    response = post(
        client,
        auth,
        world,
        "/background",
        **background_data(version="1", family_situation="My version, typed meanwhile."),
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Nothing was overwritten" in page
    assert "Their version, saved first." in page and "My version, typed meanwhile." in page
    assert 'name="version" type="hidden" value="2"' in page  # saving again is a decision
    db.session.expire_all()
    assert db.session.get(ChildBackground, world.child.id).family_situation == (
        "Their version, saved first."
    )
    assert audited("change", "child_background") == []


def test_a_background_created_meanwhile_is_a_conflict_too(client, auth, world):
    ChildBackgroundFactory(child_obj=world.child, updated_by=world.people["social_worker_a"])
    response = post(client, auth, world, "/background", **background_data(version="0"))
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"returned_from": "XX"}, "Not a valid choice."),
        ({"returned_on": "2026-12-01"}, "The day the child came home cannot be in the future."),
        ({"returned_on": "09.05.2019x"}, "Not a valid date value."),
        ({"family_situation": "x" * 5001}, "Field cannot be longer than 5000 characters."),
        ({"version": "one"}, "This form is damaged. Please reload the page and try again."),
    ],
)
def test_bad_background_input_is_refused_and_nothing_is_written(
    client, auth, world, changes, message
):
    response = post(client, auth, world, "/background", **background_data(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(ChildBackground) == 0
    assert audited("change", "child_background") == []


@pytest.mark.parametrize("field", ["class_id", "role", "child_id", "updated_by_id"])
def test_posting_a_field_the_form_does_not_take_is_refused_and_writes_nothing(
    client, auth, world, field
):
    class_before = world.child.class_id
    response = post(client, auth, world, "/background", **background_data(), **{field: "x"})
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert count(ChildBackground) == 0
    db.session.refresh(world.child)
    assert world.child.class_id == class_before


@pytest.mark.parametrize("path", ["/consents", "/case", "/consents/{consent}/withdraw"])
def test_every_casework_form_refuses_a_field_it_does_not_take(client, auth, world, path):
    response = post(
        client, auth, world, path.format(consent=world.consent_id), role="administrator"
    )
    assert response.status_code == 400
    assert count(Consent) == 1
    db.session.refresh(world.child)
    assert world.child.case_closed_on is None


def test_the_case_worker_records_a_consent(client, auth, world):
    response = post(
        client,
        auth,
        world,
        "/consents",
        given_on="2026-10-01",
        scope=["casework", "health"],
        representative="state_body",
        document_reference=" N-44/2026 ",
    )
    assert response.status_code == 303
    consent = db.session.scalars(select(Consent).where(Consent.given_on == date(2026, 10, 1))).one()
    assert consent.scope == [ConsentScope.CASEWORK, ConsentScope.HEALTH]
    assert consent.representative is Representative.STATE_BODY
    assert consent.document_reference == "N-44/2026"
    assert consent.recorded_by_id == world.people["social_worker_a"].id
    assert audited("create", "consent") == [str(consent.id)]
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "Casework by the social worker; Health care" in page
    assert "State body (guardianship authority)" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scope": []}, "Choose at least one thing the consent covers."),
        ({"scope": ["everything"]}, "is not a valid choice"),
        ({"representative": "neighbour"}, "Not a valid choice."),
        ({"given_on": ""}, "Enter a valid date."),
        ({"given_on": "2026-11-19"}, "The day consent was given cannot be in the future."),
        ({"document_reference": "x" * 101}, "Field cannot be longer than 100 characters."),
    ],
)
def test_bad_consent_input_is_refused_and_nothing_is_written(client, auth, world, changes, message):
    data = {"given_on": "2026-10-01", "scope": ["schooling"], "representative": "mother"}
    response = post(client, auth, world, "/consents", **(data | changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Consent) == 1  # the world's own
    assert audited("create", "consent") == []


def test_a_withdrawal_is_recorded_and_the_consent_is_kept(client, auth, world):
    path = f"/consents/{world.consent_id}/withdraw"
    response = post(client, auth, world, path, withdrawn_on="2026-11-16")
    assert response.status_code == 303
    consent = db.session.get(Consent, world.consent_id)
    assert consent.withdrawn_on == date(2026, 11, 16)
    assert consent.withdrawn_by_id == world.people["social_worker_a"].id
    assert audited("withdraw", "consent") == [str(consent.id)]
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "Withdrawn on" in page and "November 16, 2026" in page
    assert f"{world.consent_id}/withdraw" not in page  # no second withdrawal offered


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [
        ("2026-08-31", "A consent cannot be withdrawn before the day it was given."),
        ("2026-11-19", "A withdrawal cannot be dated in the future."),
        ("soon", "Enter a valid date."),
    ],
)
def test_a_bad_withdrawal_is_refused(client, auth, world, withdrawn_on, message):
    path = f"/consents/{world.consent_id}/withdraw"
    response = post(client, auth, world, path, withdrawn_on=withdrawn_on)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.get(Consent, world.consent_id).withdrawn_on is None


def test_a_consent_is_withdrawn_only_once(client, auth, world):
    path = f"/consents/{world.consent_id}/withdraw"
    post(client, auth, world, path, withdrawn_on="2026-11-16")
    response = post(client, auth, world, path, withdrawn_on="2026-11-18")
    assert response.status_code == 422
    assert "already been withdrawn" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Consent, world.consent_id).withdrawn_on == date(2026, 11, 16)


def test_the_case_worker_closes_and_reopens_the_case(client, auth, world):
    response = post(client, auth, world, "/case", action="close", closed_on="2026-11-10")
    assert response.status_code == 303
    db.session.refresh(world.child)
    assert world.child.case_closed_on == date(2026, 11, 10)
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert "The case was closed on November 10, 2026." in page
    assert "5 years after the case was closed" in page
    response = post(client, auth, world, "/case", action="reopen")
    assert response.status_code == 303
    db.session.refresh(world.child)
    assert world.child.case_closed_on is None
    assert (
        audited("close_case", "child") == audited("reopen_case", "child") == [str(world.child.id)]
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "close", "closed_on": "2026-11-19"}, "cannot be closed on a day in the future"),
        ({"action": "close", "closed_on": ""}, "Enter a valid date."),
        ({"action": "close", "closed_on": "2021-11-17"}, "the record would be anonymised at once"),
        ({"action": "reopen"}, "This case is already open."),
        ({"action": "delete"}, "This form is damaged. Please reload the page and try again."),
    ],
)
def test_a_bad_case_change_is_refused(client, auth, world, data, message):
    response = post(client, auth, world, "/case", **data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(world.child)
    assert world.child.case_closed_on is None


def test_a_save_racing_another_between_read_and_write_is_a_conflict(world):
    """The version column guards the write itself: a save that passed the version check but
    lost the race to another one writes nothing."""
    background = ChildBackgroundFactory(
        child_obj=world.child, updated_by=world.people["social_worker_b"]
    )
    assert background.version == 1
    racing = ChildBackground.__table__.update().values(family_situation="Theirs.", version=2)
    db.session.connection().execute(racing)  # not seen by the object this session holds
    values = casefile.BackgroundValues(None, None, "Mine.", "")
    with pytest.raises(casefile.EditConflict):
        casefile.save_background(world.child, world.people["social_worker_a"], 1, values, TODAY)
    db.session.rollback()
    assert db.session.get(ChildBackground, world.child.id).family_situation != "Mine."
