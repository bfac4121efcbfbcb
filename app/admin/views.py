"""Administration: schools, classes, children's enrolment and the year-end rollover.

Accounts and roster import have their own modules (accounts_views.py, import_views.py).
"""

import uuid

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.admin import schools as service
from app.admin.blueprint import bp
from app.admin.forms import ChildForm, ClassForm, LeaveForm, MoveForm, SchoolForm
from app.attendance.calendar import academic_year_of
from app.auth.permissions import admin_required
from app.children import enrolment
from app.children.models import Child, School, SchoolClass
from app.core import clock
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.loading import load
from app.extensions import db
from app.i18n.collation import name_key
from app.i18n.locale import current_language


@bp.get("/")
@admin_required
def index():
    endpoints = set(current_app.view_functions)
    return render_template("admin/index.html", admin_endpoints=endpoints)


def _done(message: str, endpoint: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values), code=303)


@bp.route("/schools", methods=["GET", "POST"])
@admin_required
def schools():
    form = SchoolForm()
    if form.validate_on_submit():
        school = service.create_school(form.name.data, form.district.data, form.region.data)
        return _done(_("School created."), ".school", school_id=school.id)
    status = 422 if form.errors else 200
    return render_template("admin/schools.html", schools=service.schools(), form=form), status


@bp.route("/schools/<uuid:school_id>", methods=["GET", "POST"])
@admin_required
def school(school_id: uuid.UUID):
    school = load(School, school_id)
    form = SchoolForm(obj=school)
    class_form = ClassForm(prefix="class", academic_year=academic_year_of(clock.today()))
    if form.validate_on_submit():
        form.populate_obj(school)
        return _done(_("Saved."), ".school", school_id=school.id)
    return _school_page(school, form, class_form, 422 if form.errors else 200)


def _school_page(school, form, class_form, status=200):
    classes = sorted(
        school.classes,
        key=lambda c: (c.archived_at is not None, c.academic_year, c.grade, c.letter),
    )
    sizes = enrolment.class_sizes([c.id for c in classes])
    return render_template(
        "admin/school.html",
        school=school,
        form=form,
        class_form=class_form,
        classes=classes,
        sizes=sizes,
    ), status


@bp.post("/schools/<uuid:school_id>/archive")
@admin_required
def archive_school(school_id: uuid.UUID):
    school = load(School, school_id)
    service.archive_school(school)
    return _done(_("School archived. Its records are kept."), ".schools")


@bp.post("/schools/<uuid:school_id>/classes")
@admin_required
def create_class(school_id: uuid.UUID):
    school = load(School, school_id)
    class_form = ClassForm(prefix="class")
    if class_form.validate_on_submit():
        service.create_class(
            school,
            class_form.grade.data,
            class_form.letter.data,
            class_form.language.data,
            class_form.academic_year.data,
        )
        return _done(_("Class created."), ".school", school_id=school.id)
    return _school_page(school, SchoolForm(obj=school), class_form, 422)


@bp.route("/classes/<uuid:class_id>", methods=["GET", "POST"])
@admin_required
def school_class(class_id: uuid.UUID):
    school_class = load(SchoolClass, class_id)
    form = ClassForm(
        obj=school_class,
        language=school_class.language_of_instruction,
        academic_year=school_class.academic_year,
    )
    if form.validate_on_submit():
        service.update_class(school_class, form.grade.data, form.letter.data, form.language.data)
        return _done(_("Saved."), ".school_class", class_id=school_class.id)
    children = sorted(school_class.children, key=name_key(current_language()))
    audit("view_roster", "school_class", school_class.id)
    page = render_template(
        "admin/class.html", school_class=school_class, form=form, children=children
    )
    db.session.commit()
    return page, (422 if form.errors else 200)


@bp.post("/classes/<uuid:class_id>/archive")
@admin_required
def archive_class(class_id: uuid.UUID):
    school_class = load(SchoolClass, class_id)
    service.archive_class(school_class)
    return _done(
        _("Class archived. Its records are kept."), ".school", school_id=school_class.school_id
    )


