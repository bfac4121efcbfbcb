"""Account pages: users, roles, assignments, one-time codes. Parse, call a service, render."""

import uuid

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.admin import accounts
from app.admin.account_forms import ClassesForm, DistrictForm, NewUserForm, ProfileForm
from app.admin.blueprint import bp
from app.auth import sessions
from app.auth.models import Role, User
from app.auth.permissions import admin_required
from app.children.enrolment import search
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.htmx import page_or_partial
from app.core.loading import load
from app.extensions import db

STATUSES = {"active": True, "inactive": False, "all": None}


@bp.get("/users")
@admin_required
def users():
    role = request.args.get("role", "")
    role = Role(role) if role in set(Role) else None
    status = request.args.get("status", "active")
    status = status if status in STATUSES else "active"
    found = accounts.list_users(role, STATUSES[status])
    return render_template(
        "admin/users.html", users=found, role=role, status=status, roles=list(Role)
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    form = NewUserForm(preferred_language="kk")
    if form.validate_on_submit():
        try:
            user, code = accounts.create_account(
                current_user,
                form.email.data,
                form.display_name.data,
                Role(form.role.data),
                form.preferred_language.data,
            )
        except InvalidInput as error:
            db.session.rollback()
            form.email.errors.append(error.message)
        else:
            db.session.commit()
            return _code_page(user, code, created=True)
    return render_template("admin/user_new.html", form=form), 422 if form.errors else 200


@bp.get("/users/<uuid:user_id>")
@admin_required
def user(user_id: uuid.UUID):
    return _user_page(load(User, user_id))


@bp.post("/users/<uuid:user_id>/profile")
@admin_required
def user_profile(user_id: uuid.UUID):
    user = load(User, user_id)
    form = ProfileForm(prefix="profile")
    if form.validate():
        try:
            accounts.update_profile(
                current_user,
                user,
                form.display_name.data,
                Role(form.role.data),
                form.preferred_language.data,
            )
        except InvalidInput as error:
            db.session.rollback()
            form.role.errors.append(error.message)
        else:
            return _saved(user, _("Saved."))
    return _user_page(user, 422, profile=form)


@bp.post("/users/<uuid:user_id>/classes")
@admin_required
def user_classes(user_id: uuid.UUID):
    user = load(User, user_id)
    form = _classes_form(formdata=request.form)
    if not form.validate():
        return _user_page(user, 422, classes=form)
    accounts.set_classes(current_user, user, {uuid.UUID(i) for i in form.class_ids.data})
    return _saved(user, _("The classes are saved."), "classes")


@bp.post("/users/<uuid:user_id>/district")
@admin_required
def user_district(user_id: uuid.UUID):
    user = load(User, user_id)
    form = _district_form(formdata=request.form)
    if not form.validate():
        return _user_page(user, 422, district=form)
    accounts.set_district(current_user, user, form.district.data or None)
    return _saved(user, _("The district is saved."), "district")


@bp.route("/users/<uuid:user_id>/caseload", methods=["GET", "POST"])
@admin_required
def user_caseload(user_id: uuid.UUID):
    """Children found by name to add to the caseload: the results alone for htmx.

    The search is a POST: a child's name never travels in a URL (nor into the logs).
    """
    user = load(User, user_id)
    context = _user_context(user, query=request.form.get("q", "").strip()[:100])
    if context["query"]:
        audit("search", "child")  # the names typed are not kept
    response = page_or_partial("admin/user.html", "admin/_caseload_results.html", **context)
    db.session.commit()
    return response


@bp.post("/users/<uuid:user_id>/caseload/<uuid:child_id>/add")
@admin_required
def user_caseload_add(user_id: uuid.UUID, child_id: uuid.UUID):
    user = load(User, user_id)
    accounts.add_to_caseload(current_user, user, child_id)
    db.session.commit()
    flash(_("The child is added to the caseload."), "success")
    return redirect(url_for("admin.user_caseload", user_id=user.id), code=303)


@bp.post("/users/<uuid:user_id>/caseload/<uuid:child_id>/remove")
@admin_required
def user_caseload_remove(user_id: uuid.UUID, child_id: uuid.UUID):
    user = load(User, user_id)
    accounts.remove_from_caseload(current_user, user, child_id)
    return _saved(user, _("The child is removed from the caseload."), "caseload")


@bp.post("/users/<uuid:user_id>/deactivate")
@admin_required
def user_deactivate(user_id: uuid.UUID):
    user = load(User, user_id)
    accounts.deactivate(current_user, user)
    return _saved(user, _("The account is deactivated."))


@bp.post("/users/<uuid:user_id>/sessions/end")
@admin_required
def user_end_sessions(user_id: uuid.UUID):
    user = load(User, user_id)
    ended = accounts.end_sessions(current_user, user)
    message = ngettext(
        "%(num)d session ended: this person must log in again.",
        "%(num)d sessions ended: this person must log in again.",
        ended,
    )
    return _saved(user, message, "access")


@bp.post("/users/<uuid:user_id>/reactivate")
@admin_required
def user_reactivate(user_id: uuid.UUID):
    user = load(User, user_id)
    accounts.reactivate(current_user, user)
    return _saved(user, _("The account is active again."))


@bp.post("/users/<uuid:user_id>/code")
@admin_required
def user_code(user_id: uuid.UUID):
    user = load(User, user_id)
    code = accounts.issue_code(current_user, user)
    db.session.commit()
    return _code_page(user, code, created=False)


@bp.post("/users/<uuid:user_id>/two-factor/reset")
@admin_required
def user_two_factor_reset(user_id: uuid.UUID):
    user = load(User, user_id)
    accounts.reset_two_factor(current_user, user)
    return _saved(user, _("Two-factor authentication is reset."))


def _saved(user: User, message: str, anchor: str | None = None):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.user", user_id=user.id, _anchor=anchor), code=303)


def _code_page(user: User, code: str, created: bool):
    """The code is shown here once: never stored in clear, never in a URL, never cached."""
    page = render_template("admin/user_code.html", user=user, code=code, created=created)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def _user_page(user: User, status: int = 200, **forms):
    return render_template("admin/user.html", **_user_context(user, **forms)), status


def _user_context(user: User, query: str = "", **forms) -> dict:
    data = {"display_name": user.display_name, "role": user.role.value}
    data["preferred_language"] = user.preferred_language or "kk"
    context = {
        "user": user,
        "is_self": user.id == current_user.id,
        "profile": forms.get("profile") or ProfileForm(formdata=None, prefix="profile", **data),
        "history": accounts.history(user),
        "open_sessions": sessions.count_open(user),
        "query": query,
    }
    if user.role is Role.TEACHER:
        context["schools"] = accounts.current_classes()
        context["classes"] = forms.get("classes") or _classes_form(
            formdata=None, class_ids=[str(i) for i in accounts.assigned_class_ids(user)]
        )
    if user.role is Role.SOCIAL_WORKER:
        caseload = accounts.caseload_of(user)
        context["caseload"] = caseload
        context["in_caseload"] = {child.id for child in caseload}
        context["found"] = search(query) if query else []
    if user.role is Role.COMMITTEE_MEMBER:
        context["district"] = forms.get("district") or _district_form(
            formdata=None, district=user.district or ""
        )
    return context


def _classes_form(**kwargs) -> ClassesForm:
    form = ClassesForm(prefix="classes", **kwargs)
    classes = [c for _, school_classes in accounts.current_classes() for c in school_classes]
    form.class_ids.choices = [SelectChoice(str(c.id), c.name) for c in classes]
    return form


def _district_form(**kwargs) -> DistrictForm:
    form = DistrictForm(prefix="district", **kwargs)
    none = SelectChoice("", _("No district"))
    form.district.choices = [none] + [SelectChoice(d) for d in accounts.districts()]
    return form
