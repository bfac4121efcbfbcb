"""The district's indicators and their charts in Chromium (issue 15, point 2): in Arabic on a
360×640 phone, right to left, nothing scrolls sideways, every chart is seen whole within the
screen's width, and no English word is left on the page; printed, the charts are kept."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.browser.test_mobile_layout import check_fits_the_phone
from tests.browser.test_review_print import PRINTED_WIDTH
from tests.browser.test_roll_call_browser import LATIN_ALLOWED
from tests.test_indicators import PERIOD, district  # noqa: F401 - the small known district

WIDTH = 360
# The exports' formats keep their own names in every language, as the import pages do.
FORMATS = {"CSV", "XLSX", "PDF", "ZIP", "Excel"}
ADDRESS = "/indicators?" + "&".join(f"{key}={value}" for key, value in PERIOD.items())
# Every chart's box on the screen, and the words in Latin letters the page shows.
CHARTS_JS = """
() => [...document.querySelectorAll("svg.chart-svg")].map((svg) => {
  const r = svg.getBoundingClientRect();
  return {left: r.left, right: r.right, width: r.width, height: r.height,
          visible: svg.checkVisibility({visibilityProperty: true})};
})
"""
LATIN_WORDS_JS = r"""
() => {
  const svgText = [...document.querySelectorAll("svg")].map((svg) => svg.textContent).join(" ");
  const words = (document.body.innerText + " " + svgText).match(/[A-Za-z]{2,}/g) || [];
  return [...new Set(words)];
}
"""


@pytest.mark.parametrize("locale", ["ar"], scope="module")
def test_the_indicators_and_their_charts_fit_a_phone_in_arabic(
    page: Page,
    log_in,
    locale,
    district,  # noqa: F811
):
    committee, _ = district
    committee.preferred_language = "ar"
    db.session.commit()
    log_in(page, committee, to=ADDRESS)
    expect(page.locator("main h1")).to_have_text("المؤشرات")
    assert page.locator("html").get_attribute("dir") == "rtl"
    scrolling = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert scrolling[0] <= scrolling[1], f"the page scrolls sideways: {scrolling}"
    check_fits_the_phone(page, locale)
    charts = page.evaluate(CHARTS_JS)
    assert len(charts) == 5
    for chart in charts:
        assert chart["visible"] and chart["height"] > 50, chart
        assert chart["left"] >= 0 and chart["right"] <= WIDTH, chart
    # Each chart's title is seen above it.
    for title in page.locator("svg.chart-svg > title").all_text_contents():
        expect(page.locator("figcaption.chart-title", has_text=title).first).to_be_visible()
    # The bars grow from the right: the first bar of the category chart ends at its right.
    bar = page.locator("svg.chart-svg").nth(4).locator("rect.chart-bar").first.bounding_box()
    svg = page.locator("svg.chart-svg").nth(4).bounding_box()
    assert abs(bar["x"] + bar["width"] - (svg["x"] + svg["width"])) < 1
    latin = set(page.evaluate(LATIN_WORDS_JS)) - LATIN_ALLOWED - FORMATS
    assert not latin, f"English on the page or in its charts: {latin}"
    page.screenshot(path="/tmp/indicators-ar.png", full_page=True)  # noqa: S108 - to look at


@pytest.mark.parametrize("locale", ["ar"], scope="module")
def test_the_charts_are_printed(page: Page, log_in, locale, district):  # noqa: F811
    committee, _ = district
    committee.preferred_language = "ar"
    db.session.commit()
    log_in(page, committee, to=ADDRESS)
    page.set_viewport_size({"width": PRINTED_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    charts = page.evaluate(CHARTS_JS)
    assert len(charts) == 5
    for chart in charts:
        assert chart["visible"] and chart["height"] > 50, chart
        assert chart["left"] >= 0 and chart["right"] <= PRINTED_WIDTH, chart
    styles = page.evaluate(
        "[...document.querySelectorAll('figure.chart')].map(f => getComputedStyle(f).breakInside)"
    )
    assert set(styles) == {"avoid"}
    assert re.search(r"\d", page.locator("figure.chart").first.inner_text())
