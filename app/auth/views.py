"""Logging in and out."""

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.forms import LoginForm
from app.auth.login import complete_login, end_login
from app.auth.models import User
from app.auth.services import authenticate
from app.core.audit import audit
from app.core.errors import api_error, wants_json
from app.extensions import db, login_manager
from app.i18n.views import safe_next

bp = Blueprint("auth", __name__, template_folder="templates")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    return user if user is not None and user.active else None  # deactivated: signed out


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return api_error(401, "login_required", _("Please log in again."))
    flash(_("Please log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.path))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            complete_login(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")), code=303)
        audit("login_failed", "user")
        db.session.commit()
        form.password.errors.append(_("The email address or password is not correct."))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    audit("logout", "user", current_user.id)
    db.session.commit()
    end_login()
    return redirect(url_for("auth.login"), code=303)


# Choosing a password with a one-time code: its own module, routes on this blueprint.
from app.auth import reset_views  # noqa: E402, F401
