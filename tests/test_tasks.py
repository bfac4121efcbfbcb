"""Follow-through (issue 14, point 5, with points 8 and 10): the committee's actions and the
actions agreed at visits become tasks on their assignee's To-do list; overdue ones are alerts
and a count in the header; a task is marked done with a note or blocked with the reason; the
review summary shows what was done, and the due list's "overdue action" reads the same status."""

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.casework import visits
from app.casework.models import VisitAction
from app.committee import decisions
from app.committee.decisions import ActionInput, DecisionInput
from app.committee.due import reasons
from app.committee.models import Assignee, Outcome
from app.extensions import db
from app.tasks import services
from app.tasks.models import Task, TaskMark, TaskStatus
from tests.committee_helpers import (
    count,
    district_class,
    followed_child,
    meeting_on,
    member,
    worker,
)
from tests.conftest import TODAY, count_queries
from tests.factories import ChildBackgroundFactory, ChildFactory, SchoolClassFactory, UserFactory

NOTE = "Отбасы жағдайы туралы құпия ескертпе"
BACKGROUND = "Lives with her grandmother and two brothers."


class Scene:
    """A district class with its teacher, a child of it followed by a social worker, and the
    committee's decision on the child with three actions: the social worker's, the school's
    and another service's."""

    def __init__(self):
        self.committee = member()
        self.worker = worker()
        self.teacher = UserFactory(role=Role.TEACHER)
        self.klass = district_class()
        self.klass.teachers.append(self.teacher)
        self.child = followed_child(self.klass, self.worker, date(2026, 8, 1))
        ChildBackgroundFactory(child_obj=self.child, updated_by=self.worker)
        self.meeting = meeting_on(date(2026, 11, 5), self.committee, [self.child])
        self.decision = self.decide(
            [
                ActionInput("Психологқа жазу", Assignee.SOCIAL_WORKER, "", date(2026, 12, 1)),
                ActionInput("Тілдік қолдау сабағы", Assignee.SCHOOL, "", date(2026, 12, 5)),
                ActionInput("Жәрдемақы", Assignee.OTHER_SERVICE, "Әлеуметтік бөлім", TODAY),
            ]
        )

    def decide(self, actions, corrects=None):
        data = DecisionInput(
            uuid.uuid4(), Outcome.CONTINUE, date(2027, 2, 18), note=NOTE, actions=actions
        )
        data = DecisionInput(**{**data.__dict__, "corrects_id": corrects})
        decision = decisions.record(self.committee, self.meeting, self.child.id, data)
        db.session.commit()
        return decision

    def task(self, what: str) -> Task:
        """The task as stored now (changes made in the test are flushed first)."""
        statement = select(Task).where(Task.what == what)
        return db.session.scalars(statement.execution_options(populate_existing=True)).one()


@pytest.fixture
def scene():
    return Scene()


def mark(client, auth, task, **fields):
    data = {"mark_id": str(uuid.uuid4()), "version": str(task.version), "status": "done"}
    return client.post(
        f"/tasks/{task.id}/mark", data={"csrf_token": auth.csrf_token(), **data, **fields}
    )


def test_a_decisions_actions_become_tasks_on_the_social_workers_list(client, auth, scene):
    auth.log_in_as(scene.worker)
    page = client.get("/tasks").get_data(as_text=True)
    assert "Психологқа жазу" in page and "Жәрдемақы" in page
    assert (
        "Carried out by: <bdi>Әлеуметтік бөлім</bdi>" in page
    )  # a service's task, followed by them
    assert "Тілдік қолдау сабағы" not in page  # the school's is the class teacher's
    caseload = client.get("/caseload").get_data(as_text=True)
    assert 'href="/tasks"' in caseload  # the header's link, on the caseload page too


def test_the_teachers_list_holds_the_schools_tasks_for_their_pupils_worded_without_background(
    client, auth, scene
):
    other_class = SchoolClassFactory(school=scene.klass.school)
    other_teacher = UserFactory(role=Role.TEACHER)
    other_class.teachers.append(other_teacher)
    db.session.commit()
    auth.log_in_as(scene.teacher)
    page = client.get("/tasks").get_data(as_text=True)
    assert "Тілдік қолдау сабағы" in page and scene.child.family_name in page
    assert "Психологқа жазу" not in page and "Жәрдемақы" not in page
    assert NOTE not in page and BACKGROUND not in page  # nor the decision's note
    auth.log_in_as(other_teacher)
    assert "Тілдік қолдау сабағы" not in client.get("/tasks").get_data(as_text=True)
    school_task = scene.task("Тілдік қолдау сабағы")
    assert client.get(f"/tasks/{school_task.id}").status_code == 404
    assert mark(client, auth, school_task).status_code == 404


