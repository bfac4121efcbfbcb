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
SEALED_WITH = ("op_id", "kind", "record_id")  # what a sealed payload is bound to
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


# Values that have broken parsers before: JSON's 1e999 (infinity), huge numbers, containers
# where a text is expected (unhashable), look-alikes of the right type.
nasty = st.sampled_from(
    [
        *(float("inf"), float("-inf"), float("nan"), 1e300, 2**31, 2**64, -1, 1.5, True),
        *([], {}, "", [1], {"a": 1}, "0" * 30, "1e999", "²", "٣", "2026-13-45", "0000-00"),
    ]
)


def spoiled(draw, values: dict) -> dict:
    """`values` with up to two of its fields replaced by something nasty, or left out."""
    count = draw(st.sampled_from((0, 0, 0, 0, 1, 1, 2)))
    names = draw(
        st.lists(st.sampled_from(sorted(values)), min_size=count, max_size=count, unique=True)
    )
    for name in names:
        values[name] = draw(st.one_of(nasty, garbage, st.just(OMITTED)))
    return {name: value for name, value in values.items() if value is not OMITTED}


OMITTED = object()


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


@st.composite
def attendance_payload(draw, world) -> dict:
    payload = {
        "child_id": draw(st.sampled_from([str(world.child.id), str(world.child_b.id)])),
        "class_id": str(world.school_class.id),
        "day": draw(days),
        "status": draw(st.sampled_from(["present", "absent", "late", "excused"])),
        "reason": draw(st.none() | st.text(max_size=5)),
    }
    return spoiled(draw, payload)


@st.composite
def report_payload(draw, world) -> dict:
    names = draw(st.lists(st.sampled_from([*FIELDS, "nope"]), max_size=5, unique=True))
    fields = {
        name: spoiled(draw, {"base": draw(wire_values), "value": draw(wire_values)})
        for name in names
    }
    return spoiled(draw, {"child_id": str(world.child.id), "fields": fields})


@st.composite
def incident_payload(draw, world) -> dict:
    payload = {
        "child_id": str(world.child.id),
        "occurred_on": draw(days),
        "place": draw(st.sampled_from(["classroom", "online", "yard"])),
        "involved": draw(st.lists(st.sampled_from(["peers", "school_staff"]), max_size=2)),
        "what_happened": draw(st.lists(st.sampled_from(["verbal", "physical"]), max_size=2)),
        "severity": draw(st.sampled_from(["low", "serious", "high"])),
        "immediate_action": draw(st.text(max_size=5)),
    }
    return spoiled(draw, payload)


@st.composite
def placement_payload(draw, world) -> dict:
    caregiver = {"name": draw(st.text(max_size=5)), "relationship": "aunt", "phone": ""}
    payload = {
        "child_id": str(world.child.id),
        "kind": draw(st.sampled_from(["relatives", "foster_family", "kinship"])),
        "starts_on": draw(days),
        "district": draw(st.text(max_size=5)),
        "monthly_months": draw(st.integers(0, 12)),
        "then_every_months": draw(st.integers(0, 12)),
        "caregivers": [spoiled(draw, caregiver)] * draw(st.integers(0, 4)),
    }
    return spoiled(draw, payload)


PAYLOADS = {
    "attendance_mark": attendance_payload,
    "visit_report": report_payload,
    "incident": incident_payload,
    "placement": placement_payload,
}


@st.composite
def ops(draw, world) -> dict:
    """An op of any kind: well-formed, sealed as a phone seals it, then maybe spoiled."""
    kind = draw(st.sampled_from(KINDS))
    op = {
        "op_id": draw(uuids),
        "kind": kind,
        "record_id": draw(uuids),
        "base_version": draw(st.integers(0, 3)),
        "seq": draw(st.integers(0, 50)),
        "recorded_at": draw(times),
    }
    if draw(st.booleans()):
        op["restamped_from"] = draw(times)
    op = spoiled(draw, op)
    payload = draw(PAYLOADS[kind](world) | garbage)
    if kind in SEALED and draw(st.booleans()):
        op["sealed"] = seal({name: op.get(name) for name in SEALED_WITH}, payload)
    else:
        op["payload"] = payload
    return spoiled(draw, op) if draw(st.sampled_from((False,) * 5 + (True,))) else op


@st.composite
def batches(draw, world) -> dict:
    mixed = st.sampled_from(("op",) * 6 + ("garbage",))
    count = draw(st.integers(1, 4))
    items = [draw(ops(world) if draw(mixed) == "op" else garbage) for _ in range(count)]
    return spoiled(draw, {"device_id": draw(uuids), "ops": items})


def bodies(world):
    shape = st.sampled_from(("batch",) * 6 + ("garbage",))
    return shape.flatmap(lambda chosen: batches(world) if chosen == "batch" else garbage)


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
        auth.log_in_as(world.people[key])
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
