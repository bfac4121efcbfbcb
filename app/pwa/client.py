"""What the page's scripts need from the server: URLs, the user, and every string they show.

Scripts never hold English text or a hard-coded URL: both come from here, rendered into the
page as a JSON data block (see pwa/_client.html).
"""

import base64

from babel import Locale
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.core.assets import kept_while_unchanged
from app.core.domains import contributions
from app.core.errors import LOGIN_NEEDED_HEADER
from app.core.security import RESTRICTED_HEADER
from app.i18n.locale import current_language
from app.pwa import shell
from app.sync import outbox_key
from app.sync.sealed import sealed_kinds

# The cache holding the pages a user needs offline: personal data, cleared on logout.
PAGES_CACHE = "qadam-pages-v1"
# Entries waiting longer than this make the app warn that they have not reached the server.
OLD_ENTRY_DAYS = 3


def config(shell_page: bool = False) -> dict:
    signed_in = current_user.is_authenticated and not shell_page
    lang = current_language()
    return {
        "user_id": str(current_user.id) if signed_in else None,
        "csrf_token": generate_csrf() if signed_in else None,
        "shell_page": shell_page,
        "lang": lang,
        "time_zone": current_app.config["BABEL_DEFAULT_TIMEZONE"],
        "numbering": Locale.parse(lang).default_numbering_system,
        "pages_cache": PAGES_CACHE,
        "shell_version": shell.version(),
        "restricted_header": RESTRICTED_HEADER,
        "login_needed_header": LOGIN_NEEDED_HEADER,
        "old_entry_days": OLD_ENTRY_DAYS,
        "urls": urls(),
        "outbox": outbox(signed_in),
        "strings": strings(),
    }


def outbox(signed_in: bool = False) -> dict:
    """What a phone needs to seal entries for the server (see app/sync/sealed.py), and the
    signed-in user's own key for everything else it keeps in the outbox (static/js/locked.js):
    only a page of that user's session carries it. The key is made at login (or by
    pwa.views.give_outbox_key), never here: a page does not commit."""
    key = current_user.outbox_key if signed_in else None
    return {
        "sealed_kinds": sorted(sealed_kinds()),
        "public_key": outbox_key.public_key_base64(),
        "key_id": outbox_key.keys().key_id,
        "user_key": base64.b64encode(key).decode() if key else None,
    }


def urls() -> dict:
    return {
        "sync": url_for("sync.sync"),
        "ping": url_for("sync.ping"),
        "offline_pages": url_for("sync.offline_pages"),
        "service_worker": url_for("pwa.service_worker"),
        "scope": url_for("core.index"),
        "login": url_for("auth.login"),
    }


def strings() -> dict:
    """Placeholders in braces ({time}) are filled in by the script. Each domain adds what its
    scripts show (its Domain's client_strings); their "kinds" name the outbox entries. Made
    once per language and set of domains (the catalogs change only with a deploy)."""
    added_by = tuple(contributions("client_strings"))
    return kept_while_unchanged(_strings, current_language(), added_by)


def _strings(_language: str, added_by: tuple) -> dict:
    found = _shared_strings()
    for strings_of in added_by:
        added = strings_of()
        found["kinds"] |= added.pop("kinds", {})
        found |= added
    return found


def _shared_strings() -> dict:
    return {
        "saved": _("Saved on this phone."),
        "sending": _("Sending…"),
        "synced_at": _("Synced at %(time)s", time="{time}"),
        "needs_attention": _("Needs attention"),
        "no_changes": _("Nothing has changed since the last save."),
        "last_sync": _("Last sync: %(time)s", time="{time}"),
        "never_synced": _("Not synced yet"),
        "retry": _("Retry"),
        "discard": _("Discard"),
        "discard_confirm": _(
            "Discard this entry? It will never reach the server, and this cannot be undone."
        ),
        # TRANSLATORS: an entry in the list of what needs attention: "Dana T., 18 Nov: Absent".
        "entry_summary": _(
            "%(child)s, %(day)s: %(status)s", child="{child}", day="{day}", status="{status}"
        ),
        "network_error": _("The server could not be reached. It will be tried again."),
        "server_error": _("The server could not save this yet. It will be tried again."),
        "batch_refused": _(
            "The server did not take these entries just now. They will be sent again."
        ),
        "too_large": _(
            "This entry is too large for the server to accept. Discard it and record it again."
        ),
        "storage_persisted": _("This phone keeps what you record until it is synced."),
        "storage_not_persisted": _(
            "This browser may delete what is saved on this phone when space runs low: sync often."
        ),
        "offline_ready": _("Your pages are saved on this phone for use offline."),
        # TRANSLATORS: an encrypted entry in the phone's list: "Visit report, 10:42".
        "sealed_entry": _("%(kind)s, %(time)s", kind="{kind}", time="{time}"),
        "sealing_unavailable": _(
            "This browser cannot encrypt entries, so this one was not saved on the phone. "
            "Open Qadam through its https address, or save it while online."
        ),
        "kinds": {},
        "login_to_send": _(
            "Your session has ended. What you wrote is saved on this phone and will be sent "
            "after you log in again."
        ),
        "log_in": _("Log in"),
        # TRANSLATORS: after a sync, on a form's page: the server holds another change of the
        # same field; the person chooses which to keep on the page the link opens.
        "conflict_on_form": _(
            "Sent, but someone else changed the same fields meanwhile: your decision is needed."
        ),
        # TRANSLATORS: a link to the page where the person settles a conflict.
        "decide": _("Decide"),
        "dismiss": _("Dismiss"),
    }
