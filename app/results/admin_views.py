"""The administration's pages of school results: the district's subjects, and who teaches
which subject in a class."""

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from app.auth.models import User
from app.auth.permissions import admin_required
from app.children.models import SchoolClass
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db
from app.results import subjects as service
from app.results.blueprint import bp
from app.results.forms import SubjectForm, SubjectTeacherForm
from app.results.models import LANGUAGES, Subject


def _done(message: str, endpoint: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)


@bp.route("/admin/subjects", methods=["GET", "POST"])
@admin_required
def subjects():
    form = SubjectForm()
    if form.validate_on_submit():
        names = {language: getattr(form, f"name_{language}").data for language in LANGUAGES}
        service.add_subject(names, form.grade_from.data, form.grade_to.data)
        return _done(_("Subject added."), ".subjects")
    status = 422 if form.errors else 200
    page = render_template(
        "results/admin_subjects.html",
        subjects=service.all_subjects(),
        form=form,
        defaults_missing=bool(service.missing_default_subjects()),
    )
    return page, status


@bp.post("/admin/subjects/defaults")
@admin_required
def add_defaults():
    added = service.add_default_subjects()
    return _done(ngettext("%(num)d subject added.", "%(num)d subjects added.", added), ".subjects")


@bp.route("/admin/subjects/<uuid:subject_id>", methods=["GET", "POST"])
@admin_required
def subject(subject_id: uuid.UUID):
    subject = load(Subject, subject_id)
    form = SubjectForm(obj=subject)
    if form.validate_on_submit():
        form.populate_obj(subject)
        return _done(_("Saved."), ".subjects")
    page = render_template("results/admin_subject.html", subject=subject, form=form)
    return page, (422 if form.errors else 200)


@bp.route("/admin/classes/<uuid:class_id>/subjects", methods=["GET", "POST"])
@admin_required
def class_subjects(class_id: uuid.UUID):
    school_class = load(SchoolClass, class_id)
    form = _teacher_form(school_class)
    if form.validate_on_submit():
        subject = db.session.get(Subject, uuid.UUID(form.subject.data))
        teacher = db.session.get(User, uuid.UUID(form.teacher.data))
        service.assign(school_class, subject, teacher)
        return _done(_("Saved."), ".class_subjects", class_id=school_class.id)
    page = render_template(
        "results/admin_class_subjects.html",
        school_class=school_class,
        form=form,
        assigned=service.subject_teachers(school_class),
    )
    return page, (422 if form.errors else 200)


@bp.post("/admin/classes/<uuid:class_id>/subjects/remove")
@admin_required
def remove_subject_teacher(class_id: uuid.UUID):
    school_class = load(SchoolClass, class_id)
    try:
        subject_id = uuid.UUID(request.form.get("subject", ""))
        user_id = uuid.UUID(request.form.get("teacher", ""))
    except ValueError as error:
        raise InvalidInput(_("The form was changed in an unexpected way."), status=400) from error
    service.unassign(school_class, subject_id, user_id)
    return _done(_("Saved."), ".class_subjects", class_id=school_class.id)


def _teacher_form(school_class: SchoolClass) -> SubjectTeacherForm:
    form = SubjectTeacherForm()
    form.subject.choices = [
        SelectChoice(str(s.id), s.name) for s in service.subjects_of_grade(school_class.grade)
    ]
    form.teacher.choices = [
        SelectChoice(str(t.id), t.display_name) for t in service.active_teachers()
    ]
    return form
