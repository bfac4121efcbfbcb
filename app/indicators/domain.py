"""What the indicators' exports add to the shared parts of Qadam (app/core/domains.py)."""

from flask_babel import lazy_gettext as _l

from app.core.domains import Domain

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "export": _l("exported a list naming the child (an encrypted archive)"),
}

DOMAIN = Domain(name="indicators", audit_actions=AUDIT_ACTIONS)
