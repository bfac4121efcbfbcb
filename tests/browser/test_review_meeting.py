"""The committee's review cycle in a real Chromium (issue 14): a meeting prepared and held on
a desktop, in Russian — the agenda drafted from the due list, a decision with an action for
the child's social worker recorded — and the minutes offered."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.committee.models import Decision, DecisionAction, Meeting
from app.extensions import db
from tests.committee_helpers import district_class, followed_child, member, worker
from tests.conftest import TODAY

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "is_mobile": False, "has_touch": False}


@pytest.fixture
def locale() -> str:
    return "ru-RU"


def test_a_meeting_is_prepared_and_held_and_its_decision_recorded(new_context, log_in):
    committee = member(lang="ru")
    social_worker = worker()
    child = followed_child(district_class(), social_worker)
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
