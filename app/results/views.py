"""A class's term results: choosing a subject and term, and the sheet a teacher fills in."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.attendance.models import Term
from app.auth.permissions import teacher_required
from app.children.models import SchoolClass
from app.children.services import children_of, teaches_class
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.core.models import utcnow
from app.extensions import db
from app.i18n.locale import current_language
from app.results import services
from app.results.blueprint import bp
from app.results.models import Subject
from app.results.sheets import current_sheets
from app.results.subjects import subjects_entered_by, teaches


def _enters_results(user, school_class: SchoolClass) -> bool:
    """The class's own teacher (even before any subject is set up), or a subject teacher."""
    return teaches_class(user, school_class) or bool(subjects_entered_by(user, school_class))


@bp.get("/results")
@teacher_required
def index():
    classes = current_sheets(current_user, clock.today())
    return render_template("results/index.html", classes=classes)


@bp.get("/classes/<uuid:class_id>/results")
@teacher_required
def choose(class_id: uuid.UUID):
    """The subjects this teacher enters in the class, for each term under way or past."""
    school_class = load(SchoolClass, class_id, _enters_results)
    return render_template(
        "results/choose.html",
        school_class=school_class,
        subjects=subjects_entered_by(current_user, school_class),
        terms=services.begun_terms(school_class, clock.today()),
    )


@bp.route(
    "/classes/<uuid:class_id>/results/<uuid:subject_id>/<int:term_number>",
    methods=["GET", "POST"],
)
@teacher_required
def sheet(class_id: uuid.UUID, subject_id: uuid.UUID, term_number: int):
    subject = db.session.get(Subject, subject_id)

    def enters_subject(user, school_class: SchoolClass) -> bool:
        return subject is not None and teaches(user.id, school_class.id, subject.id)

    school_class = load(SchoolClass, class_id, enters_subject)
    term = _term(school_class, term_number)
    services.check_sheet(school_class, subject, term, clock.today())
    children = children_of(school_class, current_language())
    if request.method == "POST":
        return _save(school_class, subject, term, children)
    return _render(school_class, subject, term, children)


def _term(school_class: SchoolClass, number: int) -> Term:
    term = services.term_of(school_class, number)
    if term is None:
        raise InvalidInput(_("There is no such term in this school year."), status=404)
    return term


def _render(school_class, subject, term, children, status=200, conflicts=()):
    results = services.results_for([c.id for c in children], subject.id, term.id)
    audit("view_results", "school_class", school_class.id)
    response = (
        render_template(
            "results/sheet.html",
            school_class=school_class,
            subject=subject,
            term=term,
            children=children,
            results=results,
            marked=school_class.grade != services.UNMARKED_GRADE,
            bands=services.BANDS,
            conflicts={c.child.id: c.current for c in conflicts},
        ),
        status,
    )
    db.session.commit()
    return response


def _save(school_class, subject, term, children):
    entries = _parse_entries(school_class, children)
    try:
        saved = services.save_sheet(
            current_user, school_class, subject, term, entries, recorded_at=utcnow()
        )
    except (IntegrityError, StaleDataError):
        db.session.rollback()  # saved by someone else in the same instant: show what is stored
        results = services.results_for([c.id for c in children], subject.id, term.id)
        conflicts = [services.Conflict(c, results[c.id]) for c in children if c.id in results]
        return _render(school_class, subject, term, children, 409, conflicts)
    if saved.conflicts:
        db.session.rollback()
        return _render(school_class, subject, term, children, 409, saved.conflicts)
    db.session.commit()
    flash(_("Results saved."), "success")
    return redirect(
        url_for(
            ".sheet",
            class_id=school_class.id,
            subject_id=subject.id,
            term_number=term.number,
        ),
        303,
    )


def _parse_entries(school_class, children) -> dict[uuid.UUID, services.Entry]:
    """Each child's fields from the form; a field for a child not in the class is refused."""
    known = {str(child.id) for child in children}
    ids = {key.split("-", 1)[1] for key in request.form if key.startswith("version-")}
    if ids - known:
        raise InvalidInput(_("A child on this sheet is not in this class."))
    return {
        uuid.UUID(raw_id): services.entry(
            school_class.grade,
            _whole_number(request.form.get(f"percentage-{raw_id}")),
            _whole_number(request.form.get(f"mark-{raw_id}")),
            request.form.get(f"comment-{raw_id}"),
            _whole_number(request.form.get(f"version-{raw_id}")) or 0,
        )
        for raw_id in ids
    }


def _whole_number(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as error:
        raise InvalidInput(_("“%(value)s” is not a whole number.", value=raw[:20])) from error
