"""The banner that says the data on screen is fictional."""

from flask import g

from app.core.models import get_setting

DEMO_FLAG = "demo_loaded"


def demo_loaded() -> bool:
    if "demo_loaded" not in g:
        g.demo_loaded = get_setting(DEMO_FLAG) == "1"
    return g.demo_loaded


def template_context() -> dict:
    return {"demo_loaded": demo_loaded}
