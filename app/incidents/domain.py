"""What incidents add to the shared parts of Qadam (see app/core/domains.py)."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.children.models import Child
from app.core.domains import ACTIONS, RESTRICTED, ChildSection, Domain, ReviewSection, StandIn
from app.incidents import overview, queries, review
from app.incidents.retention import anonymise_incidents
from app.incidents.sync_ops import SYNC_KINDS


def child_incidents(child: Child) -> dict:
    return {"incidents": queries.of_child(child.id)}


def offline_pages(user) -> list[str]:
    """The form to report an incident, once for all the children a teacher or social worker
    follows (it stands in for each child's form offline: STAND_INS)."""
    if user.role not in queries.REPORTING_ROLES:
        return []
    return [url_for("incidents.new_on_phone")]


# The addresses the phone's one form answers for; incident_form.js reads it from the page.
FORM_STAND_IN = StandIn(r"^/children/[0-9a-f-]{36}/incidents/new$", "incidents.new_on_phone")
STAND_INS = (FORM_STAND_IN,)


def client_strings() -> dict:
    return {
        "kinds": {"incident": _("Incident")},
        "incident_summary": _("Incident report"),
        "incident_will_send": _(
            "The report will be sent to the child's social worker when there is a connection."
        ),
        "incident_incomplete": _(
            "Fill in when, where, who was involved, what happened and how serious it was."
        ),
    }


# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
AUDIT_ACTIONS = {
    "incident_report": _l("reported an incident"),
    "incident_sync": _l("reported an incident from a phone that was offline"),
    "view_incident": _l("read an incident report"),
    "view_own_report": _l("looked at their own incident report"),
    "view_list": _l("saw it in a list of incidents"),
    "incident_action": _l("recorded an action on an incident"),
    "incident_referral": _l("recorded a referral for an incident"),
    "incident_status": _l("changed the status of an incident"),
    "view_review": _l("saw the child on the committee's review list"),
}

DOMAIN = Domain(
    name="incidents",
    offline_pages=offline_pages,
    offline_stand_ins=STAND_INS,
    child_sections=(
        ChildSection("incidents/_child_report_link.html", place=ACTIONS),
        ChildSection("incidents/_child_incidents.html", child_incidents, RESTRICTED),
    ),
    timeline_sources=(overview.incidents,),
    review_sections=(
        ReviewSection("incidents/_review_incidents.html", review.incidents_part, rank=60),
    ),
    alert_rules=((3, overview.unresolved_incidents),),
    anonymisers=(anonymise_incidents,),
    audit_actions=AUDIT_ACTIONS,
    client_strings=client_strings,
    sync_kinds=SYNC_KINDS,
)