def _class_choices() -> list[SelectChoice]:
    classes = db.session.scalars(
        select(SchoolClass)
        .join(School)
        .where(SchoolClass.archived_at.is_(None))
        .order_by(School.name, SchoolClass.academic_year, SchoolClass.grade, SchoolClass.letter)
    )
    return [
        SelectChoice(str(c.id), f"{c.school.name} — {c.name} ({c.academic_year})") for c in classes
    ]


@bp.route("/children", methods=["GET", "POST"])
@admin_required
def children():
    form = ChildForm()
    form.class_id.choices = _class_choices()
    if form.validate_on_submit():
        child = _create_child(form)
        return _done(_("Child added and enrolled."), ".child", child_id=child.id)
    status = 422 if form.errors else 200
    return render_template("admin/children.html", query="", found=[], form=form), status


@bp.post("/children/search")
@admin_required
def children_search():
    """A search by name is a POST: names never travel in a URL (nor into the logs)."""
    query = request.form.get("q", "").strip()[:100]
    form = ChildForm(formdata=None)
    form.class_id.choices = _class_choices()
    found = enrolment.search(query) if query else []
    if query:
        audit("search", "child")  # the names typed are not kept
    page = render_template("admin/children.html", query=query, found=found, form=form)
    db.session.commit()
    return page


def _create_child(form: ChildForm) -> Child:
    school_class = load(SchoolClass, uuid.UUID(form.class_id.data))
    if form.birth_date.data >= clock.today():
        raise InvalidInput(_("The date of birth must be in the past."))
    existing = enrolment.find_existing(
        form.family_name.data, form.given_name.data, form.birth_date.data
    )
    if existing is not None:
        raise InvalidInput(_("A child with this name and date of birth is already on the roll."))
    child = Child(
        family_name=form.family_name.data.strip(),
        given_name=form.given_name.data.strip(),
        patronymic=(form.patronymic.data or "").strip() or None,
        birth_date=form.birth_date.data,
        sex=form.sex.data,
        home_languages=(form.home_languages.data or "").replace(" ", ""),
        needs_language_support=form.needs_language_support.data,
    )
    db.session.add(child)
    db.session.flush()
    enrolment.enrol(child, school_class, clock.today())
    audit("create", "child", child.id)
    return child


@bp.get("/children/<uuid:child_id>")
@admin_required
def child(child_id: uuid.UUID):
    child = load(Child, child_id)
    move_form = MoveForm(prefix="move", on=clock.today())
    move_form.class_id.choices = _class_choices()
    leave_form = LeaveForm(prefix="leave", on=clock.today())
    audit("view_roster", "child", child.id)
    page = render_template(
        "admin/child.html",
        child=child,
        history=enrolment.history(child),
        move_form=move_form,
        leave_form=leave_form,
    )
    db.session.commit()
    return page


@bp.post("/children/<uuid:child_id>/move")
@admin_required
def move_child(child_id: uuid.UUID):
    child = load(Child, child_id)
    form = MoveForm(prefix="move")
    form.class_id.choices = _class_choices()
    if not form.validate_on_submit():
        raise InvalidInput(_("Choose a class and a valid date."))
    enrolment.enrol(child, load(SchoolClass, uuid.UUID(form.class_id.data)), form.on.data)
    audit("enrol", "child", child.id)
    return _done(_("Enrolment changed."), ".child", child_id=child.id)


@bp.post("/children/<uuid:child_id>/leave")
@admin_required
def leave_child(child_id: uuid.UUID):
    child = load(Child, child_id)
    form = LeaveForm(prefix="leave")
    if not form.validate_on_submit():
        raise InvalidInput(_("Enter a valid date."))
    enrolment.leave(child, form.on.data)
    audit("leave", "child", child.id)
    return _done(_("The child is recorded as having left."), ".child", child_id=child.id)


@bp.route("/rollover", methods=["GET", "POST"])
@admin_required
def rollover():
    year = request.values.get("year") or academic_year_of(clock.today())
    plan = service.plan_rollover(year)
    if request.method == "POST":
        service.apply_rollover(plan, current_user)
        return _done(_("The classes of %(year)s moved up a grade.", year=year), ".schools")
    return render_template("admin/rollover.html", plan=plan)
