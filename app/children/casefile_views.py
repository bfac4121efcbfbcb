"""The child's social worker records the background, consent and the case's closure.

Every endpoint is the case worker's only (the child is in their caseload); anyone else gets
404. A form that fails answers the child's page again with the person's input and a message.
"""

import uuid

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import role_required
from app.children import access, casefile
from app.children.background import ConsentScope, Representative, ReturnedFrom
from app.children.casefile import BackgroundValues, EditConflict
from app.children.casefile_forms import BackgroundForm, CaseForm, ConsentForm, WithdrawForm
from app.children.models import Child
from app.children.page import render_child_page
from app.core import clock
from app.core.audit import audit, refuse
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db

bp = Blueprint("casefile", __name__)

CONFLICT = _l(
    "Someone else saved this background while you were editing it. Nothing was overwritten: "
    "their version is shown above and yours is still in the form. Compare them and save again."
)


def _done(child: Child, message: str, anchor: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("children.child", child_id=child.id, _anchor=anchor), code=303)


def _again(child: Child, status: int, **casework: object):
    """Nothing is written; the page shows the person's input and what went wrong."""
    db.session.rollback()
    page = render_child_page(child, status, **casework)
    db.session.commit()  # the read of the background is audited
    return page


@bp.post("/children/<uuid:child_id>/background")
@role_required(Role.SOCIAL_WORKER)
def background(child_id: uuid.UUID):
    child = load(Child, child_id, access.in_caseload)
    form = BackgroundForm()
    if not form.validate_on_submit():
        return _again(child, 422, background_form=form)
    values = BackgroundValues(
        returned_from=ReturnedFrom(form.returned_from.data) if form.returned_from.data else None,
        returned_on=form.returned_on.data,
        family_situation=(form.family_situation.data or "").strip(),
        parents_legal_notes=(form.parents_legal_notes.data or "").strip(),
    )
    try:
        casefile.save_background(child, current_user, int(form.version.data), values, clock.today())
    except EditConflict:
        return _conflict(child, form)
    except InvalidInput as error:
        return _again(child, error.status, background_form=form, error=error.message)
    audit("change", "child_background", child.id)
    return _done(child, _("Background saved."), "background")


def _conflict(child: Child, form: BackgroundForm):
    """Their version is saved and shown; the person's text stays in the form, now based on the
    saved version, so saving again is a decision made with both in view."""
    db.session.rollback()
    saved = casefile.background_of(child.id)
    form.version.data = str(saved.version if saved else 0)
    return _again(child, 409, background_form=form, conflict=str(CONFLICT))


@bp.post("/children/<uuid:child_id>/consents")
@role_required(Role.SOCIAL_WORKER)
def consents(child_id: uuid.UUID):
    child = load(Child, child_id, access.in_caseload)
    form = ConsentForm()
    if not form.validate_on_submit():
        return _again(child, 422, consent_form=form)
    try:
        consent = casefile.record_consent(
            child,
            current_user,
            form.given_on.data,
            [ConsentScope(value) for value in form.scope.data],
            Representative(form.representative.data),
            form.document_reference.data or "",
            clock.today(),
        )
    except InvalidInput as error:
        return _again(child, error.status, consent_form=form, error=error.message)
    audit("create", "consent", consent.id)
    return _done(child, _("Consent recorded."), "consents")


@bp.post("/children/<uuid:child_id>/consents/<uuid:consent_id>/withdraw")
@role_required(Role.SOCIAL_WORKER)
def withdraw(child_id: uuid.UUID, consent_id: uuid.UUID):
    child = load(Child, child_id, access.in_caseload)
    consent = casefile.consent_of(child, consent_id) or refuse("consent", consent_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _again(child, 422, withdraw_form=form, withdrawing=consent.id)
    try:
        casefile.withdraw_consent(
            child, consent, current_user, form.withdrawn_on.data, clock.today()
        )
    except InvalidInput as error:
        return _again(
            child, error.status, withdraw_form=form, withdrawing=consent.id, error=error.message
        )
    audit("withdraw", "consent", consent.id)
    return _done(child, _("The withdrawal of consent is recorded."), "consents")


@bp.post("/children/<uuid:child_id>/case")
@role_required(Role.SOCIAL_WORKER)
def case(child_id: uuid.UUID):
    child = load(Child, child_id, access.in_caseload)
    form = CaseForm()
    if not form.validate_on_submit():
        return _again(child, 422, case_form=form)
    try:
        if form.action.data == "close":
            years = current_app.config["QADAM_RETENTION_YEARS"]
            casefile.close_case(child, form.closed_on.data, clock.today(), years)
        else:
            casefile.reopen_case(child)
    except InvalidInput as error:
        return _again(child, error.status, case_form=form, error=error.message)
    if form.action.data == "close":
        audit("close_case", "child", child.id)
        return _done(child, _("The case is closed."), "case")
    audit("reopen_case", "child", child.id)
    return _done(child, _("The case is open again."), "case")
