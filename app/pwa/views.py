"""The installable app: manifest, service worker (served from the root scope), offline page."""

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.services import ensure_outbox_key
from app.core.assets import YEAR
from app.core.domains import contributions
from app.extensions import db
from app.i18n.locale import current_language, supported, text_direction
from app.pwa import client, shell

bp = Blueprint("pwa", __name__, template_folder="templates")

BRAND_BLUE = "#0b5cad"
PAPER = "#ffffff"


@bp.get("/manifest.webmanifest")
def manifest():
    lang = current_language()
    response = jsonify(
        {
            "id": url_for("attendance.today"),
            "name": "Qadam",
            "short_name": "Qadam",
            "description": _("Attendance and follow-up of children, also without a connection."),
            "lang": lang,
            "dir": text_direction(lang),
            "start_url": url_for("attendance.today"),
            "scope": url_for("core.index"),
            "display": "standalone",
            "orientation": "portrait",
            "theme_color": BRAND_BLUE,
            "background_color": PAPER,
            "icons": _icons(),
        }
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _icons() -> list[dict]:
    def icon(filename: str, size: int, purpose: str) -> dict:
        src = url_for("static", filename=f"icons/{filename}")
        return {"src": src, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}

    return [
        icon("icon-192.png", 192, "any"),
        icon("icon-512.png", 512, "any"),
        icon("icon-maskable-512.png", 512, "maskable"),
    ]


@bp.get("/sw.js")
def service_worker():
    """At the root, so that its scope covers every page; never cached, so a deploy is seen."""
    body = render_template(
        "pwa/sw.js",
        version=shell.version(),
        precache=shell.precache_urls(),
        offline_url=url_for("pwa.offline"),
        stand_ins=[
            {"pattern": stand_in.pattern, "page": url_for(stand_in.endpoint)}
            for stand_in in contributions("offline_stand_ins")
        ],
        pages_cache=client.PAGES_CACHE,
        restricted_header=client.RESTRICTED_HEADER,
    )
    headers = {"Cache-Control": "no-cache", "Service-Worker-Allowed": url_for("core.index")}
    return body, 200, {"Content-Type": "application/javascript; charset=utf-8", **headers}


@bp.get("/client/<lang>.js")
def shared_config(lang: str):
    """The part of the scripts' data every page in `lang` shares (client.shared_script): by its
    current version's URL kept a year, as a static file is; nothing personal in it."""
    if lang not in supported():
        abort(404)
    response = current_app.response_class(
        client.shared_script(lang), mimetype="application/javascript"
    )
    if request.args.get("v") == client.shared_version(lang):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response


@bp.get("/offline")
def offline():
    """Shown by the service worker for a page that is not saved on this phone."""
    return render_template("pwa/offline.html", shell_page=True)


@bp.before_app_request
def give_outbox_key():
    """A user whose session began before outbox keys existed gets one here, once.

    Committed on its own, before the request's unit of work: a page must never hand out a key
    that a rollback then loses, or what the phone encrypts with it could not be read again.
    (A login makes the key in its own commit, so this is only for sessions that were open.)
    """
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return
    if current_user.outbox_key is None:
        ensure_outbox_key(current_user)
        db.session.commit()


@bp.app_context_processor
def client_context() -> dict:
    return {
        "qadam_client": client.config,
        "qadam_shared_url": client.shared_url,
        "qadam_old_entry_days": client.OLD_ENTRY_DAYS,
    }
