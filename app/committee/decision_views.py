"""A child's decision at a meeting: recorded, or corrected by a new version that keeps the
old one; the same form sent twice records one decision."""

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.children import access
from app.children.models import Child
from app.committee import decisions
from app.committee.blueprint import bp, committee_only, meeting_of
from app.committee.decisions import ActionInput, AlreadyRecorded, DecisionInput
from app.committee.forms import DecisionForm
from app.committee.models import ASSIGNEE_LABELS, Assignee, Decision, Meeting, Outcome, Service
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db


@bp.route("/meetings/<uuid:meeting_id>/children/<uuid:child_id>/decision", methods=["GET", "POST"])
@committee_only
def decision(meeting_id: uuid.UUID, child_id: uuid.UUID):
    """A child's decision at the meeting, its earlier versions kept and shown; a new one, or a
    correction of the one standing."""
    meeting = meeting_of(meeting_id)
    child = load(Child, child_id, access.may_open)
    if not decisions.on_agenda(meeting, child.id):
        raise InvalidInput(_("This child is not on this meeting's agenda."), status=404)
    form = DecisionForm()
    if form.validate_on_submit():
        return _record(meeting, child, form)
    status = 422 if form.is_submitted() else 200
    return _decision_page(meeting, child, form, status)


def _decision_page(meeting, child, form: DecisionForm, status: int, error: str | None = None):
    db.session.rollback()  # nothing of a refused decision is kept
    history = decisions.history(meeting, child.id)
    standing = decisions.current(history)
    if not form.is_submitted() or error:
        form.decision_id.data = str(uuid.uuid4())  # a new id for a new attempt
        form.corrects.data = str(standing.id) if standing else ""
    audit("view_review", "child", child.id)
    html = render_template(
        "committee/decision.html",
        meeting=meeting,
        child=child,
        form=form,
        history=history,
        standing=standing,
        error=error,
        assignees=ASSIGNEE_LABELS,
    )
    db.session.commit()
    return html, status


def _record(meeting: Meeting, child: Child, form: DecisionForm):
    try:
        decisions.record(current_user, meeting, child.id, _decision_input(form))
        db.session.commit()
    except AlreadyRecorded:
        db.session.rollback()  # the same form sent twice: recorded once, as the first time
    except IntegrityError:
        db.session.rollback()  # sent twice at once: the other request recorded it
        if db.session.get(Decision, uuid.UUID(form.decision_id.data)) is None:
            return _decision_page(meeting, child, form, 409, decisions.meanwhile())
    except InvalidInput as refusal:
        return _decision_page(meeting, child, form, refusal.status, refusal.message)
    flash(_("The decision is recorded."))
    return redirect(url_for("committee.meeting", meeting_id=meeting.id, _anchor="agenda"), 303)


def _decision_input(form: DecisionForm) -> DecisionInput:
    return DecisionInput(
        decision_id=uuid.UUID(form.decision_id.data),
        outcome=Outcome(form.outcome.data),
        next_review_on=form.next_review_on.data,
        service=Service(form.service.data) if form.service.data else None,
        note=form.note.data or "",
        corrects_id=uuid.UUID(form.corrects.data) if form.corrects.data else None,
        actions=[
            ActionInput(
                what=entry.form.what.data or "",
                assignee=Assignee(entry.form.assignee.data) if entry.form.assignee.data else None,
                assignee_name=entry.form.assignee_name.data or "",
                due_on=entry.form.due_on.data,
            )
            for entry in form.actions
        ],
    )
