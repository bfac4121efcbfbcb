"""Reporting an incident, the reporter's list, the social worker's follow-up, the committee's
review list. Parse, call a service, render; one commit per request."""

import uuid

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role
from app.auth.permissions import role_required
from app.children import access
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.core.paging import page_number
from app.extensions import db
from app.incidents import queries, services
from app.incidents.domain import FORM_STAND_IN
from app.incidents.forms import ActionForm, ReferralForm, ReportForm, StatusForm
from app.incidents.models import Incident, Involved, Kind, Place, Referral, Severity, Status
from app.incidents.queries import REPORTING_ROLES, Sight

bp = Blueprint("incidents", __name__, template_folder="templates")

CONFLICT = _l("Someone else changed this incident meanwhile. Nothing was saved; look again.")
ID_TAKEN = _l("This report could not be saved under its id. Please reload the form and try again.")


@bp.route("/children/<uuid:child_id>/incidents/new", methods=["GET", "POST"])
@role_required(*REPORTING_ROLES)
def new(child_id: uuid.UUID):
    child = load(Child, child_id, queries.may_report)
    form = ReportForm()
    if form.validate_on_submit():
        return _report(child, form)
    status = 422 if form.is_submitted() else 200
    if not form.is_submitted():
        form = ReportForm(formdata=None, report_id=str(uuid.uuid4()), occurred_on=clock.today())
    return _report_page(child, form, status)


@bp.get("/incidents/new")
@role_required(*REPORTING_ROLES)
def new_on_phone():
    """The report form as a phone keeps it: one copy for all the children the person may
    report for, not one per child. Offline, the service worker shows it for any child's
    form (/children/<id>/incidents/new, see the domain's StandIn); incident_form.js reads the
    child from that address and names them from the list in the page."""
    reachable = access.reachable_child_ids(current_user)
    # The same children as their own forms (may_report: the ones the person reaches).
    children = db.session.scalars(select(Child).where(Child.id.in_(reachable))).all()
    for child in children:
        audit("view", "child", child.id)  # the page names each of them
    form = ReportForm(formdata=None, report_id=str(uuid.uuid4()), occurred_on=clock.today())
    names = {str(child.id): child.full_name for child in children}
    page = render_template(
        "incidents/new.html",
        child=None,
        names=names,
        address=FORM_STAND_IN.pattern,
        form=form,
        today=clock.today(),
    )
    db.session.commit()
    return page


def _report_page(child: Child, form: ReportForm, status: int, error: str | None = None):
    db.session.rollback()  # nothing of a refused report is kept
    audit("view", "child", child.id)  # the page names the child
    page = render_template(
        "incidents/new.html", child=child, form=form, error=error, today=clock.today()
    )
    db.session.commit()
    return page, status


def _report(child: Child, form: ReportForm):
    incident_id = uuid.UUID(form.report_id.data)
    existing = db.session.get(Incident, incident_id)
    if existing is not None:  # sent twice (a retry): the first one counts
        if existing.reported_by_id != current_user.id:
            return _report_page(child, form, 409, str(ID_TAKEN))
        return _reported(existing)
    values = services.ReportValues(
        occurred_on=form.occurred_on.data,
        place=Place(form.place.data),
        involved=[Involved(v) for v in form.involved.data],
        what_happened=[Kind(v) for v in form.what_happened.data],
        severity=Severity(form.severity.data),
        immediate_action=(form.immediate_action.data or "").strip(),
    )
    try:
        incident = services.report(child, current_user, values, clock.today(), incident_id)
        db.session.commit()
    except InvalidInput as error:
        return _report_page(child, form, error.status, str(error.message))
    except IntegrityError:  # the same id saved by a parallel request in the same instant
        return _report_page(child, form, 409, str(ID_TAKEN))
    return _reported(incident)


def _reported(incident: Incident):
    flash(_("The report was sent to the child's social worker."), "success")
    if current_user.role is Role.TEACHER:
        return redirect(url_for("incidents.mine"), code=303)
    return redirect(url_for("incidents.incident", incident_id=incident.id), code=303)


