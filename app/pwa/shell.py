"""The app shell the service worker precaches, and the version that names its cache."""

import glob
import hashlib
import os

from flask import current_app, url_for

from app.core.assets import content_hash, kept_while_unchanged, read_once

# Static files every page needs, relative to the static folder; js/ and icons/ are globbed.
# (htmx is not one: only an administrator's page uses it, and no such page is kept offline.)
SHELL_FILES = ("css/app.css",)
SHELL_GLOBS = ("js/*.js", "icons/*.png")
# Templates whose output is precached (the offline page) or runs on the phone (the worker).
SHELL_TEMPLATES = ("pwa/offline.html", "pwa/sw.js", "base.html")


def static_files() -> tuple[str, ...]:
    """The precached static files, relative to the static folder, in a stable order."""
    return read_once(("shell",), _static_files)


def _static_files() -> tuple[str, ...]:
    folder = current_app.static_folder
    found = [
        os.path.relpath(path, folder).replace(os.sep, "/")
        for pattern in SHELL_GLOBS
        for path in glob.glob(os.path.join(folder, pattern))
    ]
    return (*SHELL_FILES, *sorted(found))


def precache_urls() -> list[str]:
    from app.pwa.client import shared_url

    urls = [url_for("static", filename=name) for name in static_files()]
    # Every language's shared script: a phone may switch, and a page kept offline names its own.
    shared = [shared_url(lang) for lang in current_app.config["QADAM_LANGUAGES"]]
    return [*urls, *shared, url_for("pwa.offline"), url_for("pwa.manifest")]


def version() -> str:
    """A hash of everything precached: a deploy that changes any of it renames the cache, and
    the phone saves its offline pages again (they name the assets' versions)."""
    from app.pwa.client import shared_version

    files = tuple((name, content_hash(name)) for name in static_files())
    shared = tuple(shared_version(lang) for lang in current_app.config["QADAM_LANGUAGES"])
    return kept_while_unchanged(_version, files, shared)


def _version(files: tuple[tuple[str, str | None], ...], shared: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name, found in (*files, *zip(current_app.config["QADAM_LANGUAGES"], shared, strict=True)):
        digest.update(f"{name} {found}".encode())
    loader = current_app.jinja_env.loader
    for name in SHELL_TEMPLATES:
        source, _path, _uptodate = loader.get_source(current_app.jinja_env, name)
        digest.update(source.encode())
    return digest.hexdigest()[:16]
