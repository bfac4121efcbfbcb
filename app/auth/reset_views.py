"""Choosing a password with a one-time code from an administrator (public: no login)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import resets, throttle
from app.auth.blueprint import bp, locked_page
from app.auth.forms import RedeemCodeForm
from app.auth.password_policy import MIN_PASSWORD_LENGTH
from app.auth.services import find_user
from app.core.errors import InvalidInput
from app.extensions import db


@bp.route("/password/reset", methods=["GET", "POST"])
def redeem_code():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RedeemCodeForm()
    if form.validate_on_submit():
        if lock := throttle.locked("reset", form.email.data):
            return locked_page("auth/redeem_code.html", lock, **_context(form))
        try:
            user = resets.redeem(form.email.data, form.code.data, form.password.data)
        except InvalidInput as error:  # the code is right; the password is refused
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            if user is not None:
                db.session.commit()
                flash(_("Your password is set. You can log in now."), "success")
                return redirect(url_for("auth.login"), code=303)
            known = find_user(form.email.data)
            throttle.failed("reset", form.email.data, known.id if known else None)
            db.session.commit()  # the count, and the audit of a lock it starts
            form.code.errors.append(
                _(
                    "This code cannot be used. Check the email address and the code; a code "
                    "works once and only for a limited time. Your administrator can give you "
                    "a new one."
                )
            )
    return render_template("auth/redeem_code.html", **_context(form)), 422 if form.errors else 200


def _context(form: RedeemCodeForm) -> dict:
    return {"form": form, "min_length": MIN_PASSWORD_LENGTH}
