"""Fuzz of the outbox API (issue 10, point 16): whatever a body holds, POST /api/sync answers
without a 5xx, and no op is answered with a status of 500 or more.

The bodies mix well-formed ops of every kind (the sealed ones sealed as a phone seals them,
over payloads that are themselves valid-ish or garbage) with garbage in every field.
"""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.casework.visits import FIELDS
from tests.authorisation import build_world
from tests.conftest import Auth
from tests.sealing import seal

ALMATY = timezone(timedelta(hours=5))
KINDS = ("attendance_mark", "visit_report", "incident", "placement")
SEALED = {"visit_report", "incident", "placement"}
RESULTS = {"applied", "duplicate", "conflict", "superseded", "in_progress", "rejected"}

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**31 - 2, max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
garbage = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def either(valid):
    """Mostly the valid-ish value, sometimes garbage."""
    return st.one_of(valid, valid, valid, garbage)


uuids = st.uuids().map(str)
days = st.sampled_from(["2026-11-16", "2026-11-17", "2026-11-18", "0001-01-01", "9999-12-31"])
times = st.sampled_from(
    [
        "2026-11-18T08:14:00+05:00",
        "2026-11-17T08:00:00+05:00",
        "2026-11-18T08:14:00",  # no offset
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+14:00",
        (datetime.now(ALMATY) + timedelta(days=3)).isoformat(),
    ]
)
wire_values = st.sampled_from(["", "fine", "concern", "home_visit", "urgent", "2026-11-17", "x"])


def attendance_payload(world):
    return st.fixed_dictionaries(
        {
            "child_id": either(st.sampled_from([str(world.child.id), str(world.child_b.id)])),
            "class_id": either(st.just(str(world.school_class.id))),
            "day": either(days),
            "status": either(st.sampled_from(["present", "absent", "late", "excused"])),
            "reason": either(st.none() | st.text(max_size=5)),
        }
    )


def report_payload(world):
    change = st.fixed_dictionaries({"base": either(wire_values), "value": either(wire_values)})
    return st.fixed_dictionaries(
        {
            "child_id": either(st.just(str(world.child.id))),
            "fields": either(st.dictionaries(st.sampled_from([*FIELDS, "nope"]), either(change))),
        }
    )


def incident_payload(world):
    return st.fixed_dictionaries(
        {
            "child_id": either(st.just(str(world.child.id))),
            "occurred_on": either(days),
            "place": either(st.sampled_from(["classroom", "online", "yard"])),
            "involved": either(st.lists(st.sampled_from(["peers", "school_staff"]), max_size=2)),
            "what_happened": either(st.lists(st.sampled_from(["verbal", "physical"]), max_size=2)),
            "severity": either(st.sampled_from(["low", "serious", "high"])),
            "immediate_action": either(st.text(max_size=5)),
        }
    )


def placement_payload(world):
    caregiver = st.fixed_dictionaries({"name": either(st.text(max_size=5))})
    return st.fixed_dictionaries(
        {
            "child_id": either(st.just(str(world.child.id))),
            "kind": either(st.sampled_from(["relatives", "foster_family", "kinship"])),
            "starts_on": either(days),
            "district": either(st.text(max_size=5)),
            "monthly_months": either(st.integers(0, 12)),
            "then_every_months": either(st.integers(0, 12)),
            "caregivers": either(st.lists(caregiver, max_size=4)),
        }
    )


@st.composite
def ops(draw, world):
    kind = draw(st.sampled_from(KINDS))
    op = {
        "op_id": draw(either(uuids)),
        "kind": draw(either(st.just(kind))),
        "record_id": draw(either(uuids)),
        "base_version": draw(either(st.integers(0, 3))),
        "seq": draw(either(st.integers(0, 50))),
        "recorded_at": draw(either(times)),
    }
    if draw(st.booleans()):
        op["restamped_from"] = draw(either(times))
    payloads = {
        "attendance_mark": attendance_payload,
        "visit_report": report_payload,
        "incident": incident_payload,
        "placement": placement_payload,
    }
    payload = draw(either(payloads[kind](world)))
    if kind in SEALED and draw(st.integers(0, 4)):
        op["sealed"] = draw(either(st.just(seal(op, payload))))
    else:
        op["payload"] = payload
    for name in draw(st.lists(st.sampled_from(sorted(op)), max_size=2)):
        del op[name]  # a field left out
    return op


def bodies(world):
    batch = st.fixed_dictionaries(
        {"ops": st.lists(either(ops(world)), max_size=4)},
        optional={"device_id": either(uuids)},
    )
    return st.one_of(batch, batch, batch, garbage)


@pytest.fixture
def phones(app, client):
    """A logged-in teacher and social worker, each on a phone of their own."""
    world = build_world()
    sessions = []
    for key in ("teacher_a", "social_worker_a"):
        phone = app.test_client()
        phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        phone.environ_base["HTTP_ORIGIN"] = "http://localhost"
        auth = Auth(phone)
        auth.login(world.people[key])
        sessions.append((phone, auth.csrf_token()))
    return world, sessions


def test_no_body_makes_the_sync_api_fail(app, phones):
    world, sessions = phones

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(body=bodies(world), who=st.integers(0, 1))
    def check(body, who):
        phone, token = sessions[who]
        response = phone.post("/api/sync", json=body, headers={"X-CSRFToken": token})
        assert response.status_code < 500, response.get_data(as_text=True)
        if response.status_code == 200:
            for answer in response.get_json()["results"]:
                assert answer["status"] < 500, (body, answer)
                assert answer["result"] in RESULTS

    check()
