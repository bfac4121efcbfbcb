"""What the committee's review cycle adds to the shared parts of Qadam (app/core/domains.py)."""

from flask_babel import lazy_gettext as _l

from app.committee.review import last_decision_part, last_review
from app.core.domains import Domain, ReviewSection

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "committee_decision": _l("recorded the committee's decision about the child"),
    "committee_agenda": _l("changed a committee meeting's agenda"),
    "committee_meeting": _l("created or changed a committee meeting"),
    "committee_interval": _l("changed how often the committee reviews each child"),
    "download_minutes": _l("downloaded the minutes of a committee meeting"),
}

DOMAIN = Domain(
    name="committee",
    last_decision=ReviewSection("committee/_review_decision.html", last_decision_part),
    audit_actions=AUDIT_ACTIONS,
    last_review=last_review,
)
