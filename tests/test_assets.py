"""Every text response compressed; static files under versioned URLs, kept for a year
(issue 12, points 1 and 2). The service worker's side is in tests/browser/test_assets_browser.py.
"""

import gzip
import json
import re
import shutil

import brotli
import pytest

from app.auth.models import Role
from app.core import assets
from app.pwa import client as client_data
from app.pwa import shell
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory
from tests.test_pwa import SHARED, page_block, shared_part

HTML = "text/html; charset=utf-8"


def fetch(client, url: str, encoding: str | None):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    return client.get(url, headers=headers)


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def static_url(html: str, path: str) -> str:
    return re.search(rf'"({re.escape(path)}\?v=[0-9a-f]{{12}})"', html).group(1)


@pytest.fixture
def page_urls(client, auth):
    """What a signed-in teacher's phone fetches: pages, JSON, a stylesheet, a script, the
    manifest and the service worker."""
    teacher = UserFactory()
    school_class = SchoolClassFactory(teachers=[teacher])
    ChildFactory.create_batch(12, school_class=school_class)  # offline pages: over 500 bytes
    auth.log_in_as(teacher)
    html = client.get(f"/classes/{school_class.id}/roll-call").get_data(as_text=True)
    return [
        "/today",
        "/api/offline-pages",
        "/openapi.json",
        static_url(html, "/static/css/app.css"),
        static_url(html, "/static/js/app.js"),
        "/manifest.webmanifest",
        "/sw.js",
    ]


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_every_text_response_is_compressed_as_the_browser_accepts(client, page_urls, encoding):
    for url in page_urls:
        with fetch(client, url, None) as plain, fetch(client, url, f"{encoding}, x") as packed:
            check_compressed(url, plain, packed, encoding)


def check_compressed(url: str, plain, packed, encoding: str) -> None:
    assert plain.status_code == packed.status_code == 200, url
    assert "Content-Encoding" not in plain.headers, url
    assert packed.headers["Content-Encoding"] == encoding, url
    assert "Accept-Encoding" in packed.headers["Vary"], url
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()), url
    assert len(packed.get_data()) < len(plain.get_data()) * 0.6, url
    if plain.mimetype == "text/html":  # a fresh token and nonce each time: what stays
        assert decoded(packed).count(b"<") == plain.get_data().count(b"<"), url
    else:
        assert decoded(packed) == plain.get_data(), url


def test_the_login_page_is_compressed_before_anyone_logs_in(client):
    response = fetch(client, "/login", "br")
    assert response.headers["Content-Encoding"] == "br"
    assert b"csrf_token" in decoded(response)


def test_an_image_is_not_compressed_again(client):
    html = client.get("/login").get_data(as_text=True)
    with fetch(client, static_url(html, "/static/icons/icon-192.png"), "br") as response:
        assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_a_static_file_by_its_versioned_url_is_kept_for_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    for path in ("/static/css/app.css", "/static/js/app.js", "/static/icons/icon-192.png"):
        with client.get(static_url(html, path)) as response:
            cache = response.cache_control
        assert cache.max_age == 31536000 and cache.immutable and cache.public, path
        assert not cache.no_cache, path


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_a_static_file_by_another_url_is_checked_with_the_server_each_time(client, query):
    with client.get(f"/static/css/app.css{query}") as response:
        assert response.status_code == 200
        assert response.cache_control.no_cache and response.cache_control.max_age is None
        etag = response.headers["ETag"]
    with client.get(f"/static/css/app.css{query}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_a_changed_file_gets_a_new_url_and_the_others_keep_theirs(app, tmp_path):
    copy = tmp_path / "static"
    shutil.copytree(app.static_folder, copy)
    with app.test_request_context():
        before = assets.import_map()["imports"]
        original = app.static_folder
        try:
            app.static_folder = str(copy)
            with open(copy / "js" / "day.js", "a") as script:
                script.write("\n// a deploy\n")
            after = assets.import_map()["imports"]
        finally:
            app.static_folder = original
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"/static/js/day.js"}


def test_the_import_map_sends_every_module_to_its_versioned_url(client):
    html = client.get("/login").get_data(as_text=True)
    block = re.search(r'<script type="importmap" nonce="[^"]+">(.*?)</script>', html, re.S)
    imports = json.loads(block.group(1))["imports"]
    modules = {f"/static/js/{name}" for name in ("app.js", "day.js", "outbox.js", "sync.js")}
    assert modules <= set(imports)
    for plain, versioned in imports.items():
        assert re.fullmatch(re.escape(plain) + r"\?v=[0-9a-f]{12}", versioned)
        with client.get(versioned) as response:
            assert response.cache_control.immutable
    # The page loads its entry module by the same versioned URL the map gives.
    assert f'src="{imports["/static/js/app.js"]}"' in html


MODULE_IMPORT = re.compile(r'^import .* from "\./([\w-]+\.js)";$', re.M)


def loaded_modules(static_folder: str, entry: str) -> set[str]:
    """The modules a page loads before anything it imports on demand: `entry` and what it
    imports at its top, and so on."""
    found, todo = set(), [entry]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            with open(f"{static_folder}/js/{name}", encoding="utf-8") as module:
                todo.extend(MODULE_IMPORT.findall(module.read()))
    return found


