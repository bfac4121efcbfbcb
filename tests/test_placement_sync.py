"""New placements recorded offline (the "placement" sync kind): sealed on the phone, created
exactly once under the phone's id, by the child's social worker only, held to the online
form's rules; the blank form is kept on the phone without restricted data."""

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from app.casework.models import Placement, PlacementCaregiver, PlacementKind
from app.core.audit import AuditEvent
from app.extensions import db
from tests.authorisation import build_world
from tests.casework_factories import PlacementFactory
from tests.factories import ChildBackgroundFactory
from tests.sealing import sealed_op
from tests.test_pwa import config_block

CAREGIVER = "Сәуле Ахметова"
PHONE = "+7 701 555 0199"


@pytest.fixture
def world(client, auth):
    world = build_world()
    worker = world.people["social_worker_a"]
    world.current = PlacementFactory(
        child_obj=world.child, worker=worker, kind=PlacementKind.MOTHER, district="DISTRICT-77"
    )
    auth.log_in_as(worker)
    return world


def payload(child, **changes) -> dict:
    return {
        "child_id": str(child.id),
        "kind": "relatives",
        "starts_on": "2026-11-02",
        "district": "Аудан А",
        "monthly_months": "6",
        "then_every_months": "3",
        "caregivers": [{"name": CAREGIVER, "relationship": "Әжесі", "phone": PHONE}],
    } | changes


def placement_op(child, record_id=None, **changes) -> dict:
    return sealed_op("placement", payload(child, **changes), record_id=record_id)


def sync(client, auth, *ops) -> list[dict]:
    response = client.post(
        "/api/sync",
        json={"device_id": str(uuid.uuid4()), "ops": list(ops)},
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert response.status_code == 200
    return response.get_json()["results"]


def placements(child) -> list[Placement]:
    db.session.expire_all()
    statement = select(Placement).where(Placement.child_id == child.id)
    return db.session.scalars(statement.order_by(Placement.starts_on)).all()


def audited(action: str) -> list[str]:
    statement = select(AuditEvent.record_id).where(AuditEvent.action == action)
    return [str(record_id) for record_id in db.session.scalars(statement)]


def switch_to(client, auth, user) -> None:
    client.post("/logout", data={"csrf_token": auth.csrf_token()})
    auth.log_in_as(user)


def test_a_placement_from_a_phone_is_recorded_exactly_once_and_ends_the_current_one(
    client, auth, world
):
    op = placement_op(world.child)
    (first,) = sync(client, auth, op)
    (again,) = sync(client, auth, op)
    # The same placement in another op (saved twice on the phone, or sent from the form).
    (other,) = sync(client, auth, placement_op(world.child, op["record_id"], district="Other"))
    assert (first["result"], again["result"], other["result"]) == (
        "applied",
        "duplicate",
        "applied",
    )
    old, new = placements(world.child)
    assert str(new.id) == op["record_id"] == first["record"]["id"]
    assert (old.ends_on, new.starts_on, new.ends_on) == (date(2026, 11, 1), date(2026, 11, 2), None)
    assert (new.kind, new.district, new.social_worker_id) == (
        PlacementKind.RELATIVES,
        "Аудан А",
        world.people["social_worker_a"].id,
    )
    assert [(c.name, c.relationship, c.phone) for c in new.caregivers] == [
        (CAREGIVER, "Әжесі", PHONE)
    ]
    assert audited("placement_create_sync") == [str(world.child.id)]
    assert audited("create_sync") == [op["record_id"]]
    page = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    assert CAREGIVER in page and "With relatives (kinship care)" in page


def test_a_placement_sent_from_the_form_and_again_from_the_phone_is_one_placement(
    client, auth, world
):
    placement_id = str(uuid.uuid4())
    form = {
        "csrf_token": auth.csrf_token(),
        "placement_id": placement_id,
        "kind": "relatives",
        "starts_on": "2026-11-02",
        "district": "",
        "monthly_months": "6",
        "then_every_months": "3",
    }
    url = f"/children/{world.child.id}/placements/new"
    assert client.post(url, data=form).status_code == 303
    assert client.post(url, data=form).status_code == 303  # the form sent twice
    (answer,) = sync(client, auth, placement_op(world.child, placement_id))
    assert answer["result"] == "applied"
    assert [str(p.id) for p in placements(world.child)][1:] == [placement_id]
    assert len(placements(world.child)) == 2


def test_a_placement_id_used_by_someone_else_is_refused(client, auth, world):
    theirs = PlacementFactory(child_obj=world.child_b, worker=world.people["social_worker_b"])
    (answer,) = sync(client, auth, placement_op(world.child, theirs.id))
    assert (answer["status"], answer["result"]) == (409, "rejected")
    assert (
        answer["reason"] == "This placement's id is already used. Discard it and record it again."
    )
    assert len(placements(world.child)) == 1 and placements(world.child)[0].ends_on is None
    url = f"/children/{world.child.id}/placements/new"
    form = {
        "csrf_token": auth.csrf_token(),
        "placement_id": str(theirs.id),
        "kind": "mother",
        "starts_on": "2026-11-02",
        "monthly_months": "6",
        "then_every_months": "3",
    }
    online = client.post(url, data=form)
    assert online.status_code == 409
    assert len(placements(world.child)) == 1


@pytest.mark.parametrize("person", ["social_worker_b", "teacher_a", "committee_a"])
def test_only_the_childs_social_worker_records_a_placement_from_a_phone(
    client, auth, world, person
):
    switch_to(client, auth, world.people[person])
    (answer,) = sync(client, auth, placement_op(world.child))
    assert (answer["status"], answer["result"]) == (404, "rejected")
    assert len(placements(world.child)) == 1
    assert str(world.child.id) in audited("refused")


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"starts_on": "2026-12-01"}, "A placement cannot start in the future."),
        ({"starts_on": "2026-03-02"}, "A new placement must start after the current one began"),
        ({"starts_on": ""}, "Since: Enter a valid date."),
        ({"kind": "orphanage"}, "Where the child lives: Not a valid choice."),
        ({"then_every_months": "0"}, "Then a visit every (months): "),
        ({"caregivers": [{"name": "x" * 201}]}, "Name: "),
        ({"caregivers": [{"name": "a"}] * 4}, "This entry is incomplete or damaged."),
        ({"caregivers": "Сәуле"}, "This entry is incomplete or damaged."),
        ({"district": ["a"]}, "This entry is incomplete or damaged."),
    ],
)
def test_a_bad_placement_from_a_phone_is_rejected_with_a_reason_and_nothing_is_written(
    client, auth, world, changes, reason
):
    (answer,) = sync(client, auth, placement_op(world.child, **changes))
    assert (answer["status"], answer["result"]) == (422, "rejected")
    assert answer["reason"].startswith(reason)
    (current,) = placements(world.child)
    assert current.ends_on is None
    assert db.session.scalar(select(func.count()).select_from(PlacementCaregiver)) == 0
    assert audited("placement_create_sync") == []


