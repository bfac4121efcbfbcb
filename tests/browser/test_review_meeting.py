"""The committee's review cycle in a real Chromium (issue 14): a meeting prepared and held on
a desktop, in Russian — the agenda drafted from the due list, a decision with an action for
the child's social worker recorded, the minutes offered — then the action, a task on the
social worker's phone, marked done there without a connection, reaching the server once."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.committee.models import Decision, DecisionAction, Meeting
from app.extensions import db
from app.tasks.models import Task, TaskStatus
from tests.browser.offline import go_offline, go_online, sync_bodies, wait_until_offline_ready
from tests.committee_helpers import district_class, followed_child, member, worker
from tests.conftest import TODAY

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "is_mobile": False, "has_touch": False}


@pytest.fixture
def locale() -> str:
    return "ru-RU"


def test_a_meeting_is_prepared_and_held_and_its_task_then_marked_done_offline(
    new_context, log_in, page
):
    committee = member(lang="ru")
    social_worker = worker()
    child = followed_child(district_class(), social_worker)
    phone = page  # the social worker's, later
    page = new_context(**DESKTOP).new_page()
    log_in(page, committee, to="/committee/due")
    expect(page.locator(".due-list")).to_contain_text(child.family_name)

    page.goto("/meetings/new")
    page.fill("[name=held_on]", TODAY.isoformat())
    page.fill("[name=place]", "Әкімдік, 3-кабинет")
    page.select_option("[name=chair]", str(committee.id))
    page.locator(f"[name=members][value='{committee.id}']").check()
    page.locator("main button.primary").click()
    page.wait_for_url(re.compile(r"/meetings/[0-9a-f-]{36}$"))
    page.locator(".due-item", has_text=child.family_name).locator("button").click()
    expect(page.locator(".agenda-item")).to_have_count(1)

    page.locator(".agenda-item a.button-link").click()
    page.locator("[name=outcome][value=continue]").check()
    page.fill("[name='actions-0-what']", "Посетить семью вместе с классным руководителем")
    page.select_option("[name='actions-0-assignee']", "social_worker")
    page.fill("[name='actions-0-due_on']", (TODAY + timedelta(days=10)).isoformat())
    page.fill("[name=next_review_on]", (TODAY + timedelta(days=91)).isoformat())
    page.locator("main button.primary").click()
    expect(page.locator(".agenda-item .badge")).to_have_count(1)  # decided
    expect(page.locator("a[href$='/minutes.pdf']")).to_be_visible()

    db.session.expire_all()
    [meeting] = db.session.scalars(select(Meeting)).all()
    [decision] = db.session.scalars(select(Decision)).all()
    [action] = db.session.scalars(select(DecisionAction)).all()
    assert (decision.meeting_id, decision.child_id) == (meeting.id, child.id)
    assert action.due_on == TODAY + timedelta(days=10) and action.decision_id == decision.id

    # The social worker's phone: the task is on the To-do list, marked done offline.
    log_in(phone, social_worker)
    wait_until_offline_ready(phone)
    go_offline(phone.context)
    phone.goto("/tasks")
    item = phone.locator(f"[data-task-id='{action.task_id}']").first
    expect(item).to_contain_text("Посетить семью")
    item.locator("summary").tap()
    form = item.locator("form.task-form")
    form.locator("input[value=done]").check()
    form.locator("textarea[name=note]").fill("Семья посещена, всё в порядке.")
    bodies = sync_bodies()
    form.locator("button[type=submit]").tap()
    expect(form.locator("[data-sync-state]")).to_have_attribute("data-state", "saved")
    db.session.expire_all()
    assert db.session.get(Task, action.task_id).status is TaskStatus.OPEN

    go_online(phone.context)
    expect(form.locator("[data-sync-state]")).to_have_attribute(
        "data-state", "synced", timeout=15_000
    )
    db.session.expire_all()
    task = db.session.get(Task, action.task_id)
    assert (task.status, task.marked_by_id) == (TaskStatus.DONE, social_worker.id)
    assert [op["kind"] for body in bodies for op in body["ops"]] == ["task_mark"]  # once

    # The committee's next review summary shows what was done.
    page.goto(f"/children/{child.id}/review")
    expect(page.locator("#review-decision-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Семья посещена, всё в порядке.")
