"""The committee's pages: who is due, the review interval, meetings and their agendas, the
decisions. Parse, call a service, render; one commit per request. Committee members only, and
only their own district's (404 otherwise, as if the page did not exist)."""

import uuid

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app.committee import decisions, due, minutes, services
from app.committee.blueprint import bp, committee_only, meeting_of
from app.committee.forms import (
    AgendaAddForm,
    EmptyForm,
    IntervalForm,
    MeetingForm,
    MoveForm,
)
from app.committee.services import MeetingDetails
from app.core import clock
from app.core.audit import audit, refuse
from app.core.errors import InvalidInput
from app.core.paging import page_number
from app.extensions import db
from app.i18n.locale import current_language


def member_only() -> None:
    """A committee member with no district has no list and no meetings."""
    if not services.is_member(current_user):
        refuse("page", request.endpoint)


@bp.get("/committee/due")
@committee_only
def due_list():
    """The district's children due for review, with their reasons; only those shown are
    audited as seen."""
    member_only()
    page = due.due_page(current_user, clock.today(), page_number(request.args.get("page", "1")))
    for entry in page.items:
        audit("view_review", "child", entry.child.id)
    html = render_template(
        "committee/due.html",
        page=page,
        format_date=format_date,
        upcoming=services.meetings_of(current_user, clock.today())[0],
    )
    db.session.commit()
    return html


@bp.route("/committee/settings", methods=["GET", "POST"])
@committee_only
def settings():
    member_only()
    form = IntervalForm()
    if form.validate_on_submit():
        services.set_interval(current_user, form.months.data)
        db.session.commit()
        flash(_("The review interval is saved."))
        return redirect(url_for("committee.settings"), 303)
    status = 422 if form.is_submitted() else 200
    if not form.is_submitted():
        form.months.data = services.interval_months(current_user.district)
    return render_template("committee/settings.html", form=form), status


@bp.get("/meetings")
@committee_only
def meetings():
    member_only()
    upcoming, past = services.meetings_of(current_user, clock.today())
    counts = services.agenda_counts([meeting.id for meeting in upcoming + past])
    return render_template("committee/meetings.html", upcoming=upcoming, past=past, counts=counts)


def _meeting_form(form: MeetingForm) -> MeetingForm:
    members = services.district_members(current_user.district)
    form.chair.choices = [("", _("No chair chosen"))] + [
        (str(member.id), member.display_name) for member in members
    ]
    form.members.choices = [(str(member.id), member.display_name) for member in members]
    return form


def _details(form: MeetingForm) -> MeetingDetails:
    try:
        member_ids = [uuid.UUID(value) for value in form.members.data or []]
        chair_id = uuid.UUID(form.chair.data) if form.chair.data else None
    except ValueError as error:
        raise InvalidInput(_("Choose members of this district's committee."), 422) from error
    return MeetingDetails(
        form.held_on.data, form.place.data, chair_id, member_ids, language=form.language.data
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@committee_only
def new_meeting():
    member_only()
    language = services.minutes_language(current_language())
    form = _meeting_form(MeetingForm(language=language))
    if form.validate_on_submit():
        meeting = services.create_meeting(current_user, _details(form))
        db.session.commit()
        flash(_("The meeting is created. Now draft its agenda."))
        return redirect(url_for("committee.meeting", meeting_id=meeting.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("committee/meeting_form.html", form=form, meeting=None), status


@bp.route("/meetings/<uuid:meeting_id>/edit", methods=["GET", "POST"])
@committee_only
def edit_meeting(meeting_id: uuid.UUID):
    meeting = meeting_of(meeting_id)
    form = MeetingForm(obj=None if request.method == "POST" else meeting, language=meeting.language)
    form = _meeting_form(form)
    if form.validate_on_submit():
        services.update_meeting(current_user, meeting, _details(form))
        db.session.commit()
        flash(_("The meeting is saved."))
        return redirect(url_for("committee.meeting", meeting_id=meeting.id), 303)
    if not form.is_submitted():
        form.chair.data = str(meeting.chair_id) if meeting.chair_id else ""
        form.members.data = [str(member.id) for member in meeting.members]
    status = 422 if form.is_submitted() else 200
    return render_template("committee/meeting_form.html", form=form, meeting=meeting), status


@bp.get("/meetings/<uuid:meeting_id>")
@committee_only
def meeting(meeting_id: uuid.UUID):
    """The meeting, its agenda (each child's reasons and decision), and the children due who
    are not on it yet, to add."""
    meeting = meeting_of(meeting_id)
    today = clock.today()
    agenda = services.agenda_of(meeting)
    ids = [item.child_id for item in agenda]
    due_page = due.due_page(
        current_user, today, page_number(request.args.get("page", "1")), services.on_agenda(meeting)
    )
    for child_id in ids + [entry.child.id for entry in due_page.items]:
        audit("view_review", "child", child_id)
    html = render_template(
        "committee/meeting.html",
        meeting=meeting,
        agenda=agenda,
        reasons=due.reasons_of(current_user, today, ids),
        decided=decisions.decided_children(meeting),
        due_page=due_page,
        format_date=format_date,
        form=EmptyForm(),
    )
    db.session.commit()
    return html


@bp.get("/meetings/<uuid:meeting_id>/minutes.pdf")
@committee_only
def minutes_pdf(meeting_id: uuid.UUID):
    """The meeting's minutes as a PDF in its language; the download is audited for the meeting
    and for each child it names."""
    meeting = meeting_of(meeting_id)
    document = minutes.pdf(meeting)
    audit("download_minutes", "committee_meeting", meeting.id)
    for item in meeting.agenda:
        audit("download_minutes", "child", item.child_id)
    db.session.commit()
    headers = {
        "Content-Disposition": f'attachment; filename="{minutes.filename(meeting)}"',
        "Cache-Control": "no-store",
    }
    return Response(document, mimetype="application/pdf", headers=headers)


@bp.post("/meetings/<uuid:meeting_id>/agenda")
@committee_only
def add_to_agenda(meeting_id: uuid.UUID):
    meeting = meeting_of(meeting_id)
    form = AgendaAddForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("This form is damaged. Please reload the page and try again."), 400)
    services.add_to_agenda(current_user, meeting, uuid.UUID(form.child_id.data))
    db.session.commit()
    return redirect(url_for("committee.meeting", meeting_id=meeting.id), 303)


@bp.post("/meetings/<uuid:meeting_id>/agenda/<int:item_id>/move")
@committee_only
def move_agenda_item(meeting_id: uuid.UUID, item_id: int):
    meeting = meeting_of(meeting_id)
    form = MoveForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("This form is damaged. Please reload the page and try again."), 400)
    item = services.agenda_item(meeting, item_id)
    services.move(meeting, item, up=form.direction.data == "up")
    db.session.commit()
    return redirect(url_for("committee.meeting", meeting_id=meeting.id, _anchor="agenda"), 303)


@bp.post("/meetings/<uuid:meeting_id>/agenda/<int:item_id>/remove")
@committee_only
def remove_agenda_item(meeting_id: uuid.UUID, item_id: int):
    meeting = meeting_of(meeting_id)
    if not EmptyForm().validate_on_submit():
        raise InvalidInput(_("This form is damaged. Please reload the page and try again."), 400)
    services.remove(meeting, services.agenda_item(meeting, item_id))
    db.session.commit()
    return redirect(url_for("committee.meeting", meeting_id=meeting.id, _anchor="agenda"), 303)
