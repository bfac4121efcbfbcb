"""The language switch on every page."""

from flask import Blueprint, abort, redirect, request, session
from flask_login import current_user

from app.core.redirects import safe_next
from app.extensions import db
from app.i18n.locale import supported

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def switch():
    lang = request.form.get("lang", "")
    if lang not in supported():
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.preferred_language = lang
        db.session.commit()
    return redirect(safe_next(request.form.get("next")), code=303)
