"""What casework adds to the shared parts of Qadam (see app/core/domains.py)."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import Role, User
from app.casework import overview, page, placement_ops, review, sync_ops
from app.casework.retention import anonymise_casework
from app.core.domains import RESTRICTED, ChildSection, Domain, ReviewSection


def offline_child_pages(user: User, child_id) -> list[str]:
    """A social worker's new-visit and new-placement forms of each child, to fill in at a home
    with no signal."""
    if user.role is not Role.SOCIAL_WORKER:
        return []
    return [
        url_for("casework.new_visit", child_id=child_id),
        url_for("casework.new_placement", child_id=child_id),
    ]


def client_strings() -> dict:
    return {
        "kinds": {
            "visit_report": _("Visit report"),
            # TRANSLATORS: an entry waiting on the phone: a new placement (where a child lives).
            "placement": _("New placement"),
        },
        "placement_will_send": _("The placement will be recorded when there is a connection."),
        "placement_incomplete": _("Choose where the child lives and since when."),
        # TRANSLATORS: names an entry waiting on the phone; it never names the child.
        "visit_report": _("Visit report"),
    }


# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "view_casework": _l("viewed the placements and visits"),
    "view_visit_form": _l("opened a new visit report"),
    "view_visit_report": _l("viewed a visit report"),
    "view_placement_form": _l("opened the form for a new placement"),
    "placement_create": _l("recorded a new placement"),
    "placement_create_sync": _l("recorded a new placement from a phone that was offline"),
    "visit_report_create": _l("recorded a visit report"),
    "visit_report_change": _l("changed a visit report"),
    "visit_report_create_sync": _l("recorded a visit report from a phone that was offline"),
    "visit_report_change_sync": _l("changed a visit report from a phone that was offline"),
    "visit_report_conflict_sync": _l(
        "sent a visit report change from a phone that needs a decision"
    ),
}

DOMAIN = Domain(
    name="casework",
    offline_child_pages=offline_child_pages,
    child_sections=(ChildSection("casework/_child_section.html", page.child_section, RESTRICTED),),
    timeline_sources=(overview.placements, overview.visits),
    review_sections=(
        ReviewSection("casework/_review_placement.html", review.placement_part, rank=20),
        ReviewSection("casework/_review_visits.html", review.visits_part, rank=30),
        ReviewSection("casework/_review_actions.html", review.actions_part, rank=70),
    ),
    alert_rules=((2, overview.overdue_visits),),
    anonymisers=(anonymise_casework,),
    audit_actions=AUDIT_ACTIONS,
    client_strings=client_strings,
    sync_kinds=sync_ops.SYNC_KINDS + placement_ops.SYNC_KINDS,
)
