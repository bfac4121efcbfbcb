"""What school results add to the shared parts of Qadam (see app/core/domains.py)."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.auth.models import Role, User
from app.core.domains import MAIN, ChildSection, Domain, ReviewSection, StandIn
from app.results import overview, review
from app.results.retention import anonymise_results
from app.results.subjects import classes_entered_by
from app.results.sync_ops import SYNC_KINDS


def offline_pages(user: User) -> list[str]:
    """A teacher's list of sheets and, once for all of them, the copy that stands in offline for
    each sheet of the term under way (phone_views.py)."""
    if user.role is not Role.TEACHER or not classes_entered_by(user):
        return []
    return [url_for("results.index"), url_for("results.sheets_on_phone")]


# The addresses of the sheets; results_sheet.js reads the class, subject and term from them.
SHEET_STAND_IN = StandIn(
    r"^/classes/[0-9a-f-]{36}/results/[0-9a-f-]{36}/[1-4]$", "results.sheets_on_phone"
)

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "results_write": _l("changed school results"),
    "view_results": _l("viewed a class's school results"),
    "results_sync": _l("changed school results from a phone that was offline"),
    "results_import": _l("imported school results from the e-journal"),
}

DOMAIN = Domain(
    name="results",
    offline_pages=offline_pages,
    offline_stand_ins=(SHEET_STAND_IN,),
    child_sections=(ChildSection("results/_child_results.html", overview.child_section, MAIN),),
    timeline_sources=(overview.results_by_term,),
    review_sections=(ReviewSection("results/_review_results.html", review.results_part, MAIN, 50),),
    alert_rules=((4, overview.struggling),),
    anonymisers=(anonymise_results,),
    audit_actions=AUDIT_ACTIONS,
    sync_kinds=SYNC_KINDS,
)
