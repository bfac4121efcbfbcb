"""What the administration adds to the shared parts of Qadam (see app/core/domains.py)."""

from flask_babel import lazy_gettext as _l

from app.core.domains import Domain

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "view_roster": _l("viewed in the administration"),
    "caseload_add": _l("added to a social worker's caseload"),
    "caseload_remove": _l("removed from a social worker's caseload"),
}

DOMAIN = Domain(name="admin", audit_actions=AUDIT_ACTIONS)
