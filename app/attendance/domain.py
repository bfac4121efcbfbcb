"""What attendance adds to the shared parts of Qadam (see app/core/domains.py)."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.attendance import overview, review
from app.attendance.sync_ops import SYNC_KINDS
from app.auth.models import Role, User
from app.children.services import classes_taught_by
from app.core.domains import MAIN, ChildSection, Domain, ReviewSection


def offline_pages(user: User) -> list[str]:
    """A teacher's roll call of each class they teach."""
    if user.role is not Role.TEACHER:
        return []
    return [url_for("attendance.roll_call", class_id=c.id) for c in classes_taught_by(user)]


def client_strings() -> dict:
    return {
        "not_taken": _("Not taken yet"),
        # TRANSLATORS: on a class's card on Today: its roll call is on the phone, not yet sent.
        "roll_call_waiting": _("Saved on this phone, waiting to be sent"),
    }


# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "attendance_write": _l("changed attendance"),
    "attendance_sync": _l("changed attendance from a phone that was offline"),
    "attendance_import": _l("imported attendance from the e-journal"),
    "view_roll_call": _l("viewed the roll call"),
}

DOMAIN = Domain(
    name="attendance",
    offline_pages=offline_pages,
    child_sections=(
        ChildSection("attendance/_child_attendance.html", overview.child_section, MAIN),
    ),
    timeline_sources=(overview.attendance_by_week,),
    review_sections=(
        ReviewSection("attendance/_review_attendance.html", review.attendance_part, MAIN, 40),
    ),
    alert_rules=((1, overview.low_attendance),),
    audit_actions=AUDIT_ACTIONS,
    client_strings=client_strings,
    sync_kinds=SYNC_KINDS,
)
