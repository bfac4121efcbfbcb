"""The installable app as the server renders it: manifest, service worker, offline page, and
the data block the page's scripts read."""

import json
import os
import re
import shutil
import struct

from flask import current_app

from app.pwa import shell
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory


def config_block(response) -> dict:
    """What the page's scripts read (static/js/text.js, readConfig): the page's own block
    over the shared script the page names, fetched as the browser fetches it."""
    page = page_block(response)
    shared = shared_part(response)
    return {**shared, **page, "outbox": {**shared["outbox"], **page["outbox"]}}


def page_block(response) -> dict:
    html = response.get_data(as_text=True)
    match = re.search(
        r'<script type="application/json" id="qadam-config">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


SHARED = re.compile(r'<script defer src="(/client/[a-z]+\.js\?v=[0-9a-f]{12})"')


def shared_part(response) -> dict:
    url = SHARED.search(response.get_data(as_text=True)).group(1)
    with current_app.test_client().get(url) as shared:
        assert shared.status_code == 200
        script = shared.get_data(as_text=True)
    assert script.startswith("window.qadamShared = ")
    return json.loads(script.removeprefix("window.qadamShared = ").rstrip().removesuffix(";"))


def png_size(client, url) -> tuple[int, int]:
    with client.get(url) as response:
        body = response.data
    assert body[:8] == b"\x89PNG\r\n\x1a\n", url
    return struct.unpack(">II", body[16:24])


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Qadam" and manifest["short_name"] == "Qadam"
    assert manifest["start_url"] == "/today"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5cad" and manifest["background_color"] == "#ffffff"
    for icon in manifest["icons"]:
        width, height = png_size(client, icon["src"])
        assert icon["sizes"] == f"{width}x{height}" and icon["type"] == "image/png"
    purposes = {(icon["purpose"], icon["sizes"]) for icon in manifest["icons"]}
    assert {("any", "192x192"), ("any", "512x512"), ("maskable", "512x512")} <= purposes


def test_the_manifest_speaks_the_visitors_language(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar"
    manifest = json.loads(client.get("/manifest.webmanifest").data)
    assert (manifest["lang"], manifest["dir"]) == ("ar", "rtl")


def test_the_service_worker_is_served_from_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"


def test_the_service_worker_precaches_the_app_shell(app, client):
    body = client.get("/sw.js").get_data(as_text=True)
    precache = json.loads(re.search(r"const SHELL = (\[.*?\]);", body).group(1))
    # Assets by their versioned URLs (app/core/assets.py), the offline page by its own.
    paths = {url.split("?v=")[0] for url in precache}
    assert "/static/css/app.css" in paths
    assert "/static/vendor/htmx-2.0.11.min.js" not in paths  # no page kept offline uses it
    assert {"/static/js/outbox.js", "/static/js/app.js", "/offline"} <= paths
    assert "/static/icons/icon-maskable-512.png" in paths
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in precache if "/static/" in url)
    for url in precache:
        with client.get(url) as response:
            assert response.status_code == 200, url
    with app.test_request_context():
        assert '"qadam-shell-" + VERSION' in body and shell.version() in body


def test_the_service_worker_handles_only_get_requests(client):
    body = client.get("/sw.js").get_data(as_text=True)
    # The first thing the fetch handler does: leave anything but GET to the network.
    handler = body[body.index('addEventListener("fetch"') :]
    assert re.search(r'if \(request\.method !== "GET"\) return;', handler)


def test_a_change_to_a_precached_file_renames_the_cache(app, tmp_path):
    """A new version of the app (its static folder, as a new deploy's processes read it)."""
    same, changed = tmp_path / "same", tmp_path / "changed"
    shutil.copytree(app.static_folder, same)
    shutil.copytree(app.static_folder, changed)
    with open(os.path.join(changed, "css", "app.css"), "a") as css:
        css.write("\n/* a deploy */\n")
    original = app.static_folder
    versions = {}
    try:
        with app.test_request_context():
            for folder in (original, same, changed):
                app.static_folder = str(folder)
                versions[folder] = shell.version()
    finally:
        app.static_folder = original
    assert versions[same] == versions[original] != versions[changed]


def test_the_static_files_are_read_once_and_again_with_the_debugger_on(app, tmp_path):
    """A running server does not look at its files for each page; the development server
    (debugger on), whose files change under it, looks at them each time."""
    copy = tmp_path / "static"
    shutil.copytree(app.static_folder, copy)
    original = app.static_folder
    try:
        with app.test_request_context():
            app.static_folder = str(copy)
            before = shell.version()
            with open(os.path.join(copy, "css", "app.css"), "a") as css:
                css.write("\n/* an edit */\n")
            assert shell.version() == before
            app.debug = True
            assert shell.version() != before
    finally:
        app.static_folder = original
        app.debug = False


def test_the_offline_page_shows_nothing_personal(client, auth):
    auth.log_in_as(UserFactory())
    response = client.get("/offline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="logout-form"' not in html and "data-sync-slot" not in html
    config = config_block(response)
    assert config["user_id"] is None and config["csrf_token"] is None
    assert config["shell_page"] is True


def test_a_page_gives_its_scripts_the_user_urls_and_strings(client, auth):
    teacher = UserFactory()
    auth.log_in_as(teacher)
    response = client.get("/today")
    config = config_block(response)
    assert config["user_id"] == str(teacher.id) and config["csrf_token"]
    assert config["urls"]["sync"] == "/api/sync" and config["urls"]["ping"] == "/api/ping"
    assert config["urls"]["offline_pages"] == "/api/offline-pages"
    assert config["urls"]["service_worker"] == "/sw.js" and config["urls"]["scope"] == "/"
    assert config["strings"]["saved"] == "Saved on this phone."
    assert config["strings"]["synced_at"] == "Synced at {time}"
    html = response.get_data(as_text=True)
    assert 'data-sync-slot="badge"' in html and 'id="logout-form"' in html
    # The badge itself comes once in the language's shared script, not in every page.
    assert 'id="sync-badge"' not in html
    shared = client.get(re.search(r'src="(/client/en\.js\?v=\w+)"', html).group(1))
    chrome = json.loads(shared.get_data(as_text=True).split("=", 1)[1].rstrip(";\n"))["chrome"]
    assert 'id="sync-badge"' in chrome["badge"] and "Waiting to sync" in chrome["badge"]
    assert 'id="sync-panel"' in chrome["panel"] and 'id="sync-alerts"' in chrome["alerts"]
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_a_visitor_who_is_not_logged_in_gets_no_user_or_token(client):
    config = config_block(client.get("/login"))
    assert config["user_id"] is None and config["csrf_token"] is None


def test_no_script_on_a_page_is_inline_and_executable(client, auth):
    teacher = UserFactory()
    child = ChildFactory(school_class=SchoolClassFactory(teachers=[teacher]))
    auth.log_in_as(teacher)
    for path in ("/today", f"/classes/{child.class_id}/roll-call", "/offline", "/login"):
        html = client.get(path).get_data(as_text=True)
        for attributes, content in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            data = re.search(r'type="(application/json|importmap)"', attributes)
            assert "src=" in attributes or data, path
            assert "src=" not in attributes or not content.strip(), path
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"


def test_the_roll_call_tells_the_outbox_what_it_is_about(client, auth):
    teacher = UserFactory()
    child = ChildFactory(school_class=SchoolClassFactory(teachers=[teacher]))
    auth.log_in_as(teacher)
    html = client.get(f"/classes/{child.class_id}/roll-call?day=2026-11-18").get_data(as_text=True)
    assert f'data-class-id="{child.class_id}"' in html
    assert 'data-day="2026-11-18"' in html
    assert f'data-refresh-url="/classes/{child.class_id}/roll-call?day=2026-11-18"' in html
    assert f'data-child-id="{child.id}"' in html
    assert "data-sync-state" in html and "data-outbox-error" in html
