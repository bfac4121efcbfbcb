"""One registration per domain (issue 11, point 1): a domain declares in its Domain what it adds
to the shared parts (pages kept offline, parts of a child's page, the timeline, alerts,
retention, audit words, phone strings), and they show it without naming the domain."""

from datetime import date

import pytest
from flask_babel import force_locale
from jinja2 import ChoiceLoader, DictLoader

from app.children.alerts import Alert
from app.children.timeline import Item
from app.core.domains import EXTENSION, MAIN, ChildSection, Domain, register_domains
from tests.factories import ChildFactory, UserFactory
from tests.test_pwa import config_block

RESULTS_SECTION = '<section id="results">Results: {{ section.mark }}</section>'


def results_domain(child) -> Domain:
    """A domain that is not there yet, as a new one would register."""

    def timeline(viewer, shown, since):
        return [Item(on=date(2026, 11, 2), kind="result", title="Term result: 5")]

    def alerts(user, today):
        return [Alert("low_result", child.id, child.full_name, 2)]

    return Domain(
        name="results",
        offline_pages=lambda user: ["/results"],
        offline_child_pages=lambda user, child_id: [f"/results/{child_id}"],
        child_sections=(ChildSection("results/_child.html", lambda shown: {"mark": 5}, MAIN),),
        timeline_sources=(timeline,),
        alert_rules=((4, alerts),),
        anonymisers=(lambda shown: setattr(shown, "given_name", "—"),),
        audit_actions={"view_results": "looked at the results"},
        client_strings=lambda: {"kinds": {"result": "Result"}, "result_saved": "Result saved"},
    )


@pytest.fixture
def with_results(app, monkeypatch, school_class):
    child = ChildFactory(school_class=school_class)
    domains = app.extensions[EXTENSION] + (results_domain(child),)
    monkeypatch.setitem(app.extensions, EXTENSION, domains)
    templates = DictLoader({"results/_child.html": RESULTS_SECTION})
    loader = ChoiceLoader([templates, app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    return child


def test_a_new_domains_pages_are_kept_offline_with_the_others(
    client, auth, teacher, school_class, with_results
):
    auth.log_in_as(teacher)
    pages = client.get("/api/offline-pages").get_json()["pages"]
    child = f"/children/{with_results.id}"
    assert pages == [
        "/today",
        f"/classes/{school_class.id}/roll-call",
        child,
        f"/results/{with_results.id}",
        "/tasks",  # the To-do list, to mark a task done offline
        "/incidents/new",  # one report form for every child (a stand-in offline)
        "/results",  # school results' list and their sheets' copy (a stand-in offline)
        "/results/on-phone",
        "/results",  # the new domain's
    ]


def test_a_new_domains_part_of_the_child_page_and_timeline_show(
    client, auth, teacher, with_results
):
    auth.log_in_as(teacher)
    page = client.get(f"/children/{with_results.id}").get_data(as_text=True)
    assert '<section id="results">Results: 5</section>' in page
    assert "Attendance this term" in page  # the other domains' parts stay
    timeline = client.get(f"/children/{with_results.id}/timeline").get_data(as_text=True)
    assert "Term result: 5" in timeline


def test_a_new_domains_alerts_words_and_phone_strings_are_read(
    app, client, auth, teacher, with_results
):
    from app.children.alerts import alerts_for
    from app.core.audit_history import action_words

    auth.log_in_as(teacher)
    strings = config_block(client.get("/today"))["strings"]
    assert strings["result_saved"] == "Result saved"
    assert strings["kinds"] == {
        "incident": "Incident",
        "visit_report": "Visit report",
        "placement": "New placement",
        "task_mark": "Task marked",
        "result": "Result",
    }
    with app.test_request_context(), force_locale("en"):
        assert [a.kind for a in alerts_for(UserFactory(), date(2026, 11, 18))] == ["low_result"]
        assert action_words("view_results") == "looked at the results"
        assert action_words("visit_report_create") == "recorded a visit report"


def test_a_new_domains_retention_step_runs_when_a_child_is_anonymised(app, with_results):
    from app.children.retention import anonymise

    with app.test_request_context():
        anonymise(with_results)
    assert with_results.given_name == "—"


def test_two_domains_wording_one_audit_action_stop_the_start(app):
    twice = (Domain("a", audit_actions={"view_x": "x"}), Domain("b", audit_actions={"view_x": "y"}))
    with pytest.raises(RuntimeError, match="view_x"):
        register_domains(app, twice)
