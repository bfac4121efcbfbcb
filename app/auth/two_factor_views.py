"""Two-factor pages: the code at login, enrolment, the account's security page; and the guard
that keeps a user whose role requires two-factor on the enrolment page until it is on."""

from flask import Flask, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth import throttle, two_factor
from app.auth.blueprint import bp, locked_page
from app.auth.forms import CodeForm
from app.auth.login import PENDING, complete_login, pending_user
from app.auth.models import User
from app.auth.permissions import any_role
from app.auth.public import PUBLIC_ENDPOINTS
from app.core.audit import audit
from app.core.errors import InvalidInput, api_error, wants_json
from app.core.redirects import safe_next
from app.extensions import db, htmx

# What a user who must enrol can still reach.
ENROLMENT_ENDPOINTS = PUBLIC_ENDPOINTS | {"auth.logout", "auth.two_factor_setup"}


def wrong_code() -> str:
    return _("This code is not correct. Enter the code your authenticator app shows now.")


# -- the second step of the login


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    user = pending_user()
    if user is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return _code_page(form)
    if lock := throttle.locked("two_factor", str(user.id)):
        return locked_page("auth/login_code.html", lock, form=form)
    used = two_factor.second_factor(user, form.code.data)
    if used is None:
        audit("two_factor_failed", "user", user.id)
        throttle.failed("two_factor", str(user.id), user.id)
        db.session.commit()
        form.code.errors.append(wrong_code())
        return _code_page(form)
    next_url = session[PENDING].get("next")
    complete_login(user)
    if used == "recovery":
        _say_codes_left(user)
    db.session.commit()
    return redirect(safe_next(next_url), code=303)


def _code_page(form: CodeForm):
    recovery = request.method == "POST" and not (form.code.data or "").strip().isdigit()
    page = render_template("auth/login_code.html", form=form, recovery=recovery)
    return page, 422 if form.errors else 200


def _say_codes_left(user: User) -> None:
    left = two_factor.recovery_codes_left(user)
    message = ngettext(
        "You used a recovery code. %(num)d is left: make new ones on your security page.",
        "You used a recovery code. %(num)d are left: make new ones on your security page.",
        left,
    )
    flash(message, "info")


# -- enrolment


@bp.route("/account/two-factor", methods=["GET", "POST"])
@any_role
def two_factor_setup():
    if current_user.has_two_factor:
        return redirect(url_for("auth.security"))
    secret = two_factor.pending_secret(current_user)
    form = CodeForm()
    if form.validate_on_submit():
        codes = two_factor.enable(current_user, form.code.data)
        if codes is not None:
            db.session.commit()
            return recovery_codes_page(codes)
        form.code.errors.append(
            _(
                "This code does not match. Check that the phone shows the right time, then "
                "enter the code the app shows now."
            )
        )
    db.session.commit()  # the secret made on the first visit: the same QR code until confirmed
    uri = two_factor.provisioning_uri(current_user, secret)
    page = render_template(
        "auth/two_factor_setup.html",
        form=form,
        qr_code=two_factor.qr_code(uri),
        secret=two_factor.grouped_secret(secret),
        required=two_factor.required(current_user),
    )
    return page, 422 if form.errors else 200


def recovery_codes_page(codes: list[str]):
    """Shown once, right after they are made: never stored in clear, never cached."""
    response = make_response(render_template("auth/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


# -- the account's security page


@bp.get("/account/security")
@any_role
def security():
    return _security_page()


@bp.post("/account/two-factor/off")
@any_role
def two_factor_off():
    if two_factor.required(current_user):
        raise InvalidInput(_("Your role requires two-factor authentication."), status=403)
    form = CodeForm(prefix="off")
    if not form.validate():
        return _security_page(off=form, status=422)
    if lock := throttle.locked("two_factor", str(current_user.id)):
        return locked_page("auth/security.html", lock, **_security_context(off=form))
    if not two_factor.disable(current_user, form.code.data):
        return _refused(form, "off")
    db.session.commit()
    flash(_("Two-factor authentication is off."), "success")
    return redirect(url_for("auth.security"), code=303)


@bp.post("/account/two-factor/recovery-codes")
@any_role
def recovery_codes_new():
    form = CodeForm(prefix="new")
    if not form.validate() or not current_user.has_two_factor:
        return _security_page(new=form, status=422)
    if lock := throttle.locked("two_factor", str(current_user.id)):
        return locked_page("auth/security.html", lock, **_security_context(new=form))
    if not two_factor.accept_code(current_user, form.code.data):
        return _refused(form, "new")
    codes = two_factor.new_recovery_codes(current_user)
    db.session.commit()
    return recovery_codes_page(codes)


def _refused(form: CodeForm, name: str):
    audit("two_factor_failed", "user", current_user.id)
    throttle.failed("two_factor", str(current_user.id), current_user.id)
    db.session.commit()
    form.code.errors.append(wrong_code())
    return _security_page(status=422, **{name: form})


def _security_page(status: int = 200, **forms):
    return render_template("auth/security.html", **_security_context(**forms)), status


def _security_context(**forms) -> dict:
    return {
        "required": two_factor.required(current_user),
        "codes_left": two_factor.recovery_codes_left(current_user),
        "off": forms.get("off") or CodeForm(formdata=None, prefix="off"),
        "new": forms.get("new") or CodeForm(formdata=None, prefix="new"),
    }


# -- the guard


def require_enrolment(app: Flask) -> None:
    """A user whose role requires two-factor reaches only the enrolment page until it is on."""
    two_factor.check_required_roles(app.config["QADAM_2FA_REQUIRED_ROLES"])

    @app.before_request
    def enrol_first():
        if request.endpoint is None or request.endpoint in ENROLMENT_ENDPOINTS:
            return None
        user = current_user
        if not user.is_authenticated or user.has_two_factor or not two_factor.required(user):
            return None
        if wants_json():
            message = _("Set up two-factor authentication to continue.")
            return api_error(403, "two_factor_required", message)
        target = url_for("auth.two_factor_setup")
        if htmx:
            return "", 204, {"HX-Redirect": target}
        return redirect(target)
