"""A class's term results entered offline, in a real Chromium at 360×640, by a teacher who
reads Russian (issue 13, point 3): kept on the phone, they reach the server once."""

import re
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.results.models import Subject, TermResult
from app.results.subjects import add_default_subjects
from tests.browser.offline import (
    expect_waiting,
    go_offline,
    go_online,
    outbox,
    sync_bodies,
    wait_until,
    wait_until_offline_ready,
)
from tests.browser.test_roll_call_browser import LATIN_ALLOWED, visible_text
from tests.factories import ChildFactory, SchoolClassFactory, TermFactory, UserFactory


@pytest.fixture
def locale() -> str:
    return "ru-RU"


@pytest.fixture
def teacher():
    return UserFactory(preferred_language="ru")


@pytest.fixture
def sheet(teacher):
    """A grade-5 class of 30, its mathematics, and terms 1 (over) and 2 (under way)."""
    add_default_subjects()
    school_class = SchoolClassFactory(grade=5, teachers=[teacher])
    children = ChildFactory.create_batch(30, school_class=school_class)
    TermFactory(number=1, starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 31))
    TermFactory()
    maths = db.session.scalar(select(Subject).where(Subject.code == "mathematics"))
    db.session.commit()
    return school_class, children, maths


def russian(message: str, **values) -> str:
    with force_locale("ru"):
        return gettext(message, **values)


def results() -> list[TermResult]:
    db.session.expire_all()
    return db.session.scalars(select(TermResult)).all()


def test_a_teacher_enters_a_class_of_thirtys_results_offline_and_they_reach_the_server_once(
    page: Page, log_in, teacher, sheet
):
    school_class, children, maths = sheet
    log_in(page, teacher)
    wait_until_offline_ready(page)
    go_offline(page.context)

    # An earlier term's sheet is not kept on the phone, and says so.
    page.goto(f"/classes/{school_class.id}/results/{maths.id}/1")
    expect(page.locator("[data-not-kept]")).to_be_visible()
    expect(page.locator("#results-sheet")).to_have_count(0)

    # From the list kept on the phone, one tap opens the sheet of the term under way.
    page.goto("/results")
    page.locator("a.card", has_text="Математика").tap()
    page.wait_for_url(re.compile(rf"/classes/{school_class.id}/results/{maths.id}/2$"))
    heading = russian("%(subject)s, class %(name)s", subject="Математика", name=school_class.name)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    fields = page.locator("#results-sheet input[inputmode=numeric]")
    expect(fields).to_have_count(30)
    percentages = {child.id: 40 + n * 2 for n, child in enumerate(children[:29])}
    for child_id, percentage in percentages.items():
        page.fill(f"[name='percentage-{child_id}']", str(percentage))
    # The mark a percentage gives shows as it is typed; the last child gets a mark alone.
    expect(page.locator(f"[name='mark-{children[28].id}']")).to_have_value("5")
    page.select_option(f"[name='mark-{children[29].id}']", "3")
    text = visible_text(page)
    latin = sorted(set(re.findall(r"[A-Za-z][A-Za-z'’-]+", text)) - LATIN_ALLOWED)
    assert not latin, f"English on the sheet: {latin}"

    page.locator("#results-sheet button[type=submit]").tap()
    state = page.locator("#results-sheet [data-sync-state]")
    expect(state).to_have_attribute("data-state", "saved")
    expect(state).to_have_text(russian("Saved on this phone."))
    expect_waiting(page, 1)  # one sheet
    assert len(outbox(page)) == 30 and results() == []

    bodies = sync_bodies()
    go_online(page.context)
    expect(state).to_have_attribute("data-state", "synced", timeout=15_000)
    expect_waiting(page, 0)
    stored = {r.child_id: r for r in results()}
    assert len(stored) == 30
    assert {c: (r.percentage, r.mark) for c, r in stored.items()} == {
        **{c: (p, 5 if p >= 85 else 4 if p >= 65 else 3) for c, p in percentages.items()},
        children[29].id: (None, 3),
    }
    assert {(r.recorded_by_id, r.version, r.subject_id) for r in stored.values()} == {
        (teacher.id, 1, maths.id)
    }
    assert len(bodies) == 1 and len(bodies[0]["ops"]) == 30  # sent once, in one batch
    assert outbox(page) == []
    # The sheet on screen was refreshed from the server: it knows the results' ids now.
    expect(page.locator("li[data-result-id]")).to_have_count(30)

    # The phone's copy of the sheets was fetched again: offline, the sheet shows the results.
    some = stored[children[0].id]
    copy_holds = """async (id) => {
        const cached = await caches.match("/results/on-phone");
        return Boolean(cached) && (await cached.text()).includes(id);
    }"""
    wait_until(page, lambda: page.evaluate(copy_holds, str(some.id)))
    go_offline(page.context)
    page.reload()
    expect(page.locator("li[data-result-id]")).to_have_count(30)
    expect(page.locator(f"[name='percentage-{children[0].id}']")).to_have_value("40")
