"""The roll call in a real Chromium at 360×640, as a teacher who reads Arabic takes it."""

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.attendance.models import AttendanceMark, Status
from app.extensions import db
from tests.conftest import TODAY
from tests.factories import ChildFactory, UserFactory

# English words a page in another language may show: the brand and the language switch's
# own name for English. Any other Latin word is an untranslated string.
LATIN_ALLOWED = {"Qadam", "English"}
ENGLISH_UI = [
    "Save roll call",
    "Saved.",
    "Roll call saved.",
    "Present",
    "Absent",
    "Late",
    "Excused",
    "Reason (optional)",
    "Not taken yet",
    "Taken at",
    "absent",
    "Today",
    "Log out",
    "Language",
    "Another day",
    "Saved on this phone",
    "Synced at",
    "Waiting to sync",
    "Last sync",
    "Sync now",
    "Needs attention",
]


@pytest.fixture
def locale() -> str:
    # A phone set to Kazakh: only the teacher's own saved choice can make the pages Arabic.
    return "kk-KZ"


@pytest.fixture
def teacher():
    return UserFactory(preferred_language="ar")


@pytest.fixture
def children(school_class):
    return ChildFactory.create_batch(12, school_class=school_class)


def arabic(message: str) -> str:
    with force_locale("ar"):
        return gettext(message)


def visible_text(page: Page) -> str:
    """What a reader sees or hears: the text, the title, and the accessible labels."""
    return page.evaluate(
        """() => [
            document.title,
            document.body.innerText,
            ...[...document.querySelectorAll("[aria-label], [placeholder], [title], [alt]")]
                .flatMap(el => ["aria-label", "placeholder", "title", "alt"]
                    .map(name => el.getAttribute(name) || "")),
        ].join("\\n")"""
    )


def assert_no_english(page: Page) -> None:
    text = visible_text(page)
    leaks = [s for s in ENGLISH_UI if s in text]
    latin = sorted(set(re.findall(r"[A-Za-z][A-Za-z'’-]+", text)) - LATIN_ALLOWED)
    assert not leaks and not latin, f"English on {page.url}: {leaks} {latin}"


def assert_arabic_page(page: Page) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")


def absent_label(page: Page, child):
    """The visible "absent" option in the child's fieldset (the radio itself is hidden)."""
    fieldset = page.locator("li.child fieldset").filter(
        has=page.locator(f"input[name='status-{child.id}']")
    )
    return fieldset.locator("label.status.status-absent")


def stored_marks() -> dict:
    db.session.expire_all()
    marks = db.session.scalars(select(AttendanceMark).where(AttendanceMark.day == TODAY)).all()
    return {mark.child_id: mark for mark in marks}


def assert_stored(teacher, school_class, children, absent) -> None:
    marks = stored_marks()
    assert len(marks) == len(children) == 12
    assert {child_id for child_id, m in marks.items() if m.status is Status.ABSENT} == {
        c.id for c in absent
    }
    assert {m.status for cid, m in marks.items() if cid not in {c.id for c in absent}} == {
        Status.PRESENT
    }
    assert {(m.class_id, m.recorded_by_id) for m in marks.values()} == {
        (school_class.id, teacher.id)
    }


def open_roll_call(page: Page, log_in, teacher, school_class) -> None:
    log_in(page, teacher)
    assert_arabic_page(page)
    assert_no_english(page)
    page.locator("a.card").filter(has_text=school_class.name).tap()  # tap 1: the class
    page.wait_for_url(re.compile(rf"/classes/{school_class.id}/roll-call$"))
    assert_arabic_page(page)
    expect(page.locator("label.status-absent")).to_have_count(12)


def test_a_teacher_in_arabic_takes_a_roll_call_with_three_absences(
    page, log_in, teacher, school_class, children
):
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "kk")  # the phone's language
    absent = [children[0], children[5], children[11]]

    open_roll_call(page, log_in, teacher, school_class)
    assert_no_english(page)
    for child in absent:  # taps 2-4: one per absent child
        absent_label(page, child).tap()
        expect(page.locator(f"input[name='status-{child.id}'][value=absent]")).to_be_checked()
    page.evaluate("window.notReloaded = true")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/api/sync")
    ) as synced:
        page.locator("#roll-call button[type=submit]").tap()  # tap 5: save

    # Saved on the phone first, then sent through the outbox, then refreshed from the server.
    assert synced.value.status == 200
    assert len(synced.value.request.post_data_json["ops"]) == 12
    expect(page.locator("#roll-call [data-sync-state]")).to_have_attribute("data-state", "synced")
    expect(page.locator("#roll-call p.state")).to_contain_text("3")
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no reload
    for child in absent:
        expect(page.locator(f"input[name='status-{child.id}'][value=absent]")).to_be_checked()
    assert_arabic_page(page)
    assert_no_english(page)
    assert_stored(teacher, school_class, children, absent)


def test_without_javascript_the_roll_call_is_a_plain_form_post(
    new_context, log_in, teacher, school_class, children
):
    page = new_context(java_script_enabled=False).new_page()
    absent = [children[1], children[6], children[10]]

    open_roll_call(page, log_in, teacher, school_class)
    for child in absent:
        absent_label(page, child).tap()
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/roll-call" in r.url
    ) as posted:
        page.locator("#roll-call button[type=submit]").tap()

    assert posted.value.status == 303
    assert posted.value.request.headers.get("hx-request") is None
    expect(page.locator("#flash .flash-success")).to_have_text(arabic("Roll call saved."))
    assert re.search(rf"/classes/{school_class.id}/roll-call\?day={TODAY}$", page.url)
    for child in absent:
        expect(page.locator(f"input[name='status-{child.id}'][value=absent]")).to_be_checked()
    assert_arabic_page(page)
    assert_no_english(page)
    assert_stored(teacher, school_class, children, absent)
