"""Every page fits a 360 px phone, in Arabic (right to left) and in Kazakh.

No horizontal scrolling, nothing sticking out of the screen, and every tap target at least
44×44 CSS px (WCAG 2.2 target size, enhanced).
"""

import re
from datetime import date
from uuid import uuid4

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.attendance.models import Status
from app.auth.models import Role
from app.extensions import db
from tests.conftest import TODAY
from tests.factories import (
    PASSWORD,
    AttendanceMarkFactory,
    ChildFactory,
    SchoolClassFactory,
    UserFactory,
)

WIDTH = 360
TAP = 44
SCREENSHOT = "/tmp/rollcall-ar.png"  # noqa: S108 - for a person to look at, not in the repo
DIRECTION = {"ar": "rtl", "kk": "ltr"}

# Radios are visually hidden inside their label: the label is the target. The skip link sits
# off screen until it has focus; it is checked focused, on its own.
TARGETS_JS = """
(tap) => {
  const selector = "a, button, input:not([type=hidden]), select, textarea, label.status";
  const describe = (el, r) => `<${el.tagName.toLowerCase()} class="${el.className}">`
    + ` "${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40)}"`
    + ` ${Math.round(r.width)}×${Math.round(r.height)} at x=${Math.round(r.left)}`;
  const seen = new Set();
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    let target = el;
    if (el.matches("input[type=radio], input[type=checkbox]")) {
      target = el.closest("label");
      if (!target) {
        small.push(describe(el, el.getBoundingClientRect()) + " without a label");
        continue;
      }
    }
    if (seen.has(target) || target.matches(".skip-link:not(:focus)")) continue;
    seen.add(target);
    if (!target.checkVisibility({visibilityProperty: true})) continue;
    const r = target.getBoundingClientRect();
    if (r.width < tap || r.height < tap) small.push(describe(target, r));
  }
  return small;
}
"""

OUTSIDE_JS = """
(width) => [...document.body.querySelectorAll("*")]
  .filter(el => !el.closest(".skip-link:not(:focus)") && el.checkVisibility())
  .map(el => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.width > 0 && (r.left < -0.5 || r.right > width + 0.5))
  .map(([el, r]) => `<${el.tagName.toLowerCase()} class="${el.className}">`
    + ` from x=${Math.round(r.left)} to x=${Math.round(r.right)}`)
"""


@pytest.fixture
def teacher(locale):
    return UserFactory(preferred_language=locale)