def test_a_visits_agreed_actions_become_tasks_and_an_edit_keeps_them(client, auth, scene):
    values = visits.BLANK | {
        "kind": "home_visit",
        "visited_on": "2026-11-16",
        "outcome": "follow_up",
        "actions": [
            {"what": "Анықтама әкелу", "who": "Анасы", "by_when": "2026-11-20"},
            {"what": "Дәрігерге бару", "who": "", "by_when": ""},
        ],
    }
    report = visits.create_report(uuid.uuid4(), scene.child, scene.worker, values)
    db.session.commit()
    auth.log_in_as(scene.worker)
    page = client.get("/tasks").get_data(as_text=True)
    assert "Анықтама әкелу" in page and "Agreed with: <bdi>Анасы</bdi>" in page
    assert "No date agreed" in page
    kept = scene.task("Анықтама әкелу")
    assert mark(client, auth, kept, note="Әкелді").status_code == 303
    changed = values | {"actions": [values["actions"][0]]}  # the second is no longer agreed
    report = db.session.get(type(report), report.id)
    visits.edit_report(report, scene.worker, report.version, changed)
    db.session.commit()
    assert scene.task("Анықтама әкелу").status is TaskStatus.DONE  # the same task, still done
    assert scene.task("Дәрігерге бару").status is TaskStatus.WITHDRAWN
    assert db.session.scalars(select(VisitAction.task_id)).one() == kept.id


def test_a_correction_carries_over_its_tasks_and_withdraws_the_others(client, auth, scene):
    auth.log_in_as(scene.worker)
    done = scene.task("Психологқа жазу")
    assert mark(client, auth, done, note="Жазылды").status_code == 303
    scene.decide(
        [
            ActionInput("Психологқа жазу", Assignee.SOCIAL_WORKER, "", date(2026, 12, 1)),
            ActionInput("Үйге бару", Assignee.SOCIAL_WORKER, "", date(2026, 12, 20)),
        ],
        corrects=scene.decision.id,
    )
    tasks = {t.what: t.status for t in db.session.scalars(select(Task))}
    assert tasks == {
        "Психологқа жазу": TaskStatus.DONE,  # carried over with what was done
        "Үйге бару": TaskStatus.OPEN,
        "Тілдік қолдау сабағы": TaskStatus.WITHDRAWN,
        "Жәрдемақы": TaskStatus.WITHDRAWN,
    }
    page = client.get("/tasks").get_data(as_text=True)
    assert "Үйге бару" in page and "Жәрдемақы" not in page


def test_overdue_tasks_are_an_alert_and_a_count_in_the_header_each_in_one_query(
    client, auth, scene, frozen_today
):
    for what in ("Психологқа жазу", "Жәрдемақы"):
        scene.task(what).due_on = date(2026, 11, 10)
    db.session.commit()
    assert scene.worker.role is Role.SOCIAL_WORKER  # loaded before counting
    with count_queries() as counted:
        assert services.overdue_count(scene.worker, TODAY) == 2
    with count_queries() as grouped:
        [(child_id, _f, _g, overdue, since)] = services.overdue_by_child(scene.worker, TODAY)
    assert len(counted) == 1 and len(grouped) == 1
    assert (child_id, overdue, since) == (scene.child.id, 2, date(2026, 11, 10))
    auth.log_in_as(scene.worker)
    caseload = client.get("/caseload").get_data(as_text=True)
    assert "2 tasks overdue, the first since November 10, 2026." in caseload
    assert '<span class="badge overdue-count" id="overdue-tasks">2 overdue</span>' in caseload
    auth.log_in_as(scene.teacher)
    assert 'id="overdue-tasks"' not in client.get("/today").get_data(as_text=True)
    scene.task("Тілдік қолдау сабағы").due_on = date(2026, 11, 12)
    db.session.commit()
    today = client.get("/today").get_data(as_text=True)
    assert '<span class="badge overdue-count" id="overdue-tasks">1 overdue</span>' in today


def test_the_lists_take_one_query_for_few_tasks_or_many(client, auth, scene):
    assert scene.worker.role is Role.SOCIAL_WORKER  # loaded before counting
    with count_queries() as few:
        services.todo(scene.worker, TODAY)
    for n in range(5):
        child = followed_child(scene.klass, scene.worker, None)
        db.session.add(Task(child_id=child.id, source="visit", source_id=uuid.uuid4(),
                            what=f"Іс {n}", assignee="social_worker", due_on=TODAY))  # fmt: skip
    db.session.commit()
    assert scene.worker.role is Role.SOCIAL_WORKER
    with count_queries() as many:
        assert len(services.todo(scene.worker, TODAY)) == 7
    assert len(few) == len(many) == 1


