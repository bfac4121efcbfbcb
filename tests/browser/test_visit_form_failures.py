"""The visit report's form when sending goes wrong (issue 11, point 5), in a real Chromium at
360×640: a server that never answers, a report the server refuses, a browser that cannot
encrypt. The form is the shared offline form (static/js/offline_form.js), as the others are."""

from playwright.sync_api import expect

from tests.browser.offline import go_offline, outbox, text, wait_until_offline_ready

# The form's fetch gives up after 15 s; here after a moment, so the test need not wait.
SHORT_TIMEOUT_JS = """
const timeout = AbortSignal.timeout.bind(AbortSignal);
AbortSignal.timeout = () => timeout(500);
"""


def new_report_url(child) -> str:
    return f"/children/{child.id}/visits/new"


def test_a_report_the_server_does_not_answer_is_kept_on_the_phone(page, log_in, worker, child):
    log_in(page, worker)
    page.add_init_script(SHORT_TIMEOUT_JS)
    page.goto(new_report_url(child))
    page.route(f"**{new_report_url(child)}", lambda route: None)  # never answered
    page.route("**/api/sync", lambda route: None)  # nor is the sync: the report stays here
    form = page.locator("#visit-report")
    form.locator("input[name=outcome][value=no_concerns]").check()
    form.locator("button[type=submit]").tap()

    expect(form.locator("[data-sync-state]")).to_have_text(text("Saved on this phone."))
    assert [entry["kind"] for entry in outbox(page, "mine")] == ["visit_report"]


def test_a_report_the_server_refuses_is_posted_once_and_its_errors_shown(
    page, log_in, worker, child
):
    log_in(page, worker)
    page.goto(new_report_url(child))
    posts = []
    page.on(
        "request",
        lambda request: posts.append(request.url) if request.method == "POST" else None,
    )
    form = page.locator("#visit-report")
    form.locator("textarea[name=present]").fill("Әжесі")  # no overall outcome chosen
    form.locator("button[type=submit]").tap()

    expect(page.get_by_text(text("Choose the overall outcome."))).to_be_visible()
    page.wait_for_timeout(500)  # a second post would have left by now
    assert len([url for url in posts if url.endswith(new_report_url(child))]) == 1
    assert outbox(page, "mine") == []


def test_a_browser_that_cannot_encrypt_says_so_on_the_report(page, log_in, worker, child):
    log_in(page, worker)
    wait_until_offline_ready(page)
    go_offline(page.context)
    page.add_init_script("Object.defineProperty(window, 'isSecureContext', { value: false })")
    page.goto(new_report_url(child))
    form = page.locator("#visit-report")
    form.locator("input[name=outcome][value=no_concerns]").check()
    form.locator("button[type=submit]").tap()

    error = form.locator("[data-outbox-error]")
    expect(error).to_be_visible()
    expect(error).to_have_text(
        text(
            "This browser cannot encrypt entries, so this one was not saved on the phone. "
            "Open Qadam through its https address, or save it while online."
        )
    )
    assert outbox(page) == []