@bp.get("/incidents/mine")
@role_required(Role.TEACHER)
def mine():
    incidents = queries.reported_by(current_user)
    for incident in incidents:
        audit("view_own_report", "incident", incident.id)
    page = render_template("incidents/mine.html", incidents=incidents)
    db.session.commit()
    return page


@bp.get("/incidents")
@role_required(Role.SOCIAL_WORKER)
def caseload():
    incidents = queries.of_caseload(current_user)
    for incident in incidents:
        audit("view_list", "incident", incident.id)
    page = render_template("incidents/caseload.html", incidents=incidents)
    db.session.commit()
    return page


@bp.get("/incidents/<uuid:incident_id>")
@role_required(*REPORTING_ROLES, Role.COMMITTEE_MEMBER)
def incident(incident_id: uuid.UUID):
    incident = load(Incident, incident_id, queries.sight_of)
    return _incident_page(incident, queries.sight_of(current_user, incident))


def _incident_page(incident: Incident, sight: Sight, status: int = 200, **forms) -> Response:
    db.session.rollback()  # a refused change writes nothing
    incident = db.session.get(Incident, incident.id)
    audit("view_incident", "incident", incident.id)
    audit("view_incident", "child", incident.child_id)
    error = forms.pop("error", None)
    context = {"incident": incident, "sight": sight, "Sight": Sight, "error": error}
    if sight is not Sight.OWN_REPORT:
        context["events"] = queries.events_of(incident)
    if sight is Sight.CASEWORK:
        context |= {
            "action_form": forms.get("action_form") or ActionForm(formdata=None),
            "referral_form": forms.get("referral_form") or ReferralForm(formdata=None),
            "status_form": forms.get("status_form") or StatusForm(formdata=None),
            "next_statuses": sorted(services.TRANSITIONS[incident.status]),
        }
    response = Response(render_template("incidents/incident.html", **context), status)
    db.session.commit()
    return response


def _casework_incident(incident_id: uuid.UUID) -> Incident:
    # The child's social worker only: the committee reads, the reporter sees; no follow-up.
    return load(Incident, incident_id, queries.in_casework)


def _followed_up(incident: Incident, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("incidents.incident", incident_id=incident.id, _anchor="history"), 303)


@bp.post("/incidents/<uuid:incident_id>/action")
@role_required(Role.SOCIAL_WORKER)
def action(incident_id: uuid.UUID):
    incident = _casework_incident(incident_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _incident_page(incident, Sight.CASEWORK, 422, action_form=form)
    try:
        services.record_action(incident, current_user, form.note.data)
    except InvalidInput as error:
        return _incident_page(
            incident, Sight.CASEWORK, error.status, action_form=form, error=error.message
        )
    return _followed_up(incident, _("The action is recorded."))


@bp.post("/incidents/<uuid:incident_id>/referral")
@role_required(Role.SOCIAL_WORKER)
def referral(incident_id: uuid.UUID):
    incident = _casework_incident(incident_id)
    form = ReferralForm()
    if not form.validate_on_submit():
        return _incident_page(incident, Sight.CASEWORK, 422, referral_form=form)
    to = Referral(form.referral_to.data)
    services.record_referral(incident, current_user, to, form.referral_note.data)
    return _followed_up(incident, _("The referral is recorded."))


@bp.post("/incidents/<uuid:incident_id>/status")
@role_required(Role.SOCIAL_WORKER)
def status(incident_id: uuid.UUID):
    incident = _casework_incident(incident_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _incident_page(incident, Sight.CASEWORK, 422, status_form=form)
    to = Status(form.status_to.data)
    try:
        services.change_status(
            incident, current_user, to, int(form.version.data), form.status_note.data
        )
    except services.EditConflict:
        return _incident_page(incident, Sight.CASEWORK, 409, error=str(CONFLICT))
    except InvalidInput as error:
        return _incident_page(incident, Sight.CASEWORK, error.status, error=error.message)
    return _followed_up(incident, _("The status is now “%(status)s”.", status=to.label))


@bp.get("/review")
@role_required(Role.COMMITTEE_MEMBER)
def review():
    """The committee's one list of children to review is now the due list (app/committee),
    which lists the serious incidents' review items among its reasons; old links lead there."""
    number = page_number(request.args.get("page", "1"))
    return redirect(url_for("committee.due_list", page=number if number > 1 else None), 301)
