"""What children adds to the shared parts of Qadam (see app/core/domains.py)."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.auth.models import Role, User
from app.children import access
from app.children.review import background_part
from app.core.domains import RESTRICTED, Domain, ReviewSection, contributions
from app.extensions import db


def offline_pages(user: User) -> list[str]:
    """For teachers and social workers, the page of each child they follow (which never holds
    a child's background: see children.page) and what other domains keep per child."""
    if user.role not in (Role.TEACHER, Role.SOCIAL_WORKER):
        return []
    pages = []
    per_child = contributions("offline_child_pages")
    for child_id in db.session.scalars(access.reachable_child_ids(user)):
        pages.append(url_for("children.child", child_id=child_id))
        for pages_of in per_child:
            pages += pages_of(user, child_id)
    return pages


# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "create": _l("added to the roll"),
    "enrol": _l("moved to another class"),
    "rollover": _l("moved up a grade"),
    "leave": _l("recorded as having left"),
    "view_review_summary": _l("viewed the review summary"),
}

DOMAIN = Domain(
    name="children",
    offline_pages=offline_pages,
    review_sections=(
        ReviewSection("children/_review_background.html", background_part, RESTRICTED, rank=10),
    ),
    audit_actions=AUDIT_ACTIONS,
)
