"""Field-level merge for records other than attendance: what applies, what waits for a person."""

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.extensions import db
from app.sync.merge import FieldChanges, merge_op, resolve
from app.sync.models import RESOLVED, SyncConflict
from app.sync.registry import Op
from tests.factories import ChildFactory, UserFactory

EDITABLE = {"home_languages", "needs_language_support", "patronymic"}


def op_changing(**fields):
    return Op(
        op_id=uuid.uuid4(),
        kind="example",
        record_id=uuid.uuid4(),
        base_version=1,
        recorded_at=datetime(2026, 11, 18, 4, tzinfo=UTC),
        seq=1,
        payload=FieldChanges.model_validate(
            {"fields": {name: {"base": b, "value": v} for name, (b, v) in fields.items()}}
        ),
    )


@pytest.fixture
def child():
    return ChildFactory(home_languages="kk", needs_language_support=False, patronymic="Серікқызы")


def test_fields_the_server_did_not_change_are_applied(app, child):
    user = UserFactory()
    with app.test_request_context():
        outcome = merge_op(
            child, "child", op_changing(home_languages=("kk", "ar,kk")), user, EDITABLE
        )
    assert outcome.result == "applied"
    assert child.home_languages == "ar,kk"
    assert db.session.scalars(select(SyncConflict)).all() == []


def test_fields_both_sides_changed_wait_for_a_person_and_the_rest_apply(app, child):
    user = UserFactory()
    child.home_languages = "kk,ru"  # changed on the server after the device read "kk"
    db.session.commit()
    op = op_changing(home_languages=("kk", "ar,kk"), needs_language_support=(False, True))
    with app.test_request_context():
        outcome = merge_op(child, "child", op, user, EDITABLE)
    assert outcome.result == "conflict"
    assert "home_languages" in outcome.reason
    assert child.needs_language_support is True  # no overlap: applied
    assert child.home_languages == "kk,ru"  # overlap: the server's value stays for now
    [conflict] = db.session.scalars(select(SyncConflict)).all()
    assert json.loads(conflict.fields) == {
        "home_languages": {"base": "kk", "server": "kk,ru", "device": "ar,kk"}
    }
    assert (conflict.record_type, conflict.record_id, conflict.op_id) == (
        "child",
        child.id,
        op.op_id,
    )


def test_both_sides_making_the_same_change_is_no_conflict(app, child):
    child.patronymic = "Болатқызы"
    db.session.commit()
    with app.test_request_context():
        outcome = merge_op(
            child,
            "child",
            op_changing(patronymic=("Серікқызы", "Болатқызы")),
            UserFactory(),
            EDITABLE,
        )
    assert outcome.result == "applied"


def test_a_field_the_user_may_not_set_is_refused(app, child):
    with app.test_request_context(), pytest.raises(InvalidInput):
        merge_op(
            child,
            "child",
            op_changing(birth_date=("2015-01-01", "2010-01-01")),
            UserFactory(),
            EDITABLE,
        )


def test_a_person_resolves_a_conflict_field_by_field(app, child):
    user, resolver = UserFactory(), UserFactory()
    child.home_languages = "kk,ru"
    child.patronymic = "Болатқызы"
    db.session.commit()
    op = op_changing(home_languages=("kk", "ar,kk"), patronymic=("Серікқызы", "Ерланқызы"))
    with app.test_request_context():
        merge_op(child, "child", op, user, EDITABLE)
        conflict = db.session.scalars(select(SyncConflict)).one()
        resolve(conflict, child, {"home_languages": "device", "patronymic": "server"}, resolver)
        with pytest.raises(InvalidInput):
            resolve(conflict, child, {"home_languages": "server", "patronymic": "server"}, resolver)
    assert (child.home_languages, child.patronymic) == ("ar,kk", "Болатқызы")
    assert (conflict.state, conflict.resolved_by_id) == (RESOLVED, resolver.id)


def test_a_field_the_device_sent_unchanged_is_left_as_the_server_has_it(app, child):
    child.home_languages = "kk,ru"  # changed on the server after the device read "kk"
    db.session.commit()
    op = op_changing(home_languages=("kk", "kk"), patronymic=("Серікқызы", "Болатқызы"))
    with app.test_request_context():
        outcome = merge_op(child, "child", op, UserFactory(), EDITABLE)
    assert outcome.result == "applied"
    assert (child.home_languages, child.patronymic) == ("kk,ru", "Болатқызы")
    assert db.session.scalars(select(SyncConflict)).all() == []


def test_an_op_continuing_the_devices_own_state_is_applied_over_its_earlier_one(app, child):
    """The device's previous op left the record at this version: nobody changed it since."""
    child.home_languages = "ar,kk"  # what the device's previous op wrote
    db.session.commit()
    op = replace(op_changing(home_languages=("kk", "ru")), own_version=child.version)
    with app.test_request_context():
        outcome = merge_op(child, "child", op, UserFactory(), EDITABLE)
    assert outcome.result == "applied"
    assert child.home_languages == "ru"
    stale = replace(op_changing(home_languages=("kk", "kk,en")), own_version=child.version - 1)
    with app.test_request_context():
        assert merge_op(child, "child", stale, UserFactory(), EDITABLE).result == "conflict"
