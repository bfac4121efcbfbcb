"""Where the login, the two-factor step and the language switch send a person next: a path on
this site only, read as a browser reads it (issue 10, point 11)."""

from urllib.parse import quote, urlsplit

import pytest

from app.auth.models import Role
from app.core.redirects import safe_next
from tests.factories import UserFactory
from tests.test_two_factor import code_of, password_step, post

# Each is another site to a browser (or no path at all), so the person goes to the home page.
OFF_SITE = [
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x00//evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "/\t\\evil.example",
    "https://evil.example/",
    "HTTPS:evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "today",
    "/\x00/evil.example",
    "",
]
# A header could break on these; a browser drops them, and so does the redirect.
LINE_BREAKS = ["/today\r\nSet-Cookie: stolen=1", "/today\n", "\r\n/today"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_target_a_browser_reads_as_another_site_is_the_home_page(app, target):
    with app.test_request_context():
        assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/today", "/children/1?tab=visits#history", "/a/b%2F/c"])
def test_a_path_on_this_site_is_kept(app, target):
    with app.test_request_context():
        assert safe_next(target) == target


@pytest.mark.parametrize(
    "query", ["next=/%09/evil.example", *(f"next={quote(t)}" for t in OFF_SITE)]
)
def test_the_login_never_sends_off_site(client, auth, query):
    teacher = UserFactory(role=Role.TEACHER)
    response = password_step(auth, teacher, f"/login?{query}")
    assert (response.status_code, response.location) == (303, "/")


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_two_factor_step_never_sends_off_site(client, auth, target):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    password_step(auth, worker, f"/login?next={quote(target)}")
    response = post(auth, "/login/code", {"code": code_of(worker)})
    assert (response.status_code, response.location) == (303, "/")


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_never_sends_off_site(client, auth, target):
    response = post(auth, "/language", {"lang": "ru", "next": target})
    assert (response.status_code, response.location) == (303, "/")


@pytest.mark.parametrize("target", LINE_BREAKS)
def test_a_line_break_in_next_still_logs_in_and_stays_on_this_site(client, auth, target):
    teacher = UserFactory(role=Role.TEACHER)
    response = password_step(auth, teacher, f"/login?next={quote(target)}")
    assert response.status_code == 303
    assert response.location.startswith("/today")
    assert not urlsplit(response.location).netloc


@pytest.mark.parametrize("target", LINE_BREAKS)
def test_a_line_break_in_next_after_the_two_factor_step_stays_on_this_site(client, auth, target):
    worker = UserFactory(role=Role.SOCIAL_WORKER)
    password_step(auth, worker, f"/login?next={quote(target)}")
    response = post(auth, "/login/code", {"code": code_of(worker)})
    assert response.status_code == 303
    assert response.location.startswith("/today")
    assert "\r" not in response.location and "\n" not in response.location
    assert client.get("/caseload").status_code == 200  # the login went through


@pytest.mark.parametrize("target", LINE_BREAKS)
def test_a_line_break_in_next_on_the_language_switch_stays_on_this_site(client, auth, target):
    response = post(auth, "/language", {"lang": "ru", "next": target})
    assert response.status_code == 303
    assert response.location.startswith("/today")
    assert "\r" not in response.location and "\n" not in response.location
