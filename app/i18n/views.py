"""The language switch on every page."""

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user

from app.extensions import db
from app.i18n.locale import supported

bp = Blueprint("i18n", __name__)


def safe_next(target: str | None) -> str:
    """Only a path on this site, never an absolute or scheme-relative URL."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("core.index")


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
