"""Logging in and out. The second step (a two-factor code) is in two_factor_views."""

import time
import uuid

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import throttle
from app.auth.forms import LoginForm
from app.auth.login import complete_login, end_login
from app.auth.models import User
from app.auth.permissions import any_role
from app.auth.services import authenticate, find_user
from app.core.audit import audit
from app.core.errors import api_error, wants_json
from app.core.redirects import safe_next
from app.extensions import db, login_manager

bp = Blueprint("auth", __name__, template_folder="templates")
# Between the password and the two-factor code: who, since when, and where to go next.
PENDING = "two_factor_pending"
PENDING_SECONDS = 300


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
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 422 if form.errors else 200
    email = form.email.data
    if lock := throttle.locked("login", email):  # before the password: right or wrong alike
        return locked_page("auth/login.html", lock, form=form)
    user = authenticate(email, form.password.data)
    if user is None:
        audit("login_failed", "user")
        known = find_user(email)
        throttle.failed("login", email, known.id if known else None)
        db.session.commit()
        form.password.errors.append(_("The email address or password is not correct."))
        return render_template("auth/login.html", form=form), 422
    if user.has_two_factor:
        audit("login_password_ok", "user", user.id)
        ask_second_factor(user, request.args.get("next"))
        db.session.commit()
        return redirect(url_for("auth.login_code"), code=303)
    complete_login(user)
    db.session.commit()
    return redirect(safe_next(request.args.get("next")), code=303)


def ask_second_factor(user: User, next_url: str | None) -> None:
    """The password was right: only this, for a few minutes, until the code is given too."""
    session[PENDING] = {"user": str(user.id), "at": int(time.time()), "next": next_url}


def pending_user() -> User | None:
    """The user whose password was right a moment ago and who still owes the code."""
    pending = session.get(PENDING) or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = load_user(pending.get("user", ""))
    return user if user is not None and user.has_two_factor else None


def locked_page(template: str, lock: throttle.Lock, **context):
    """429, the same page for a known and an unknown account."""
    page = render_template(template, lock=lock, **context)
    return page, 429, {"Retry-After": str(lock.seconds)}


@bp.post("/logout")
@any_role
def logout():
    audit("logout", "user", current_user.id)
    db.session.commit()
    end_login()
    return redirect(url_for("auth.login"), code=303)


# Choosing a password with a one-time code, and two-factor authentication: their own
# modules, routes on this blueprint.
from app.auth import reset_views, two_factor_views  # noqa: E402, F401
