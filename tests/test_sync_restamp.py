"""A mark refused for the phone's clock, sent again re-stamped (issue 10, point 4)."""

from datetime import timedelta

from sqlalchemy import select

from app.core.models import utcnow
from app.extensions import db
from app.sync.models import SyncOp
from tests.test_sync import api, at, child, make_op, marks  # noqa: F401 - fixtures


def test_a_clock_ahead_is_refused_with_a_code_the_phone_can_act_on(api, child):  # noqa: F811
    [result] = api(make_op(child, "absent", utcnow() + timedelta(days=2))).json["results"]
    assert (result["status"], result["result"], result["code"]) == (422, "rejected", "clock_ahead")


def test_a_restamped_op_is_applied_and_keeps_the_time_first_given(api, child):  # noqa: F811
    first = utcnow() + timedelta(days=2)
    op = make_op(child, "absent", at(8, 30)) | {"restamped_from": first.isoformat()}
    [result] = api(op).json["results"]
    assert result["result"] == "applied" and len(marks()) == 1
    stored = db.session.scalars(select(SyncOp)).one()
    assert stored.restamped_from == first


def test_a_restamped_time_that_is_not_a_time_is_refused(api, child):  # noqa: F811
    for bad in ("yesterday", "2026-11-18T08:00:00", 12):
        op = make_op(child, "absent", at(8, 30)) | {"restamped_from": bad}
        [result] = api(op).json["results"]
        assert result["result"] == "rejected" and "code" not in result
    assert marks() == []
