"""The service worker keeps the app's files by their versioned URLs (issue 12, point 2): it
never downloads a file the page has just loaded, and a new version of the app downloads only
the files that changed."""

import collections
import re
import shutil

import pytest

from tests.browser.offline import wait_until_offline_ready
from tests.factories import ChildFactory

SHELL_CACHES_JS = """async () => (await caches.keys())
  .filter((name) => name.startsWith('qadam-shell-'))"""
UPDATE_JS = "async () => { await (await navigator.serviceWorker.getRegistration()).update(); }"


@pytest.fixture
def static_requests(app, monkeypatch):
    """How many times the server was asked for each static file (path, without the query)."""
    counts: collections.Counter = collections.Counter()
    inner = app.wsgi_app

    def counting(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/static/"):
            counts[path] += 1
        return inner(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", counting)
    return counts


def test_the_phone_downloads_each_file_once_and_a_new_version_only_what_changed(
    new_context, log_in, teacher, school_class, static_requests, app, monkeypatch, tmp_path
):
    page = new_context().new_page()  # a phone that never loaded any of Qadam's files
    log_in(page, teacher)
    wait_until_offline_ready(page)
    assert static_requests["/static/js/app.js"] == 1  # the page's, then its HTTP cache
    assert static_requests["/static/css/app.css"] == 1
    assert max(static_requests.values()) == 1, static_requests
    [first_cache] = page.evaluate(SHELL_CACHES_JS)

    # A new version of the app changes one file.
    copy = tmp_path / "static"
    shutil.copytree(app.static_folder, copy)
    with open(copy / "css" / "app.css", "a") as css:
        css.write("\n/* a new version */\n")
    monkeypatch.setattr(app, "static_folder", str(copy))
    static_requests.clear()
    page.evaluate(UPDATE_JS)
    for _ in range(100):
        caches = page.evaluate(SHELL_CACHES_JS)
        if caches and caches != [first_cache] and len(caches) == 1:
            break
        page.wait_for_timeout(100)
    assert len(caches) == 1 and caches != [first_cache]  # the old shell is gone
    assert dict(static_requests) == {"/static/css/app.css": 1}

    # The new file is what the phone now has, under its new URL.
    kept = page.evaluate(
        """async () => (await (await caches.open((await caches.keys())
             .find((n) => n.startsWith('qadam-shell-')))).keys()).map((r) => r.url)"""
    )
    css = [url for url in kept if "/static/css/app.css" in url]
    assert len(css) == 1 and re.search(r"\?v=[0-9a-f]{12}$", css[0])
    page.goto("/today")  # the new version's page: every file from the phone
    wait_until_offline_ready(page)
    assert dict(static_requests) == {"/static/css/app.css": 1}


def scripts_loaded(page, url: str) -> set[str]:
    """The script files the page itself asked for while it opened (the service worker's own
    precache is not the page's)."""
    names: set[str] = set()
    page.on("request", lambda request: names.add(request.url.split("?")[0].rsplit("/", 1)[-1]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return {name for name in names if name.endswith(".js") and name != "sw.js"}


def test_before_login_the_page_loads_no_outbox_and_each_page_only_its_own_form(
    page, log_in, teacher, school_class
):
    loaded = scripts_loaded(page, "/login")
    # kk.js: the strings and settings every Kazakh page shares (/client/kk.js).
    assert loaded == {"kk.js", "app.js", "day.js", "pages.js", "text.js"}
    log_in(page, teacher)
    wait_until_offline_ready(page)
    on_today = scripts_loaded(page, "/today")
    assert {"outbox.js", "sync.js", "status.js", "today.js"} <= on_today
    assert not {"incident_form.js", "visit_report.js", "placement_form.js"} & on_today
    assert "htmx-2.0.11.min.js" not in on_today


def test_a_class_of_thirtys_roll_call_weighs_at_most_40_kb_with_an_empty_cache(
    new_context, log_in, teacher, school_class
):
    """Issue 12, point 3: the page and what it loads until its scripts have taken over the
    form, as sent (compressed), on a phone that never opened Qadam; what the service worker
    keeps for offline use comes after, and is not counted (as in scripts/benchmark)."""
    ChildFactory.create_batch(30, school_class=school_class)
    page = new_context(service_workers="block").new_page()
    sizes: dict[str, int] = {}

    def finished(request) -> None:
        # The copies kept for offline use, and their list, are not the page's own load, but a
        # slow machine may start them before the test stops counting.
        offline = request.headers.get("x-qadam-purpose") == "offline-copy"
        if not offline and not request.url.endswith("/api/offline-pages"):
            sizes.setdefault(request.url, request.sizes()["responseBodySize"])

    page.on("requestfinished", finished)
    log_in(page, teacher, to=f"/classes/{school_class.id}/roll-call")
    loaded = dict(sizes)
    page.remove_listener("requestfinished", finished)
    assert page.locator("li.child").count() == 30
    assert not [url for url in loaded if "htmx" in url]
    assert sum(loaded.values()) <= 40 * 1024, loaded
