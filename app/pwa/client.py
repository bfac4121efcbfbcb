"""What the page's scripts need from the server: URLs, the user, and every string they show.

Scripts never hold English text or a hard-coded URL: both come from here. What is the same
for every page of a language (settings, URLs, the sealing key, every string) is one script,
/client/<lang>.js under a versioned URL kept a year (pwa/_head.html loads it before the
modules); a page's own block (pwa/_client.html) holds only who is signed in and their tokens.
static/js/text.js (readConfig) lays the page's part over the shared one.
"""

import base64
import hashlib
import json

from babel import Locale
from flask import current_app, render_template, request, url_for
from flask_babel import force_locale
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
    """The page's own part: who is signed in, their tokens, the page's language. Everything
    the same for every page of a language is in the shared part (shared_script(), cached
    under shared_url()), sent once, not in every page and every copy kept offline."""
    signed_in = current_user.is_authenticated and not shell_page
    lang = current_language()
    key = current_user.outbox_key if signed_in else None
    return {
        "user_id": str(current_user.id) if signed_in else None,
        "csrf_token": generate_csrf() if signed_in else None,
        "shell_page": shell_page,
        "lang": lang,
        "shell_version": shell.version(),
        # The signed-in user's own key for what they keep in the outbox (static/js/locked.js):
        # only a page of that user's session carries it. Made at login (or by
        # pwa.views.give_outbox_key), never here: a page does not commit.
        "outbox": {"user_key": base64.b64encode(key).decode() if key else None},
    }


def _made_of(lang: str) -> tuple:
    """What the shared part is made of, besides the code: its language, the server's sealing
    key and the kinds sealed with it, the domains' strings and where the app is mounted."""
    added_by = tuple(contributions("client_strings"))
    sealed = tuple(sorted(sealed_kinds()))
    return lang, outbox_key.keys().key_id, sealed, added_by, request.script_root


def _shared(lang: str, _server_key, sealed: tuple, added_by: tuple, _root) -> dict:
    """What every page in `lang` gives its scripts alike: settings, URLs, the server's key to
    seal entries with, and every string they show."""
    with force_locale(lang):
        return {
            "time_zone": current_app.config["BABEL_DEFAULT_TIMEZONE"],
            "numbering": Locale.parse(lang).default_numbering_system,
            "pages_cache": PAGES_CACHE,
            "restricted_header": RESTRICTED_HEADER,
            "login_needed_header": LOGIN_NEEDED_HEADER,
            "old_entry_days": OLD_ENTRY_DAYS,
            "urls": urls(),
            "outbox": {
                "sealed_kinds": list(sealed),  # sealed for the server (sync/sealed.py)
                "public_key": outbox_key.public_key_base64(),
                "key_id": outbox_key.keys().key_id,
            },
            "strings": _strings(added_by),
            "chrome": _chrome(),
        }


def _chrome() -> dict:
    """The sync's badge, panel and messages: the same on every signed-in page of a language, so
    sent once here rather than in every page and every copy a phone keeps (base.html leaves a
    place for each, which static/js/status.js fills)."""
    return {
        slot: render_template(f"pwa/_sync_{slot}.html") for slot in ("badge", "panel", "alerts")
    }


def shared_script(lang: str) -> str:
    """The shared part as the script pwa/_head.html loads before the page's modules."""
    return kept_while_unchanged(_script, *_made_of(lang))


def _script(*made_of) -> str:
    data = json.dumps(_shared(*made_of), ensure_ascii=False)
    return f"window.qadamShared = {data};\n"


def shared_version(lang: str) -> str:
    """A hash of the shared script: its URL changes with it."""
    return kept_while_unchanged(_version, *_made_of(lang))


def _version(*made_of) -> str:
    script = kept_while_unchanged(_script, *made_of)
    return hashlib.sha256(script.encode()).hexdigest()[:12]


def shared_url(lang: str | None = None) -> str:
    lang = lang or current_language()
    return url_for("pwa.shared_config", lang=lang, v=shared_version(lang))


def urls() -> dict:
    return {
        "sync": url_for("sync.sync"),
        "ping": url_for("sync.ping"),
        "offline_pages": url_for("sync.offline_pages"),
        "service_worker": url_for("pwa.service_worker"),
        "scope": url_for("core.index"),
        "login": url_for("auth.login"),
    }


def _strings(added_by: tuple) -> dict:
    """Placeholders in braces ({time}) are filled in by the script. Each domain adds what its
    scripts show (its Domain's client_strings); their "kinds" name the outbox entries."""
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
