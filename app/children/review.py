"""A child's review summary: what happened since the committee last reviewed the child, one
page to read on a desktop or print on A4 (issue 14, point 3).

Each domain adds its parts (its Domain's review_sections, app/core/domains.py) and this module
imports none of them, as the child's page does. The committee's domain, once there, gives the
day of the last review (`last_review`) and the last decision (`last_decision`).
"""

import calendar
from datetime import date

from flask import Response, make_response, render_template

from app.children import casefile
from app.children.models import Child
from app.children.page import shows_restricted
from app.core import clock
from app.core.audit import audit
from app.core.domains import MAIN, ReviewSection, contributions
from app.core.security import RESTRICTED_HEADER

# With no review recorded, the summary covers the last three months: the committee's default
# review interval (issue 14, point 1), so a first review reads like the ones that follow.
DEFAULT_MONTHS = 3


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier; the month's last day where that day does not exist."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def last_review(child: Child) -> date | None:
    """The day of the child's last review, as the domains know it; None: never reviewed."""
    days = [day for hook in contributions("last_review") if (day := hook(child)) is not None]
    return max(days, default=None)


def review_since(child: Child) -> tuple[date, date | None]:
    """(the first day the summary covers, the day of the last review or None)."""
    reviewed_on = last_review(child)
    if reviewed_on is not None:
        return reviewed_on, reviewed_on
    return months_before(clock.today(), DEFAULT_MONTHS), None


def _visible(restricted: bool) -> list[ReviewSection]:
    """The parts in rank order, then the last decision; restricted ones only if `restricted`."""

    def shown(parts: list[ReviewSection]) -> list[ReviewSection]:
        return [part for part in parts if restricted or part.place == MAIN]

    ranked = sorted(shown(contributions("review_sections")), key=lambda part: part.rank)
    return ranked + shown(contributions("last_decision"))


def render_review_summary(child: Child) -> Response:
    """The summary as the current user may see it: restricted parts only for those who see
    the child's background on the child's page."""
    since, reviewed_on = review_since(child)
    restricted = shows_restricted()
    parts = [(part.template, part.context(child, since)) for part in _visible(restricted)]
    page = render_template(
        "children/review.html",
        child=child,
        since=since,
        reviewed_on=reviewed_on,
        today=clock.today(),
        parts=parts,
    )
    response = make_response(page)
    response.vary.add("X-Qadam-Purpose")
    if restricted:
        response.headers[RESTRICTED_HEADER] = "1"  # the service worker keeps no copy of it
    return response


def background_part(child: Child, since: date) -> dict:
    """The child's family situation as it stands: restricted, like the child page's section."""
    audit("view", "child_background", child.id)
    return {"background": casefile.background_of(child.id)}
