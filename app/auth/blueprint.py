"""The auth blueprint and what its view modules (views, two_factor_views, reset_views) share."""

from flask import Blueprint, render_template

from app.auth import throttle

bp = Blueprint("auth", __name__, template_folder="templates")


def locked_page(template: str, lock: throttle.Lock, **context):
    """429, the same page for a known and an unknown account."""
    page = render_template(template, lock=lock, **context)
    return page, 429, {"Retry-After": str(lock.seconds)}
