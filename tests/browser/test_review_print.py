"""A child's review summary in Chromium (issue 14, points 3 and 6): it fits a 360 px phone, and
every review page — the summary, the child's page, the timeline — prints on A4 with only its
content: no navigation, sync chrome, footer or buttons, nothing wider than the paper."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.casework.models import VisitAction
from app.children.background import ChildBackground
from app.extensions import db
from tests.browser.test_mobile_layout import OUTSIDE_JS, check_fits_the_phone
from tests.plans_helpers import make_world
from tests.test_review_summary import incident, visits_world

# A4 is 210 mm wide; less the stylesheet's 15 mm margins, 180 mm = 680 CSS px are printed on.
PRINTED_WIDTH = 680


@pytest.fixture
def world(locale):
    world = make_world()
    world.worker.preferred_language = locale[:2]
    _, (_, august, _) = visits_world(world)
    august.actions.append(
        VisitAction(what="Справка из поликлиники для школы", who="әжесі", by_when=date(2026, 9, 1))
    )
    incident(world, date(2026, 10, 1))
    family = "Живёт с бабушкой и двумя младшими братьями, бабушка получает пособие"
    db.session.add(
        ChildBackground(
            child_id=world.child.id, family_situation=family, updated_by_id=world.worker.id
        )
    )
    db.session.commit()
    return world


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_the_review_summary_fits_a_phone(page: Page, log_in, locale, world):
    log_in(page, world.worker, to=f"/children/{world.child.id}/review")
    expect(page.locator("h1")).to_contain_text(world.child.family_name)
    check_fits_the_phone(page, locale)


@pytest.mark.parametrize("locale", ["ar", "kk"], scope="module")
def test_review_pages_print_on_a4_with_only_their_content(page: Page, log_in, locale, world):
    child = f"/children/{world.child.id}"
    log_in(page, world.worker, to=f"{child}/review")
    page.set_viewport_size({"width": PRINTED_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    for path in (f"{child}/review", child, f"{child}/timeline"):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        for chrome in (".site-header nav", "#logout-form", ".site-footer", "#sync-badge"):
            expect(page.locator(chrome)).to_be_hidden()
        assert page.locator("main button:visible, main .button-link:visible").count() == 0
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PRINTED_WIDTH, f"{path} is wider than A4's printed width: {width}px"
        outside = page.evaluate(OUTSIDE_JS, PRINTED_WIDTH)
        assert outside == [], f"{path} sticks out of the paper: {outside}"
