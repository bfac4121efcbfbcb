"""Property: duplicates and reorderings of a sequence of ops end in the same state as
applying each op once, in order: the same current marks, the value recorded last on a device
being current, and every value sent either current or in the mark's history."""

import random
import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.attendance.models import AttendanceMark, AttendanceMarkHistory
from app.extensions import db
from app.sync.models import SyncOp
from app.sync.services import apply_batch
from tests.conftest import examples
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory

ALMATY = timezone(timedelta(hours=5))
DAYS = ("2026-11-17", "2026-11-18")
STATUSES = ("present", "absent", "late", "excused")

op_specs = st.lists(
    st.tuples(
        st.integers(0, 2),  # which child
        st.sampled_from(DAYS),
        st.sampled_from(STATUSES),
        st.integers(0, 600),  # minutes after 08:00 on the 18th
        st.integers(0, 3),  # base version: stale, current or from the future
        st.sampled_from([None, "ill", "family"]),
    ),
    min_size=1,
    max_size=12,
)


def build_ops(specs, children, class_id):
    ops = []
    for seq, (child, day, status, minutes, base, reason) in enumerate(specs):
        recorded_at = datetime(2026, 11, 18, 8, tzinfo=ALMATY) + timedelta(minutes=minutes)
        ops.append(
            {
                "op_id": str(uuid.uuid4()),
                "kind": "attendance_mark",
                "record_id": str(uuid.uuid4()),
                "base_version": base,
                "recorded_at": recorded_at.isoformat(),
                "seq": seq,
                "payload": {
                    "child_id": str(children[child].id),
                    "class_id": str(class_id),
                    "day": day,
                    "status": status,
                    "reason": None if status == "present" else reason,
                },
            }
        )
    return ops


def state():
    """Per child and day: the current value, and the values kept (current and history)."""
    db.session.expire_all()
    current, kept = {}, {}
    for mark in db.session.scalars(select(AttendanceMark)):
        key = (str(mark.child_id), mark.day.isoformat())
        current[key] = (mark.status.value, mark.reason, mark.recorded_at)
        kept.setdefault(key, set()).add((mark.status.value, mark.reason))
    for entry in db.session.scalars(select(AttendanceMarkHistory)):
        key = (str(entry.mark.child_id), entry.mark.day.isoformat())
        kept[key].add((entry.status.value, entry.reason))
    return current, kept


def expected(ops):
    """What the ops say should be kept: the value recorded last wins, none is lost."""
    winners, values = {}, {}
    for op in ops:
        p = op["payload"]
        key = (p["child_id"], p["day"])
        moment = datetime.fromisoformat(op["recorded_at"])
        candidate = (moment, p["status"], p["reason"] or "")
        if key not in winners or candidate > winners[key]:
            winners[key] = candidate
        values.setdefault(key, set()).add((p["status"], p["reason"]))
    return winners, values


def reset():
    for model in (AttendanceMarkHistory, AttendanceMark, SyncOp):
        db.session.execute(delete(model))
    db.session.commit()


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=op_specs, seed=st.randoms(use_true_random=False))
def test_duplicates_and_reorderings_converge(app, specs, seed: random.Random):
    teacher = UserFactory()
    school_class = SchoolClassFactory(teachers=[teacher])
    children = ChildFactory.create_batch(3, school_class=school_class)
    try:
        ops = build_ops(specs, children, school_class.id)
        with app.test_request_context():
            apply_batch(teacher, None, ops)
            once_in_order = state()
            reset()
            # Every op at least once, some several times, in any order and any batches.
            shuffled = ops + [seed.choice(ops) for _ in range(seed.randint(0, len(ops)))]
            seed.shuffle(shuffled)
            for start in range(0, len(shuffled), 3):
                batch = shuffled[start : start + 3]
                for op in batch:
                    op["seq"] = seed.randint(0, 50)  # arrival batches carry no useful order
                apply_batch(teacher, None, batch)
            assert state() == once_in_order
            current, kept = once_in_order
            winners, values = expected(ops)
            assert set(current) == set(winners)  # one mark per child and day
            for key, (moment, status, reason) in winners.items():
                assert (current[key][0], current[key][1] or "", current[key][2]) == (
                    status,
                    reason,
                    moment,
                )
            assert kept == values
    finally:
        reset()
        db.session.execute(delete(AttendanceMark))