def test_a_task_is_marked_done_with_a_note_or_blocked_with_the_reason(client, auth, scene):
    auth.log_in_as(scene.worker)
    task = scene.task("Психологқа жазу")
    response = mark(client, auth, task, status="blocked", note="Психолог демалыста")
    assert response.status_code == 303
    task = scene.task("Психологқа жазу")
    assert (task.status, task.note, task.marked_by_id) == (
        TaskStatus.BLOCKED,
        "Психолог демалыста",
        scene.worker.id,
    )
    assert "Психолог демалыста" in client.get("/tasks").get_data(as_text=True)  # still listed
    assert mark(client, auth, task, note="Қабылдады").status_code == 303
    task = scene.task("Психологқа жазу")
    assert (task.status, task.note) == (TaskStatus.DONE, "Қабылдады")
    assert "Психологқа жазу" not in client.get("/tasks").get_data(as_text=True)
    assert count(TaskMark) == 2


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"status": "blocked", "note": "  "}, 422, "Say why the task is blocked."),
        ({"note": "x" * 1001}, 422, "The note is too long"),
        ({"status": "open"}, 422, "Not a valid choice"),
        ({"status": "done", "surprise": "1"}, 400, "nothing was saved"),
    ],
)
def test_bad_marks_are_refused_with_nothing_written(client, auth, scene, fields, status, words):
    auth.log_in_as(scene.worker)
    task = scene.task("Психологқа жазу")
    response = mark(client, auth, task, **fields)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
    assert scene.task("Психологқа жазу").status is TaskStatus.OPEN and count(TaskMark) == 0


def test_a_bad_mark_is_refused_in_the_persons_language(client, auth, scene):
    scene.worker.preferred_language = "ru"
    db.session.commit()
    auth.log_in_as(scene.worker)
    response = mark(client, auth, scene.task("Психологқа жазу"), status="blocked", note="")
    assert response.status_code == 422
    assert "Укажите, что мешает выполнить задачу." in response.get_data(as_text=True)


def test_another_social_workers_task_is_not_found(client, auth, scene):
    auth.log_in_as(worker())
    task = scene.task("Психологқа жазу")
    assert client.get(f"/tasks/{task.id}").status_code == 404
    assert mark(client, auth, task).status_code == 404
    assert "Психологқа жазу" not in client.get("/tasks").get_data(as_text=True)
    assert scene.task("Психологқа жазу").status is TaskStatus.OPEN


def test_a_mark_over_a_newer_version_is_refused_showing_what_is_stored(client, auth, scene):
    auth.log_in_as(scene.worker)
    task = scene.task("Психологқа жазу")
    seen = task.version
    assert mark(client, auth, task, note="Бірінші").status_code == 303
    stale = client.post(
        f"/tasks/{task.id}/mark",
        data={"csrf_token": auth.csrf_token(), "mark_id": str(uuid.uuid4())}
        | {"version": str(seen), "status": "blocked", "note": "Екінші"},
    )
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Nothing was saved: this is what is recorded now." in page
    assert "Бірінші" in page and "Екінші" in page  # what is stored, and the words typed
    task = scene.task("Психологқа жазу")
    assert (task.status, task.note) == (TaskStatus.DONE, "Бірінші") and count(TaskMark) == 1


def test_the_same_mark_sent_twice_is_recorded_once(client, auth, scene):
    auth.log_in_as(scene.worker)
    task = scene.task("Психологқа жазу")
    seen = task.version
    fields = {"mark_id": str(uuid.uuid4()), "note": "Бір рет", "version": str(seen)}
    assert mark(client, auth, task, **fields).status_code == 303
    assert mark(client, auth, task, **fields).status_code == 303  # no conflict with itself
    assert count(TaskMark) == 1 and scene.task("Психологқа жазу").version == seen + 1


def test_the_review_summary_shows_what_was_done(client, auth, scene):
    auth.log_in_as(scene.worker)
    assert mark(client, auth, scene.task("Психологқа жазу"), note="Жазылды").status_code == 303
    auth.log_in_as(scene.committee)
    page = client.get(f"/children/{scene.child.id}/review").get_data(as_text=True)
    assert "s last decision</h2>" in page
    assert "Done</span>" in page and "Жазылды" in page
    assert page.count("To do</span>") == 2  # the school's and the service's, still to do


def test_the_due_lists_overdue_action_goes_once_the_task_is_done(client, auth, scene):
    task = scene.task("Психологқа жазу")
    task.due_on = date(2026, 11, 10)
    db.session.commit()

    def overdue_action():
        rows = db.session.execute(reasons(scene.committee, TODAY)).all()
        return [row for row in rows if row[1] == "overdue_action"]

    assert len(overdue_action()) == 1
    auth.log_in_as(scene.worker)
    assert mark(client, auth, scene.task("Психологқа жазу"), note="Жасалды").status_code == 303
    assert overdue_action() == []


def test_committee_members_and_administrators_have_no_list(client, auth, scene):
    for person in (scene.committee, UserFactory(role=Role.ADMINISTRATOR)):
        auth.log_in_as(person)
        assert client.get("/tasks").status_code == 404
        assert client.get(f"/tasks/{scene.task('Жәрдемақы').id}").status_code == 404


def test_a_child_without_a_class_has_no_teachers_task(client, auth, scene):
    child = ChildFactory(school_class=None)
    db.session.add(Task(child_id=child.id, source="decision", source_id=uuid.uuid4(),
                        what="Сыныпсыз", assignee="school", due_on=TODAY))  # fmt: skip
    db.session.commit()
    auth.log_in_as(scene.teacher)
    assert "Сыныпсыз" not in client.get("/tasks").get_data(as_text=True)
