"""What auth adds to the shared parts of Qadam (see app/core/domains.py)."""

from flask_babel import lazy_gettext as _l

from app.core.domains import Domain

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
DOMAIN = Domain(name="auth", audit_actions={"login": _l("logged in"), "logout": _l("logged out")})
