"""The outbox API: a device sends its waiting ops and learns what became of each."""

from urllib.parse import urlsplit

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import any_role
from app.core.domains import contributions
from app.core.errors import api_error
from app.core.models import utcnow
from app.extensions import csrf
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
    then what each domain keeps for them (its Domain's offline_pages: app/core/domains.py)."""
    pages = [url_for(current_user.home_endpoint)]
    for pages_for in contributions("offline_pages"):
        pages += pages_for(current_user)
    response = jsonify(pages=pages)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
