"""What school results add to the shared parts of Qadam (see app/core/domains.py)."""

from flask_babel import lazy_gettext as _l

from app.core.domains import MAIN, ChildSection, Domain
from app.results import overview
from app.results.retention import anonymise_results
from app.results.sync_ops import SYNC_KINDS

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "results_write": _l("changed school results"),
    "view_results": _l("viewed a class's school results"),
    "results_sync": _l("changed school results from a phone that was offline"),
    "results_import": _l("imported school results from the e-journal"),
}

DOMAIN = Domain(
    name="results",
    child_sections=(ChildSection("results/_child_results.html", overview.child_section, MAIN),),
    timeline_sources=(overview.results_by_term,),
    alert_rules=((4, overview.struggling),),
    anonymisers=(anonymise_results,),
    audit_actions=AUDIT_ACTIONS,
    sync_kinds=SYNC_KINDS,
)
