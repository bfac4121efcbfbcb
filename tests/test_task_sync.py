"""A task marked on a phone that was offline (the "task_mark" sync kind, issue 14, point 5):
applied once whatever is sent twice, refused in the person's words, and a task someone else
marked meanwhile answered as a conflict for a person, never overwritten."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.tasks.models import TaskMark, TaskStatus
from tests.committee_helpers import count, worker
from tests.test_tasks import Scene, mark


@pytest.fixture
def scene(auth):
    scene = Scene()
    auth.log_in_as(scene.worker)
    return scene


def op(task, base_version=None, op_id=None, **payload) -> dict:
    return {
        "op_id": op_id or str(uuid.uuid4()),
        "kind": "task_mark",
        "record_id": str(task.id),
        "base_version": task.version if base_version is None else base_version,
        "recorded_at": datetime(2026, 11, 18, 9, 30, tzinfo=UTC).isoformat(),
        "seq": 1,
        "payload": {"child_id": str(task.child_id), "mark_id": str(uuid.uuid4()), "status": "done"}
        | payload,
    }


def sync(client, auth, *ops) -> list[dict]:
    response = client.post(
        "/api/sync",
        json={"device_id": str(uuid.uuid4()), "ops": list(ops)},
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert response.status_code == 200
    return response.get_json()["results"]


def test_a_task_marked_offline_is_recorded_once(client, auth, scene):
    task = scene.task("Психологқа жазу")
    sent = op(task, note="Психологқа жазылды")
    [answer] = sync(client, auth, sent)
    assert answer["result"] == "applied" and answer["record"]["status"] == "done"
    [again] = sync(client, auth, sent)  # the answer was lost: the outbox sends it again
    assert again["result"] == "duplicate"
    stored = scene.task("Психологқа жазу")
    assert (stored.status, stored.note, stored.marked_by_id) == (
        TaskStatus.DONE,
        "Психологқа жазылды",
        scene.worker.id,
    )
    assert stored.marked_at == datetime(2026, 11, 18, 9, 30, tzinfo=UTC)  # when it was done
    assert count(TaskMark) == 1


def test_a_mark_sent_from_the_form_then_from_the_outbox_is_one(client, auth, scene):
    task = scene.task("Психологқа жазу")
    version, mark_id = task.version, str(uuid.uuid4())
    assert mark(client, auth, task, mark_id=mark_id, note="Жасалды").status_code == 303
    [answer] = sync(client, auth, op(task, base_version=version, mark_id=mark_id, note="Жасалды"))
    assert answer["result"] == "applied"
    assert count(TaskMark) == 1 and scene.task("Психологқа жазу").version == version + 1


def test_a_task_marked_meanwhile_is_a_conflict_kept_for_a_person(client, auth, scene):
    task = scene.task("Психологқа жазу")
    seen = task.version
    assert mark(client, auth, task, status="blocked", note="Психолог жоқ").status_code == 303
    [answer] = sync(client, auth, op(task, base_version=seen, note="Телефоннан: жасалды"))
    assert answer["result"] == "conflict"
    assert answer["link"] == f"/tasks/{task.id}"
    assert "Someone else marked this task meanwhile" in answer["reason"]
    stored = scene.task("Психологқа жазу")
    assert (stored.status, stored.note) == (TaskStatus.BLOCKED, "Психолог жоқ")  # not overwritten
    kept = db.session.scalars(select(TaskMark).where(TaskMark.applied.is_(False))).one()
    assert kept.note == "Телефоннан: жасалды"
    page = client.get(answer["link"]).get_data(as_text=True)
    assert "Телефоннан: жасалды" in page and "Not recorded" in page


def test_a_withdrawn_task_marked_offline_is_a_conflict(client, auth, scene):
    task = scene.task("Жәрдемақы")
    seen = task.version
    scene.decide([], corrects=scene.decision.id)  # the correction asks for nothing more
    [answer] = sync(client, auth, op(task, base_version=seen))
    assert answer["result"] == "conflict" and "no longer asked for" in answer["reason"]
    assert scene.task("Жәрдемақы").status is TaskStatus.WITHDRAWN


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"status": "blocked", "note": ""}, "Укажите, что мешает выполнить задачу."),
        ({"note": "x" * 1001}, "1000"),
        ({"status": "open"}, "Эта запись неполна"),
    ],
)
def test_a_bad_mark_from_a_phone_is_refused_in_the_persons_language(
    client, auth, scene, payload, words
):
    scene.worker.preferred_language = "ru"
    db.session.commit()
    [answer] = sync(client, auth, op(scene.task("Психологқа жазу"), **payload))
    assert answer["result"] == "rejected" and 400 <= answer["status"] < 500
    assert words in answer["reason"]
    assert count(TaskMark) == 0


def test_another_social_workers_phone_cannot_mark_the_task(client, auth, scene):
    auth.log_in_as(worker())
    [answer] = sync(client, auth, op(scene.task("Психологқа жазу")))
    assert (answer["result"], answer["status"]) == ("rejected", 404)
    assert scene.task("Психологқа жазу").status is TaskStatus.OPEN and count(TaskMark) == 0


def test_a_teacher_marks_the_schools_task_from_a_phone(client, auth, scene):
    auth.log_in_as(scene.teacher)
    [answer] = sync(client, auth, op(scene.task("Тілдік қолдау сабағы"), note="Сабақ басталды"))
    assert answer["result"] == "applied"
    [refused] = sync(client, auth, op(scene.task("Психологқа жазу")))
    assert refused["status"] == 404
