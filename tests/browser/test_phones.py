"""The suite's phones: one kept between tests holds nothing of the test before (conftest.py,
_Phone), so that no test passes or fails by what another left on it."""

from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from tests.browser.offline import (
    choose,
    go_offline,
    roll_call_url,
    save,
    wait_for_outbox,
    wait_until_offline_ready,
)
from tests.factories import ChildFactory

LEFT_BEHIND_JS = """
async () => ({
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map((database) => database.name),
  local: Object.keys(localStorage),
  session: Object.keys(sessionStorage),
  cookies: document.cookie,
})
"""
SHELL_JS = """
async (shell) => (await (await caches.open(shell)).keys()).map((request) => {
  const url = new URL(request.url);
  return url.pathname + url.search;
})
"""


def test_a_phone_handed_to_the_next_test_holds_nothing_of_the_last(
    page, log_in, teacher, school_class, _phones, locale, shell_of_this_run
):
    child = ChildFactory(school_class=school_class)
    log_in(page, teacher)
    wait_until_offline_ready(page)
    page.goto(roll_call_url(school_class))
    go_offline(page.context)
    choose(page, child, "absent")
    save(page)
    wait_for_outbox(page, "entries.length === 1")
    phone = _phones[locale]
    held = page.evaluate(LEFT_BEHIND_JS)
    assert held["workers"] == 1 and len(held["caches"]) == 2  # the shell's and the pages'
    assert held["databases"] and held["local"]

    phone.wipe()

    assert page.is_closed() and phone.context.cookies() == []
    # A page that runs no script of Qadam's, so that nothing is registered or stored again.
    look = phone.context.new_page()
    look.goto("/static/icons/icon-192.png")
    left = look.evaluate(LEFT_BEHIND_JS)
    # The app's shell stays, the same for every user: the worker, and its cache of the app's
    # own files, no page of the teacher's.
    shell = shell_of_this_run["cache"]
    assert left == {
        "workers": 1,
        "caches": [shell],
        "databases": [],
        "local": [],
        "session": [],
        "cookies": "",
    }
    assert sorted(look.evaluate(SHELL_JS, shell)) == sorted(shell_of_this_run["urls"])


def test_a_phone_whose_app_shell_a_test_changed_is_wiped_entirely(
    page, log_in, teacher, school_class, _phones, locale, shell_of_this_run
):
    log_in(page, teacher)
    wait_until_offline_ready(page)
    phone = _phones[locale]
    page.evaluate(
        "async ([shell, url]) => (await caches.open(shell)).delete(url)",
        [shell_of_this_run["cache"], shell_of_this_run["offline"]],
    )

    phone.wipe()

    look = phone.context.new_page()
    look.goto("/static/icons/icon-192.png")
    left = look.evaluate(LEFT_BEHIND_JS)
    assert left["workers"] == 0 and left["caches"] == []


def test_a_request_that_comes_once_its_test_has_ended_is_turned_away(live_server, gate):
    """A request a test held in a route is let go when its page closes: arriving after the
    test, it would write into the next one (a CI run saw a visit report so land)."""
    gate.close()
    try:
        with pytest.raises(HTTPError) as refused:
            urlopen(f"{live_server}/login", timeout=5)  # noqa: S310 (the local test server)
    finally:
        gate.open()
    refused.value.close()  # its socket, else left to the garbage collector
    assert refused.value.code == 503
    with urlopen(f"{live_server}/login", timeout=5) as answer:  # noqa: S310
        assert answer.status == 200
