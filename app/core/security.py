"""Security headers: a nonce-based Content-Security-Policy and friends, via Flask-Talisman.

Every script is a file from /static (plus non-executable JSON data blocks); a script tag
carries the request's nonce. Authenticated pages are never stored by the browser's HTTP
cache: the service worker keeps what a user needs offline itself, and clears it on logout.
"""

from flask import Flask, Response
from flask_login import current_user

from app.extensions import talisman

# A response carrying this header holds restricted data (a child's background): neither the
# service worker nor the page's scripts ever keep it on the phone.
RESTRICTED_HEADER = "X-Qadam-Restricted"

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}
PERMISSIONS = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "interest-cohort": "()",
}


def init_security(app: Flask) -> None:
    production = bool(app.config.get("SESSION_COOKIE_SECURE"))  # only ProductionConfig sets it
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the reverse proxy; HSTS tells browsers to stay on it
        strict_transport_security=production,
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="no-referrer",
        permissions_policy=PERMISSIONS,
        frame_options="DENY",
    )
    app.after_request(no_store_for_signed_in)


def no_store_for_signed_in(response: Response) -> Response:
    if current_user.is_authenticated and response.mimetype != "application/javascript":
        response.headers["Cache-Control"] = "no-store"
    return response
