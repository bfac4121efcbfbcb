"""flask translate extract | update | compile: keep the catalogs in step with the code."""

import os
import subprocess  # runs pybabel with fixed arguments # nosec B404
import sys

from flask import current_app
from flask.cli import AppGroup

translate_cli = AppGroup("translate", help="Extract, update and compile translations.")


def _paths() -> tuple[str, str, str]:
    root = os.path.abspath(os.path.join(current_app.root_path, ".."))
    return root, os.path.join(root, "translations"), os.path.join(root, "babel.cfg")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)  # noqa: S603 # nosec B603


def extract_to(pot_path: str) -> None:
    root, _translations, cfg = _paths()
    _pybabel(
        "extract",
        "-F",
        cfg,
        "-k",
        "_l",
        "-k",
        "lazy_ngettext:1,2",
        "-k",
        "_nl:1,2",
        "-k",
        "_lp:1c,2",
        "--no-location",
        "--sort-by-file",
        "--add-comments=TRANSLATORS:",
        "--add-comments=Translators:",
        "--project=Qadam",
        "-o",
        pot_path,
        root,
    )


@translate_cli.command("extract")
def extract() -> None:
    """Write translations/messages.pot from the code and templates."""
    _root, translations, _cfg = _paths()
    extract_to(os.path.join(translations, "messages.pot"))


@translate_cli.command("update")
def update() -> None:
    """Extract, then merge new strings into every language's catalog."""
    _root, translations, _cfg = _paths()
    pot = os.path.join(translations, "messages.pot")
    extract_to(pot)
    _pybabel("update", "-i", pot, "-d", translations, "--no-fuzzy-matching", "--ignore-obsolete")


@translate_cli.command("compile")
def compile_catalogs() -> None:
    """Compile the .po catalogs into the .mo files the app reads."""
    _root, translations, _cfg = _paths()
    _pybabel("compile", "-d", translations, "--statistics")