def test_the_login_page_loads_under_ten_kilobytes_of_script_and_no_outbox(app, client):
    html = client.get("/login", headers={"Accept-Language": "kk"}).get_data(as_text=True)
    scripts = re.findall(r'<script[^>]* src="([^"?]+)', html)
    assert scripts == ["/client/kk.js", "/static/js/app.js"]  # no htmx
    modules = loaded_modules(app.static_folder, "app.js")
    assert not {"outbox.js", "sync.js", "status.js", "roll_call.js"} & modules
    size = 0
    for name in modules:
        with open(f"{app.static_folder}/js/{name}", "rb") as module:
            size += len(gzip.compress(module.read()))
    with client.get(SHARED.search(html).group(1)) as shared:  # the strings, in Kazakh
        size += len(gzip.compress(shared.data))
    assert size < 10 * 1024, size


def test_htmx_is_loaded_only_where_a_part_of_the_page_is_swapped_in(client, auth):
    teacher = UserFactory()
    school_class = SchoolClassFactory(teachers=[teacher])
    ChildFactory(school_class=school_class)
    auth.log_in_as(teacher)
    htmx = "/static/vendor/htmx-2.0.11.min.js"
    assert htmx not in client.get("/today").get_data(as_text=True)
    # The roll call's own script sends it and shows the server's marks (roll_call.js).
    roll_call = client.get(f"/classes/{school_class.id}/roll-call").get_data(as_text=True)
    assert htmx not in roll_call and "hx-" not in roll_call
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    auth.log_in_as(UserFactory(role=Role.ADMINISTRATOR))
    account = client.get(f"/admin/users/{worker.id}").get_data(as_text=True)
    assert htmx in account and "hx-post" in account  # the search of a caseload's children


def test_every_page_has_a_description_in_its_language(client):
    for lang, words in (("en", "Attendance and follow-up"), ("ru", "Посещаемость")):
        html = client.get("/login", headers={"Accept-Language": lang}).get_data(as_text=True)
        description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
        assert words in description, lang


def test_a_pages_data_block_keeps_its_letters_unescaped(client, auth):
    auth.log_in_as(UserFactory(preferred_language="kk"))
    page = client.get("/today")
    with client.get(SHARED.search(page.get_data(as_text=True)).group(1)) as response:
        script = response.get_data(as_text=True)
    assert shared_part(page)["strings"]["retry"] in script  # Қайталау, not \u049a…
    assert not re.search(r"\\u04[0-9a-f]{2}", script)


def test_a_page_carries_only_its_own_data_and_names_the_shared_part_by_its_version(client, auth):
    """The strings, URLs and keys every page shares come once, in a script kept a year; the
    page's own block holds who is signed in and their tokens (a Kazakh Today's block was
    half of its bytes)."""
    auth.log_in_as(UserFactory(preferred_language="kk"))
    page = client.get("/today")
    block = page_block(page)
    assert set(block) == {"user_id", "csrf_token", "shell_page", "lang", "shell_version", "outbox"}
    assert set(block["outbox"]) == {"user_key"}
    html = page.get_data(as_text=True)
    assert len(re.search(r'id="qadam-config">(.*?)</script>', html).group(1)) < 400
    url = SHARED.search(html).group(1)
    with client.get(url) as shared:
        assert shared.cache_control.max_age == assets.YEAR and shared.cache_control.immutable
        assert "Қайталау" in shared.get_data(as_text=True)
        # The same for everyone: kept across logins, not fetched again for each new session.
        assert "Cookie" not in shared.vary
    stale = url.split("?")[0] + "?v=000000000000"
    with client.get(stale) as old:  # another version's URL: served, checked each time
        assert old.status_code == 200 and old.cache_control.no_cache
    assert client.get("/client/xx.js").status_code == 404
    # Another language has its own, and a phone keeps all four for offline use.
    auth.log_in_as(UserFactory(preferred_language="ru"))
    ru = SHARED.search(client.get("/today").get_data(as_text=True)).group(1)
    assert ru.startswith("/client/ru.js?v=") and ru.split("=")[1] != url.split("=")[1]
    with client.get("/sw.js") as worker:
        for lang in ("kk", "ru", "ar", "en"):
            assert f"/client/{lang}.js?v=" in worker.get_data(as_text=True)


def test_what_every_page_needs_is_made_once_until_a_file_changes(app, client, monkeypatch):
    """The import map, the shell's version and the phone's strings are made once per
    language, not for every page, and made again when a file they name changes."""
    made = []
    for module, name in ((assets, "_import_map"), (shell, "_version"), (client_data, "_shared")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, _counted(original, name, made))
    app.extensions.pop("qadam.kept", None)
    for _ in range(3):
        client.get("/login", headers={"Accept-Language": "kk"})
    client.get("/login", headers={"Accept-Language": "ru"})
    # The shell's version names every language's shared part: each made once, on the first.
    assert sorted(made) == ["_import_map", *["_shared"] * 4, "_version"]
    # The one with the debugger on makes them afresh: its templates may change meanwhile.
    monkeypatch.setattr(app, "debug", True)
    made.clear()
    client.get("/login", headers={"Accept-Language": "kk"})
    assert {"_import_map", "_shared", "_version"} <= set(made)


def _counted(make, name, made):
    def counted(*args):
        made.append(name)
        return make(*args)

    counted.__qualname__ = make.__qualname__
    counted.__module__ = make.__module__
    return counted
