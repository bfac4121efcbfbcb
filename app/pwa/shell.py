"""The app shell the service worker precaches, and the version that names its cache."""

import glob
import hashlib
import os

from flask import current_app, url_for

from app.core.assets import content_hash, kept_while_unchanged

# Static files every page needs, relative to the static folder; js/ and icons/ are globbed.
SHELL_FILES = ("css/app.css", "vendor/htmx-2.0.11.min.js")
SHELL_GLOBS = ("js/*.js", "icons/*.png")
# Templates whose output is precached (the offline page) or runs on the phone (the worker).
SHELL_TEMPLATES = ("pwa/offline.html", "pwa/sw.js", "base.html")


def static_files() -> list[str]:
    """The precached static files, relative to the static folder, in a stable order."""
    folder = current_app.static_folder
    found = [
        os.path.relpath(path, folder).replace(os.sep, "/")
        for pattern in SHELL_GLOBS
        for path in glob.glob(os.path.join(folder, pattern))
    ]
    return [*SHELL_FILES, *sorted(found)]


def precache_urls() -> list[str]:
    urls = [url_for("static", filename=name) for name in static_files()]
    return [*urls, url_for("pwa.offline"), url_for("pwa.manifest")]


def version() -> str:
    """A hash of everything precached: a deploy that changes any of it renames the cache, and
    the phone saves its offline pages again (they name the assets' versions)."""
    files = tuple((name, content_hash(name)) for name in static_files())
    return kept_while_unchanged(_version, files)


def _version(files: tuple[tuple[str, str | None], ...]) -> str:
    digest = hashlib.sha256()
    for name, found in files:
        digest.update(f"{name} {found}".encode())
    loader = current_app.jinja_env.loader
    for name in SHELL_TEMPLATES:
        source, _path, _uptodate = loader.get_source(current_app.jinja_env, name)
        digest.update(source.encode())
    return digest.hexdigest()[:16]
