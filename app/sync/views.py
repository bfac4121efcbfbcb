"""The outbox API: a device sends its waiting ops and learns what became of each."""

from urllib.parse import urlsplit

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.permissions import any_role, home_endpoint
from app.children import access
from app.children.services import classes_taught_by
from app.core.errors import api_error
from app.core.models import utcnow
from app.extensions import csrf, db
from app.sync import services
from app.sync.openapi import document

bp = Blueprint("sync", __name__)


@bp.post("/api/sync")
@csrf.exempt  # checked below, after the login: an expired session should say 401, not 400
@any_role
def sync():
    csrf.protect()
    if not request.is_json:
        return api_error(415, "unsupported_media_type", _("Send the entries as JSON."))
    # Browsers send Origin with every fetch POST; its host must be ours (the scheme may differ
    # behind a TLS-terminating proxy). A missing or foreign Origin is refused.
    origin = urlsplit(request.headers.get("Origin", ""))
    if not origin.netloc or origin.netloc != request.host:
        return api_error(403, "origin", _("This request did not come from Qadam."))
    try:
        device_id, raw_ops = services.read_batch(_json_body())
    except services.BadBatch as error:
        return api_error(400, "bad_request", str(error))
    results = services.apply_batch(current_user, device_id, raw_ops)
    response = jsonify(server_time=utcnow().isoformat(), results=results)
    response.headers["Cache-Control"] = "no-store"
    return response


def _json_body():
    """The parsed body, or None when it is not JSON. JSON nested deeper than Python's parser
    can follow is no JSON a phone sends: refused like any other malformed batch."""
    try:
        return request.get_json(silent=True)
    except RecursionError as error:
        raise services.BadBatch(_("The request must be an object with a list of ops.")) from error


@bp.get("/api/ping")
def ping():
    """Answers when the server is reachable; a device uses it to decide it is online."""
    return "", 204, {"Cache-Control": "no-store"}


@bp.get("/api/offline-pages")
@any_role
def offline_pages():
    """The pages this user needs on the phone when there is no connection: their home page,
    and for teachers and social workers the pages of the children they follow (which never
    hold a child's background: see children.views), with the form to report an incident; for
    social workers also each child's new-visit and new-placement forms."""
    pages = [url_for(home_endpoint(current_user.role))]
    if current_user.role is Role.TEACHER:
        classes = classes_taught_by(current_user)
        pages += [url_for("attendance.roll_call", class_id=c.id) for c in classes]
    if current_user.role in (Role.TEACHER, Role.SOCIAL_WORKER):
        children = db.session.scalars(access.reachable_child_ids(current_user))
        for child_id in children:
            pages.append(url_for("children.child", child_id=child_id))
            pages.append(url_for("incidents.new", child_id=child_id))
    if current_user.role is Role.SOCIAL_WORKER:
        # The new-visit and new-placement forms of each child, to fill in at a home with no
        # signal.
        for child_id in db.session.scalars(access.reachable_child_ids(current_user)):
            pages.append(url_for("casework.new_visit", child_id=child_id))
            pages.append(url_for("casework.new_placement", child_id=child_id))
    response = jsonify(pages=pages)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
