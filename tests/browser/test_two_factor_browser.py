"""Two-factor authentication in a real browser: a social worker's first login, then the next."""

import re

import pyotp
from playwright.sync_api import expect

from app.auth.models import Role
from app.extensions import db
from tests.factories import PASSWORD, UserFactory


def test_a_social_worker_sets_up_two_factor_at_the_first_login_then_logs_in_with_a_code(
    page, log_in_with_the_form
):
    worker = UserFactory(role=Role.SOCIAL_WORKER, two_factor=False)
    page.goto("/login")
    page.fill("#email", worker.email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").tap()
    page.wait_for_url(re.compile(r"/account/two-factor$"))
    page.goto("/district")  # anything else leads back to the set-up page
    page.wait_for_url(re.compile(r"/account/two-factor$"))
    expect(page.locator("img.qr-code")).to_be_visible()
    db.session.refresh(worker)
    page.fill("#code", pyotp.TOTP(worker.totp_secret).now())
    page.locator("main button[type=submit]").tap()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.locator("main a.link-button").tap()
    page.wait_for_url(re.compile(r"/caseload$"))
    page.locator("#logout-form button").tap()
    page.wait_for_url(re.compile(r"/login"))
    log_in_with_the_form(page, worker)  # password, then the code page
