"""Routes that belong to no domain: the front door and the health check."""

from flask import Blueprint, redirect, url_for
from flask_login import current_user
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("core", __name__, template_folder="templates")


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(current_user.home_endpoint))
    return redirect(url_for("auth.login"))


@bp.get("/health")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
