"""Which language a page is in: the user's saved choice, else Accept-Language, else Kazakh."""

import os

from babel import Locale
from flask import current_app, has_request_context, request, session
from flask_babel import format_decimal, format_percent, get_locale
from flask_login import current_user
from markupsafe import Markup

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "ar": "العربية", "en": "English"}
FALLBACK = "kk"


def supported() -> tuple[str, ...]:
    return current_app.config["QADAM_LANGUAGES"]


def select_locale() -> str:
    if not has_request_context():
        # The command line speaks the shell's language where we have it, else English.
        shell = os.environ.get("LANG", "")[:2]
        return shell if shell in supported() else "en"
    saved = getattr(current_user, "preferred_language", None) or session.get("lang")
    if saved in supported():
        return saved
    return request.accept_languages.best_match(supported()) or FALLBACK


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    return str(get_locale() or FALLBACK)


def text_direction(lang: str) -> str:
    return Locale.parse(lang).text_direction


def template_context() -> dict:
    lang = current_language()
    return {"lang": lang, "dir": text_direction(lang), "language_names": LANGUAGE_NAMES}


def bdi(value: object) -> Markup:
    """Isolate a name or other stored text from the direction of the page around it."""
    return Markup("<bdi>{}</bdi>").format(value)


def register_filters(app) -> None:
    """Numbers in the page's language (Flask-Babel brings the date filters), and `bdi`."""
    app.jinja_env.filters["percentformat"] = format_percent
    app.jinja_env.filters["numberformat"] = format_decimal
    app.jinja_env.filters["bdi"] = bdi
