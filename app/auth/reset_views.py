"""Choosing a password with a one-time code from an administrator (public: no login)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import resets
from app.auth.forms import RedeemCodeForm
from app.auth.password_policy import MIN_PASSWORD_LENGTH
from app.auth.views import bp
from app.core.errors import InvalidInput
from app.extensions import db


@bp.route("/password/reset", methods=["GET", "POST"])
def redeem_code():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RedeemCodeForm()
    if form.validate_on_submit():
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
            form.code.errors.append(
                _(
                    "This code cannot be used. Check the email address and the code; a code "
                    "works once and only for a limited time. Your administrator can give you "
                    "a new one."
                )
            )
    status = 422 if form.errors else 200
    return (
        render_template("auth/redeem_code.html", form=form, min_length=MIN_PASSWORD_LENGTH),
        status,
    )