@pytest.fixture
def child(school_class, teacher):
    """A long name, every fact on the page, and a term of marks with reasons."""
    child = ChildFactory(
        school_class=school_class,
        family_name="Нұрмұхамедова-Сейітқалиева",
        given_name="Айгерім-Назерке",
        patronymic="Қайратқызы",
        home_languages="ar,kk,ru",
        needs_language_support=True,
    )
    statuses = [Status.PRESENT, Status.ABSENT, Status.LATE, Status.EXCUSED, Status.PRESENT]
    for offset, status in enumerate(statuses * 2):
        day = date(2026, 11, 2 + offset + 2 * (offset // 5))  # the last two school weeks
        reason = "Ауырып қалды, анықтамасы бар" if status is not Status.PRESENT else None
        AttendanceMarkFactory(
            child_obj=child, recorded_by=teacher, day=day, status=status, reason=reason
        )
    return child


@pytest.fixture
def children(school_class, child):
    return [child, *ChildFactory.create_batch(29, school_class=school_class)]


def check_fits_the_phone(page: Page, lang: str) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == DIRECTION[lang]
    assert page.viewport_size == {"width": WIDTH, "height": 640}
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: {scroll_width}px"
    # Right to left, what sticks out on the right is cut off rather than scrollable.
    outside = page.evaluate(OUTSIDE_JS, WIDTH)
    assert outside == [], f"{page.url} sticks out of the screen: {outside}"
    small = page.evaluate(TARGETS_JS, TAP)
    assert small == [], f"{page.url} has tap targets under {TAP}×{TAP}: {small}"
    skip = page.locator(".skip-link")
    skip.focus()
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"skip link off screen: {box}"
    assert box["width"] >= TAP and box["height"] >= TAP, f"skip link too small: {box}"


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_login_page_fits_a_phone(page, locale):
    page.goto("/login")
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_today_fits_a_phone(page, log_in, locale, teacher, school_class):
    SchoolClassFactory(teachers=[teacher], grade=11, letter="Ә")
    log_in(page, teacher)
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_a_roll_call_of_thirty_fits_a_phone(page, log_in, locale, teacher, school_class, children):
    log_in(page, teacher, to=f"/classes/{school_class.id}/roll-call?day={TODAY}")
    assert page.locator("label.status-absent").count() == 30
    # An absence shows the reason field: check the page with one open.
    page.locator("li.child label.status-absent").first.tap()
    assert page.locator("li.child .reason input").first.is_visible()
    if locale == "ar":
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOT)
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_a_childs_page_fits_a_phone(page, log_in, locale, teacher, child):
    log_in(page, teacher, to=f"/children/{child.id}")
    assert page.locator("table.days tbody tr").count() == 10
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_sync_badge_and_panel_fit_a_phone(page, log_in, locale, teacher, school_class):
    log_in(page, teacher)
    page.locator("#sync-badge").tap()
    page.locator("[data-sync-now]").wait_for()
    page.locator("html[data-offline-ready]").wait_for(state="attached")
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_two_factor_set_up_pages_fit_a_phone(page, log_in, locale, teacher):
    log_in(page, teacher, to="/account/security")
    check_fits_the_phone(page, locale)
    page.goto("/account/two-factor")
    assert page.locator("img.qr-code").evaluate("img => img.naturalWidth") > 0
    check_fits_the_phone(page, locale)
    db.session.refresh(teacher)  # the key the page made
    page.fill("#code", pyotp.TOTP(teacher.totp_secret).now())
    page.locator("main button[type=submit]").tap()
    page.locator(".recovery-codes").wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_login_code_page_fits_a_phone(page, locale):
    worker = UserFactory(role=Role.SOCIAL_WORKER, preferred_language=locale)
    page.goto("/login")
    page.fill("#email", worker.email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").tap()
    page.wait_for_url(re.compile(r"/login/code$"))
    page.locator("details.two-factor-recovery summary").tap()
    check_fits_the_phone(page, locale)
    page.fill("#code", pyotp.TOTP(worker.totp_secret).now())
    page.locator("main button[type=submit].primary").tap()
    page.wait_for_url(re.compile(r"/caseload$"))


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_caseload_with_alerts_and_a_timeline_fit_a_phone(page, log_in, locale, child):
    from sqlalchemy import insert

    from app.children.models import caseload
    from app.extensions import db

    worker = UserFactory(role=Role.SOCIAL_WORKER, preferred_language=locale)
    db.session.execute(insert(caseload).values(user_id=worker.id, child_id=child.id))
    db.session.commit()
    log_in(page, worker)
    assert page.locator(".alerts li").count() == 1  # the child's attendance is 40 %
    check_fits_the_phone(page, locale)
    page.goto(f"/children/{child.id}/timeline")
    assert page.locator(".timeline-item").count() == 2
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_casework_pages_fit_a_phone(page, log_in, locale):
    from tests.authorisation import build_world
    from tests.casework_factories import PlacementFactory, VisitReportFactory

    world = build_world()
    worker = world.people["social_worker_a"]
    worker.preferred_language = locale
    placement = PlacementFactory(child_obj=world.child, worker=worker)
    report = VisitReportFactory(placement=placement, worker=worker)
    db.session.commit()
    first, *others = (
        f"/children/{world.child.id}",
        f"/children/{world.child.id}/placements/new",
        f"/children/{world.child.id}/visits/new",
        f"/visits/{report.id}",
        f"/visits/{report.id}/edit",
        f"/incidents/{world.incident_id}",
        "/incidents",
    )
    log_in(page, worker, to=first)
    check_fits_the_phone(page, locale)
    for path in others:
        page.goto(path)
        check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_committees_pages_fit_a_phone(page, log_in, locale, monkeypatch):
    from app.core import paging
    from tests.authorisation import build_world

    monkeypatch.setattr(paging, "PAGE_SIZE", 1)  # the list's pager shows
    world = build_world()
    ChildFactory.create_batch(2, school_class=world.school_class)
    member = world.people["committee_a"]
    member.preferred_language = locale
    db.session.commit()
    log_in(page, member, to="/district?page=2")
    assert page.locator(".pager a").count() == 2  # the previous page and the next
    check_fits_the_phone(page, locale)
    from tests.authorisation import _decision, _meeting

    meeting, decision = _meeting(world), _decision(world)
    db.session.commit()
    paths = ("/committee/due", "/meetings", "/meetings/new", meeting, decision)
    paths += (f"{meeting}/edit", "/committee/settings", "/indicators")
    for path in (*paths, f"/children/{world.child.id}/timeline"):
        page.goto(path)
        check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_districts_filters_and_a_search_fit_a_phone(page, log_in, locale, monkeypatch):
    """The committee's home (issue 14, point 7): the filters stacked, a child followed marked,
    and a name searched, its results paged by posting (the name in no URL)."""
    from app.core import paging
    from tests.authorisation import build_world

    monkeypatch.setattr(paging, "PAGE_SIZE", 1)  # the list's pager shows
    world = build_world()
    long_names = {"family_name": "Нұрмұхамедова-Сейітқалиева", "given_name": "Айгерім-Назерке"}
    ChildFactory.create_batch(2, school_class=world.school_class, **long_names)
    member = world.people["committee_a"]
    member.preferred_language = locale
    db.session.commit()
    school = world.school_class.school_id
    log_in(page, member, to=f"/district?school={school}&sort=followed")
    assert page.locator(".badge.followed").count() == 1  # child A, on a caseload
    assert page.locator(".pager a").count() == 1  # the next page
    check_fits_the_phone(page, locale)
    page.fill("#name", "Nurmuhamedova")
    page.click(".district-filters button[type=submit]")
    expect(page.locator(".pager button")).to_have_count(1)
    assert "Nurmuhamedova" not in page.url
    check_fits_the_phone(page, locale)
    page.click(".pager button")
    expect(page.locator(".pager button")).to_have_count(1)  # the previous page
    assert page.locator("#name").input_value() == "Nurmuhamedova"
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_plan_and_language_pages_fit_a_phone(page, log_in, locale, teacher, child):
    from app.plans.language import SessionValues, add_session, record_level
    from app.plans.models import Area
    from app.plans.services import add_review, goal_values, save_goal
    from tests.factories import TermFactory

    term = TermFactory()  # under way on the suite's today
    values = goal_values(
        "Сабақтағы мұғалімнің нұсқауларын түсініп, орындайды",
        "Араб тілін білетін маманмен аптасына екі сабақ",
        "Араб тілін білетін маман",
        "3",
        "in_progress",
    )
    save_goal(child, "2026-2027", Area.LANGUAGE, teacher, 0, values)
    add_review(uuid4(), child, "2026-2027", term, TODAY, "Нұсқауларды түсінеді.", teacher, TODAY)
    record_level(child, term, 2, "kk", teacher, 0)
    session = SessionValues(TODAY, 40, "Араб тілін білетін маман", "ar", "Түстер мен сандар")
    add_session(uuid4(), child, session, teacher)
    db.session.commit()
    first, *others = (
        f"/children/{child.id}",
        f"/children/{child.id}/plan",
        f"/children/{child.id}/plan/language",
        f"/children/{child.id}/language",
    )
    log_in(page, teacher, to=first)
    assert page.locator("#plan .badge").count() == 1
    check_fits_the_phone(page, locale)
    for path in others:
        page.goto(path)
        check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_results_pages_fit_a_phone(page, log_in, locale, teacher, school_class, children):
    """The list, a class of thirty's sheet, and the e-journal import up to a preview that
    lists problems by row."""
    from app.results.models import Subject
    from app.results.subjects import add_default_subjects
    from tests.factories import TermFactory

    add_default_subjects()
    TermFactory()  # term 2, under way on the suite's today
    maths = db.session.scalar(select(Subject).where(Subject.code == "mathematics"))
    db.session.commit()
    log_in(page, teacher, to="/results")
    check_fits_the_phone(page, locale)
    page.goto(f"/classes/{school_class.id}/results/{maths.id}/2")
    expect(page.locator("#results-sheet input[inputmode=numeric]")).to_have_count(30)
    check_fits_the_phone(page, locale)
    page.goto("/import/results")
    check_fits_the_phone(page, locale)
    rows = [
        "ФИО;Предмет;Четверть;Процент;Оценка",
        f"{children[0].family_name} {children[0].given_name};Математика;2;72;4",
        "Нұрмұхамедова-Сейітқалиева Назерке-Айгерім;Математика;2;130;",
    ]
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "marks.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}],
    )
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/columns"))
    check_fits_the_phone(page, locale)
    page.locator("main button.primary[type=submit]").click()
    page.wait_for_url(re.compile(r"/preview"))
    expect(page.locator(".import-table")).not_to_have_count(0)
    check_fits_the_phone(page, locale)
