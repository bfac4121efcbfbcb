"""What education plans and language support add to the shared parts of Qadam (see
app/core/domains.py)."""

from flask_babel import lazy_gettext as _l

from app.core.domains import MAIN, ChildSection, Domain, ReviewSection
from app.plans import overview, review
from app.plans.retention import anonymise_plans

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "plan_write": _l("changed the education plan"),
    "view_plan": _l("viewed the education plan"),
    "language_write": _l("recorded language support"),
    "view_language": _l("viewed the language support"),
}

DOMAIN = Domain(
    name="plans",
    child_sections=(ChildSection("plans/_child_plan.html", overview.child_section, MAIN),),
    timeline_sources=(overview.plan_reviews, overview.language_levels),
    review_sections=(ReviewSection("plans/_review_plan.html", review.plan_part, MAIN, 55),),
    alert_rules=((5, overview.unchanged_level),),
    anonymisers=(anonymise_plans,),
    audit_actions=AUDIT_ACTIONS,
)
