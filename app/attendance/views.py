"""Today and the roll call: parse the request, call a service, render."""

import uuid
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.attendance import services
from app.attendance.calendar import load_calendar
from app.attendance.models import Status
from app.auth.permissions import teacher_required
from app.children.models import SchoolClass
from app.children.services import children_of, classes_taught_by, teaches_class
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.htmx import page_or_partial
from app.core.loading import load
from app.core.models import utcnow
from app.extensions import db, htmx
from app.i18n.locale import current_language

bp = Blueprint("attendance", __name__, template_folder="templates")


@bp.get("/today")
@teacher_required
def today():
    calendar = load_calendar()
    now = clock.today()
    day = calendar.latest_school_day(now)
    classes = classes_taught_by(current_user)
    states = services.roll_call_states([c.id for c in classes], day) if day else {}
    return render_template(
        "attendance/today.html", classes=classes, states=states, day=day, today=now
    )


@bp.route("/classes/<uuid:class_id>/roll-call", methods=["GET", "POST"])
@teacher_required
def roll_call(class_id: uuid.UUID):
    school_class = load(SchoolClass, class_id, teaches_class)
    calendar = load_calendar()
    now = clock.today()
    day = _requested_day(calendar, now)
    children = children_of(school_class, current_language())
    if request.method == "POST":
        return _save(school_class, children, calendar, day, now)
    return _render(school_class, children, calendar, day, now)


def _requested_day(calendar, now: date) -> date:
    raw = request.values.get("day")
    if not raw:
        return calendar.latest_school_day(now) or now
    try:
        day = date.fromisoformat(raw)
    except ValueError as error:
        raise InvalidInput(_("This is not a valid date.")) from error
    if day > now:
        raise InvalidInput(_("You cannot take a roll call for a day in the future."))
    return day


def _render(school_class, children, calendar, day, now, status=200, conflicts=(), saved=False):
    marks = services.marks_for([c.id for c in children], day)
    audit("view_roll_call", "school_class", school_class.id)
    editable_days = services.editable_days(calendar, now)
    context = {
        "school_class": school_class,
        "children": children,
        "marks": marks,
        "day": day,
        "editable": day in editable_days,
        "editable_days": editable_days,
        "is_school_day": calendar.is_school_day(day),
        "state": services.roll_call_states([school_class.id], day)[school_class.id],
        "conflicts": {c.child.id: c.current for c in conflicts},
        "saved": saved,
        "statuses": list(Status),
        # Opened without a day, the page is "today's roll call": a copy kept on the phone
        # follows the date to the next school days when opened offline (static/js/day.js).
        "follows_today": "day" not in request.values,
        "coming_days": calendar.school_days_ahead(day, 10),
    }
    response = page_or_partial(
        "attendance/roll_call.html", "attendance/_roll_call.html", status=status, **context
    )
    db.session.commit()  # after rendering, so the page reads no expired rows again
    return response


def _save(school_class, children, calendar, day, now):
    services.check_day(calendar, day, now)
    entries = _parse_entries(children)
    try:
        result = services.save_roll_call(
            current_user, school_class, children, day, entries, recorded_at=utcnow()
        )
    except (IntegrityError, StaleDataError):
        # Someone saved the same marks in the same instant: show what is stored now.
        db.session.rollback()
        return _render_conflict(school_class, children, calendar, day, now)
    if result.conflicts:
        db.session.rollback()
        return _render(school_class, children, calendar, day, now, 409, result.conflicts)
    if htmx:
        return _render(school_class, children, calendar, day, now, saved=True)
    db.session.commit()
    flash(_("Roll call saved."), "success")
    return redirect(url_for(".roll_call", class_id=school_class.id, day=day.isoformat()), 303)


def _render_conflict(school_class, children, calendar, day, now):
    marks = services.marks_for([c.id for c in children], day)
    conflicts = [services.Conflict(c, marks[c.id]) for c in children if c.id in marks]
    return _render(school_class, children, calendar, day, now, 409, conflicts)


def _parse_entries(children) -> dict[uuid.UUID, services.Entry]:
    """Each child's status, reason and base version from the form; unknown children refused."""
    class_ids = {str(child.id) for child in children}
    entries = {}
    for key in request.form:
        if not key.startswith("status-"):
            continue
        raw_id = key.removeprefix("status-")
        if raw_id not in class_ids:
            raise InvalidInput(_("A child in this roll call is not in this class."))
        entries[uuid.UUID(raw_id)] = services.parse_entry(
            request.form.get(key),
            request.form.get(f"reason-{raw_id}"),
            request.form.get(f"version-{raw_id}"),
        )
    if not entries and children:
        abort(400)
    return entries
