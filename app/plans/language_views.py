"""A child's language support: the level each term (recorded or corrected by the class
teacher; a level recorded meanwhile answers 409 with what is stored now) and the sessions."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import role_required, teacher_required
from app.children import access
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db
from app.plans import checks, language
from app.plans.blueprint import bp
from app.plans.forms import LevelForm, SessionForm
from app.plans.models import LEVEL_DESCRIPTIONS, TERMS
from app.plans.services import EditConflict

STALE = _l(
    "Someone else recorded a level for this term while you were choosing. Nothing was "
    "overwritten: the level stored now is shown below and your choice is still in the form. "
    "Save again to correct it."
)


@bp.get("/children/<uuid:child_id>/language")
@role_required(*access.RECORD_ROLES)
def language_page(child_id: uuid.UUID):
    child = load(Child, child_id, access.may_open)
    audit("view_language", "child", child.id)
    page = _page(child, term_number=request.args.get("term", type=int))
    db.session.commit()
    return page


@bp.post("/children/<uuid:child_id>/language/level")
@teacher_required
def level(child_id: uuid.UUID):
    child = load(Child, child_id, checks.writes_plan)
    form = LevelForm()
    form.validate()  # refuses a field the form does not take (400); the values are checked below
    term = None
    try:
        term = checks.begun_term(checks.school_year(), form.term.data, clock.today())
        value, spoken = language.level_values(form.level.data, form.language.data)
        version = checks.whole_number(form.version.data, checks.DAMAGED)
        language.record_level(child, term, value, spoken, current_user, version)
    except EditConflict:
        db.session.rollback()
        return _page(child, term.number, level_form=form, status=409, error=str(STALE))
    except InvalidInput as error:
        db.session.rollback()
        number = term.number if term else None
        return _page(child, number, form, status=error.status, error=str(error.message))
    db.session.commit()
    flash(_("The language level is saved."), "success")
    return redirect(url_for(".language_page", child_id=child.id), code=303)


@bp.post("/children/<uuid:child_id>/language/sessions")
@teacher_required
def session(child_id: uuid.UUID):
    child = load(Child, child_id, checks.writes_plan)
    form = SessionForm()
    form.validate()
    today = clock.today()
    terms = checks.terms_of(checks.school_year())
    try:
        session_id = checks.client_id(form.session_id.data)
        values = language.session_values(
            checks.day(form.held_on.data),
            form.minutes.data,
            form.with_whom.data,
            form.language.data,
            form.note.data,
            terms[0].starts_on if terms else clock.academic_year_start(today),
            today,
        )
        language.add_session(session_id, child, values, current_user)
    except InvalidInput as error:
        db.session.rollback()
        return _page(child, session_form=form, status=error.status, error=str(error.message))
    db.session.commit()
    flash(_("The session is saved."), "success")
    return redirect(url_for(".language_page", child_id=child.id), code=303)


def _page(child, term_number=None, level_form=None, session_form=None, status=200, error=None):
    """The page; `term_number` chooses the term whose level the form records (this one by
    default); a form given keeps the person's input."""
    today = clock.today()
    year = checks.school_year()
    terms = checks.terms_of(year)
    begun = [term for term in terms if term.starts_on <= today]
    current = language.term_of_day(terms, today)
    levels = language.levels_of(child.id, year)
    chosen = next((t for t in begun if t.number == term_number), current)
    can_write = checks.may_write(current_user, child)
    if can_write and chosen is not None:
        stored = levels.get(chosen.number)
        if level_form is None:
            level_form = _level_form(child, chosen.number, stored)
        else:  # a conflict: the person's choice, now based on the stored level
            level_form.version.data = str(stored.version if stored else 0)
    if can_write and session_form is None:
        session_form = SessionForm(
            formdata=None, session_id=str(uuid.uuid4()), held_on=today.isoformat()
        )
        session_form.language.data = "ar"
    sessions = language.sessions_of(child.id, terms[0].starts_on if terms else today)
    page = render_template(
        "plans/language.html",
        child=child,
        begun=begun,
        all_terms=TERMS,
        levels=levels,
        chosen=chosen,
        current=current,
        totals=language.term_totals(child.id, current),
        sessions=sessions,
        descriptions=LEVEL_DESCRIPTIONS,
        can_write=can_write,
        level_form=level_form,
        session_form=session_form,
        error=error,
    )
    return page, status


def _level_form(child: Child, number: int, stored) -> LevelForm:
    form = LevelForm(formdata=None, version=str(stored.version if stored else 0))
    form.term.data = str(number)
    form.level.data = str(stored.level) if stored else None
    form.language.data = stored.language if stored else language.instruction_language(child)
    return form
