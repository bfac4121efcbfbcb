"""Static files under versioned URLs, cached for a year, and every text response compressed.

`url_for("static", filename=…)` gives `/static/<file>?v=<hash of its content>`: a browser (and
the service worker, see pwa/sw.js) keeps such a URL for a year without asking again, and a new
version of the file has a new URL. An ES module imports its neighbours by their plain names
(`./day.js`); the page's import map (import_map(), in pwa/_head.html) sends each of those to its
versioned URL. A static URL without the current version (an old page, a typed address) is
served too, but the browser must ask again each time.

Compression (gzip or brotli, as the browser accepts) is Flask-Compress's, for the pages, the
API's JSON and the static files alike, so that a plain gunicorn deployment has it too.
"""

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from flask import Flask, Response, current_app, request, url_for
from flask_compress import Compress

YEAR = 365 * 24 * 60 * 60
T = TypeVar("T")
# Text responses worth compressing; images (PNG) are compressed already.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/manifest+json",
    "image/svg+xml",
]


def init_assets(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Flask-Compress answers after every other after_request function registered before it;
    # cache_static runs first (registered after), so that it sees the file's own response.
    Compress(app)
    # JSON (the pages' data blocks, the API) in UTF-8 rather than \u escapes: a Kazakh,
    # Russian or Arabic page's strings take a third of the bytes, in every copy kept offline.
    app.json.ensure_ascii = False
    app.url_defaults(version_static_urls)
    app.after_request(cache_static)
    app.add_template_global(import_map)


def version_static_urls(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and "filename" in values:
        found = content_hash(values["filename"])
        if found:
            values["v"] = found


def content_hash(filename: str) -> str | None:
    """A short hash of the static file's content, None when there is no such file."""
    return read_once(("hash", filename), _current_hash, filename)


def _current_hash(filename: str) -> str | None:
    path = os.path.join(current_app.static_folder, filename)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _hash(path, stat.st_mtime_ns, stat.st_size)


def read_once(key: tuple, read: Callable[..., T], *args) -> T:
    """read(*args), something of the static folder (a file's hash, a listing), read once per
    process and folder: the files change only with a new version of the app, whose processes
    start afresh. Every page names a few dozen files; looked at on disk each time, they cost
    a page a tenth of its time. With the debugger on, files change under a running server,
    so each is looked at again."""
    if current_app.debug:
        return read(*args)
    known = current_app.extensions.setdefault("qadam.static", {})
    name = (current_app.static_folder, *key)
    if name not in known:
        known[name] = read(*args)
    return known[name]


@lru_cache(maxsize=512)
def _hash(path: str, _mtime_ns: int, _size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        digest.update(file.read())
    return digest.hexdigest()[:12]


def cache_static(response: Response) -> Response:
    """A static file asked for by its current version: kept for a year, never asked again;
    by any other URL: kept, but checked with the server (ETag) before each use. The file is
    read whole, so that it is compressed as a page is (a few dozen KB at most)."""
    if request.endpoint != "static" or response.status_code != 200:
        return response
    filename = (request.view_args or {}).get("filename", "")
    wanted = request.args.get("v")
    if wanted and wanted == content_hash(filename):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    else:
        response.cache_control.no_cache = True
        response.cache_control.max_age = None
    response.direct_passthrough = False
    body = response.get_data()
    response.close()  # the file
    response.set_data(body)
    return response


def import_map() -> dict:
    """Every module of static/js under its versioned URL, for the page's import map."""
    names = read_once(("modules",), _modules)
    versions = tuple(content_hash(f"js/{name}") for name in names)
    return kept_while_unchanged(_import_map, names, versions, request.script_root)


def _modules() -> tuple[str, ...]:
    folder = os.path.join(current_app.static_folder, "js")
    return tuple(sorted(name for name in os.listdir(folder) if name.endswith(".js")))


def _import_map(names: tuple[str, ...], _versions, _root) -> dict:
    return {
        "imports": {
            url_for("static", filename=f"js/{name}", v=None): url_for(
                "static", filename=f"js/{name}"
            )
            for name in names
        }
    }


def kept_while_unchanged(make: Callable[..., T], *key) -> T:
    """make(*key), made once for as long as `key` (which names what it is made of: files by
    their content hash, a language) and the static folder stay the same. Every page needs
    such things (the import map, the shell's version, the phone's strings); made afresh they
    cost a page a third of its time. With the debugger on, templates may change under a
    running server, so nothing is kept."""
    if current_app.debug:
        return make(*key)
    kept = current_app.extensions.setdefault("qadam.kept", {})
    name = (make.__module__, make.__qualname__, current_app.static_folder, *key)
    if name not in kept:
        if len(kept) > 256:  # key by key, an old version's entries would pile up
            kept.clear()
        kept[name] = make(*key)
    return kept[name]
