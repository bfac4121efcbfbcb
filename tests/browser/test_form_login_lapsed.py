"""Saving a form online after the session or its token lapsed (issue 10, point 3), in a real
Chromium at 360×640: nothing typed is lost. The page stays, says in its own language that the
form is kept on the phone until the next login, and once logged in again the form reaches the
server exactly once."""

import json
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, func, select, update

from app.auth.models import User, UserSession
from app.casework.models import Placement, VisitReport
from app.extensions import db
from app.incidents.models import Incident
from tests.browser.offline import outbox, sent_batches, text, wait_for_outbox

TYPED = "Әжесімен сөйлестім, үйі жылы"
LOGIN_TO_SEND = (
    "Your session has ended. What you wrote is saved on this phone and will be sent after "
    "you log in again."
)
FORM_EXPIRED = "Your form expired or was tampered with. Please reload the page and try again."


@dataclass
class Form:
    kind: str
    selector: str
    path: str  # under /children/<id>/
    model: type
    typed_into: str  # the field that holds TYPED

    def fill(self, page) -> None:
        form = page.locator(self.selector)
        for name, value in self.choices.items():
            form.locator(f"input[name={name}][value={value}]").check()
        if self.kind == "placement":
            form.locator("select[name=kind]").select_option("foster_family")
        form.locator(self.typed_into).fill(TYPED)

    @property
    def choices(self) -> dict:
        return {
            "incident": {
                "place": "neighbourhood",
                "involved": "neighbours",
                "what_happened": "exclusion",
                "severity": "medium",
            },
            "visit_report": {"outcome": "no_concerns"},
            "placement": {},
        }[self.kind]


FORMS = {
    "incident": Form(
        "incident",
        "#incident-form",
        "incidents/new",
        Incident,
        "textarea[name=immediate_action]",
    ),
    "visit_report": Form(
        "visit_report", "#visit-report", "visits/new", VisitReport, "textarea[name=present]"
    ),
    "placement": Form(
        "placement",
        "#placement-form",
        "placements/new",
        Placement,
        "input[name='caregivers-0-name']",
    ),
}


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def count_once_stored(page, model, expected: int, seconds: float = 5) -> int:
    """The rows, once the live server's write is visible to the test's connection."""
    for _attempt in range(int(seconds * 10)):
        if count(model) >= expected:
            break
        page.wait_for_timeout(100)
    return count(model)


def end_sessions() -> None:
    """The session lapsed on the server (idle, or ended elsewhere): the cookie leads nowhere."""
    db.session.execute(delete(UserSession))
    db.session.commit()


def set_active(user, active: bool) -> None:
    db.session.execute(update(User).where(User.id == user.id).values(active=active))
    db.session.commit()


def save_and_expect_kept(page, form: Form, url: str) -> dict:
    """Save; the page stays, says the form is kept until the next login; the entry is sealed."""
    page.locator(f"{form.selector} button[type=submit]").tap()
    state = page.locator(f"{form.selector} [data-sync-state]")
    expect(state).to_have_attribute("data-state", "login")
    expect(state).to_contain_text(text(LOGIN_TO_SEND))
    expect(state.locator("a")).to_have_text(text("Log in"))
    assert page.url.endswith(url)
    shown = page.locator("main").inner_text()
    assert FORM_EXPIRED not in shown and text(FORM_EXPIRED) not in shown
    [entry] = outbox(page, "mine")
    assert entry["kind"] == form.kind and "payload" not in entry  # sealed, as offline
    assert TYPED not in json.dumps(entry, ensure_ascii=False)
    return entry


def log_in_again_and_expect_sent_once(
    page, log_in_with_the_form, worker, form: Form, before: int, bodies: list[dict]
) -> None:
    """`bodies`: every sync request since the form was saved (the sync may try at once)."""
    log_in_with_the_form(page, worker)
    wait_for_outbox(page, "entries.length === 0")
    assert count_once_stored(page, form.model, before + 1) == before + 1
    page.wait_for_timeout(300)  # a second copy would have arrived by now
    assert count(form.model) == before + 1
    sent = [op["op_id"] for body in bodies for op in body["ops"]]
    assert len(set(sent)) == 1


@pytest.mark.parametrize("kind", FORMS)
def test_a_form_saved_after_the_session_lapsed_is_kept_and_sent_after_the_next_login(
    page, log_in, log_in_with_the_form, worker, child, kind
):
    form = FORMS[kind]
    before = count(form.model)
    url = f"/children/{child.id}/{form.path}"
    log_in(page, worker, to=url)
    form.fill(page)
    end_sessions()
    bodies = sent_batches(page)

    save_and_expect_kept(page, form, url)
    assert count(form.model) == before  # the server wrote nothing

    log_in_again_and_expect_sent_once(page, log_in_with_the_form, worker, form, before, bodies)


def test_a_form_answered_with_the_login_page_is_kept_and_sent_after_the_next_login(
    page, log_in, log_in_with_the_form, worker, child
):
    form = FORMS["visit_report"]
    url = f"/children/{child.id}/{form.path}"
    log_in(page, worker, to=url)
    form.fill(page)
    set_active(worker, False)  # the session holds its token, but no longer a user
    bodies = sent_batches(page)

    save_and_expect_kept(page, form, url)
    assert count(VisitReport) == 0

    set_active(worker, True)
    end_sessions()  # so that the login form is asked for again
    log_in_again_and_expect_sent_once(page, log_in_with_the_form, worker, form, 0, bodies)


def test_a_form_with_a_stale_token_is_kept_and_sent_at_once_while_the_session_lives(
    page, log_in, worker, child
):
    form = FORMS["incident"]
    log_in(page, worker, to=f"/children/{child.id}/{form.path}")
    form.fill(page)
    page.locator(f"{form.selector} input[name=csrf_token]").evaluate("input => input.value = 'x'")
    page.locator(f"{form.selector} button[type=submit]").tap()

    # The sync's own request carries the session's token: the report is sent at once.
    state = page.locator(f"{form.selector} [data-sync-state]")
    expect(state).to_have_attribute("data-state", "synced", timeout=10_000)
    wait_for_outbox(page, "entries.length === 0")
    assert count_once_stored(page, Incident, 1) == 1
    [incident] = db.session.scalars(select(Incident)).all()
    assert incident.immediate_action == TYPED
