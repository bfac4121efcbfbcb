"""A task marked done where there is no signal (issue 14, point 5), in a real Chromium on a
360×640 phone in Kazakh: the To-do list comes from the phone, the mark waits in the outbox,
and reaches the server exactly once when the connection returns."""

import uuid
from datetime import date

from playwright.sync_api import expect

from app.extensions import db
from app.tasks.models import Task, TaskAssignee, TaskSource, TaskStatus
from tests.browser.offline import (
    go_offline,
    go_online,
    outbox,
    sync_bodies,
    text,
    wait_for_outbox,
    wait_until_offline_ready,
)

WHAT = "Психологқа жазу"
NOTE = "Психологқа 25 қарашаға жазылды"


def stored(task_id, page, seconds: float = 5) -> Task:
    """The task, once the live server's write is visible to the test's connection."""
    for _attempt in range(int(seconds * 10)):
        db.session.expire_all()
        task = db.session.get(Task, task_id)
        if task.status is not TaskStatus.OPEN:
            return task
        page.wait_for_timeout(100)
    return task


def test_a_task_marked_done_offline_reaches_the_server_exactly_once(page, log_in, worker, child):
    task = Task(
        child_id=child.id,
        source=TaskSource.VISIT,
        source_id=uuid.uuid4(),
        what=WHAT,
        assignee=TaskAssignee.SOCIAL_WORKER,
        due_on=date(2026, 11, 10),  # overdue on the suite's day
    )
    db.session.add(task)
    db.session.commit()
    log_in(page, worker)
    expect(page.locator("#overdue-tasks")).to_be_visible()  # the header's count
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.goto("/tasks")  # from the phone, not the server
    item = page.locator(f"[data-task-id='{task.id}']").first
    expect(item).to_contain_text(WHAT)
    summary = item.locator("summary")
    assert summary.bounding_box()["height"] >= 44
    summary.tap()
    form = item.locator("form.task-form")
    form.locator("input[value=done]").check()
    form.locator("textarea[name=note]").fill(NOTE)
    assert form.locator("button[type=submit]").bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    bodies = sync_bodies()
    form.locator("button[type=submit]").tap()

    expect(form.locator("[data-sync-state]")).to_contain_text(text("Saved on this phone."))
    entries = outbox(page, "mine")
    assert [(e["kind"], e["status"]) for e in entries] == [("task_mark", "waiting")]
    assert stored(task.id, page, seconds=0.5).status is TaskStatus.OPEN

    go_online(page.context)
    wait_for_outbox(page, "entries.length === 0")
    done = stored(task.id, page)
    assert (done.status, done.note, done.marked_by_id) == (TaskStatus.DONE, NOTE, worker.id)
    sent = [op for body in bodies for op in body["ops"]]
    assert len({op["op_id"] for op in sent}) == 1 and sent[0]["kind"] == "task_mark"
    expect(form.locator("[data-sync-state]")).to_have_attribute("data-state", "synced")