def test_a_placement_must_arrive_sealed(client, auth, world):
    op = placement_op(world.child)
    del op["sealed"]
    (answer,) = sync(client, auth, op | {"payload": payload(world.child)})
    assert (answer["status"], answer["result"]) == (422, "rejected")
    assert len(placements(world.child)) == 1


# -- the form kept on the phone -------------------------------------------------------------


def test_the_new_placement_forms_are_kept_on_the_phone_without_restricted_data(client, auth, world):
    ChildBackgroundFactory(
        child_obj=world.child,
        updated_by=world.people["social_worker_a"],
        family_situation="FAMILY-MARKER-91",
    )
    caregiver_marker = "CAREGIVER-MARKER-5"
    world.current.caregivers.append(PlacementCaregiver(name=caregiver_marker, phone="+7 1"))
    db.session.commit()
    pages = client.get("/api/offline-pages").get_json()["pages"]
    url = f"/children/{world.child.id}/placements/new"
    assert url in pages
    assert f"/children/{world.child_b.id}/placements/new" not in pages
    copy = client.get(url, headers={"X-Qadam-Purpose": "offline-copy"})
    assert copy.status_code == 200 and "X-Qadam-Restricted" not in copy.headers
    html = copy.get_data(as_text=True)
    assert 'id="placement-form"' in html and 'name="placement_id"' in html
    assert "With their mother" in html  # the current placement's kind, to be ended
    for marker in ("FAMILY-MARKER-91", caregiver_marker, "DISTRICT-77"):
        assert marker not in html
    assert audited("offline_copy") == [str(world.child.id)]
    assert "DISTRICT-77" in client.get(url).get_data(as_text=True)  # on screen: offered
    refused = client.post(url, data={"csrf_token": auth.csrf_token(), "kind": "mother"})
    assert refused.status_code == 422 and refused.headers["X-Qadam-Restricted"] == "1"
    switch_to(client, auth, world.people["teacher_a"])
    assert url not in client.get("/api/offline-pages").get_json()["pages"]


def test_the_phone_names_a_waiting_placement_in_its_language(client, auth, world):
    config = config_block(client.get("/caseload", headers={"Accept-Language": "en"}))
    assert config["strings"]["kinds"]["placement"] == "New placement"
    assert "placement" in config["outbox"]["sealed_kinds"]
