"""Logging in and out. The second step (a two-factor code) is in two_factor_views; choosing
a password with a one-time code in reset_views: routes of the same blueprint (auth.blueprint)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import throttle
from app.auth.blueprint import bp, locked_page
from app.auth.forms import LoginForm
from app.auth.login import ask_second_factor, complete_login, end_login
from app.auth.permissions import any_role
from app.auth.services import authenticate, find_user
from app.core.audit import audit
from app.core.errors import api_error, wants_json
from app.core.redirects import safe_next
from app.extensions import db, login_manager


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


@bp.post("/logout")
@any_role
def logout():
    audit("logout", "user", current_user.id)
    db.session.commit()
    end_login()
    return redirect(url_for("auth.login"), code=303)
