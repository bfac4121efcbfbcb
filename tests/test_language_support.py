"""Language support (issue 13, point 6, with its parts of points 7, 8 and 10): a child's level
in the language of instruction each term on five described levels, corrected with the earlier
level kept; support sessions recorded once; the child's page and timeline; the social
worker's alert about a level unchanged for two terms."""

import re
import uuid
from datetime import date

import pytest
from sqlalchemy import func, insert, select

from app.children.alerts import alerts_for
from app.children.models import caseload
from app.core.audit import AuditEvent
from app.extensions import db
from app.plans.language import record_level
from app.plans.models import LanguageLevel, LanguageLevelHistory, SupportSession
from app.plans.overview import unchanged_level
from tests.conftest import TODAY, count_queries
from tests.factories import ChildFactory, TermFactory
from tests.plans_helpers import make_world, post, visible


@pytest.fixture
def world():
    return make_world()


def language_url(world) -> str:
    return f"/children/{world.child.id}/language"


def level_form(**values) -> dict:
    return {"term": "2", "level": "2", "language": "kk", "version": "0"} | values


def session_form(**values) -> dict:
    form = {
        "session_id": str(uuid.uuid4()),
        "held_on": "2026-11-16",
        "minutes": "40",
        "with_whom": "Arabic-speaking specialist",
        "language": "ar",
        "note": "",
    }
    return form | values


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def levels(world, *by_term: int | None, child=None) -> None:
    """Record `child`'s level (world.child's by default) in terms 1, 2, … (None: none)."""
    for number, level in enumerate(by_term, start=1):
        if level is not None:
            term = world.terms[number]
            record_level(child or world.child, term, level, "kk", world.teacher, 0)
    db.session.commit()


def test_the_class_teacher_records_this_terms_level_and_the_page_describes_it(client, auth, world):
    auth.log_in_as(world.teacher)
    page = client.get(language_url(world)).get_data(as_text=True)
    assert "Level in term 2" in page  # this term's by default
    assert "Understands almost nothing" in page and "Follows lessons without help" in page
    assert post(client, auth, f"{language_url(world)}/level", level_form()).status_code == 303
    page = client.get(language_url(world)).get_data(as_text=True)
    assert "2 of 5: Understands simple words and instructions with gestures" in page
    stored = db.session.scalar(select(LanguageLevel))
    assert (stored.level, stored.language, stored.version) == (2, "kk", 1)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.user_id == world.teacher.id)
    )
    assert {"view_language", "language_write"} <= set(actions)


def test_the_level_is_in_the_classs_language_of_instruction_by_default(client, auth):
    world = make_world(language_of_instruction="ru")
    auth.log_in_as(world.teacher)
    page = client.get(language_url(world)).get_data(as_text=True)
    assert '<option selected value="ru">Russian</option>' in page


def test_a_corrected_level_keeps_the_earlier_one_in_view(client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, f"{language_url(world)}/level", level_form())
    assert (
        post(
            client, auth, f"{language_url(world)}/level", level_form(level="3", version="1")
        ).status_code
        == 303
    )
    [earlier] = db.session.scalars(select(LanguageLevelHistory)).all()
    assert earlier.level == 2
    page = client.get(language_url(world)).get_data(as_text=True)
    assert "3 of 5: Understands everyday speech" in page
    assert "Earlier: 2 of 5, until" in page


def test_an_earlier_terms_level_is_recorded_from_its_own_link(client, auth, world):
    auth.log_in_as(world.teacher)
    page = client.get(f"{language_url(world)}?term=1").get_data(as_text=True)
    assert "Level in term 1" in page
    assert (
        post(client, auth, f"{language_url(world)}/level", level_form(term="1")).status_code == 303
    )
    assert db.session.scalar(select(LanguageLevel.term_id)) == world.terms[1].id


def test_a_level_recorded_meanwhile_answers_409_with_what_is_stored_and_writes_nothing(
    client, auth, world
):
    auth.log_in_as(world.teacher)
    post(client, auth, f"{language_url(world)}/level", level_form(level="3"))
    stale = post(client, auth, f"{language_url(world)}/level", level_form(level="4"))
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Nothing was overwritten" in html and "Stored now: 3 of 5" in html
    assert 'name="version" type="hidden" value="1"' in html  # saving again is a decision
    assert re.search(r'<input checked[^>]*value="4"', html)  # the person's choice kept
    assert db.session.scalar(select(LanguageLevel.level)) == 3
    assert count(LanguageLevelHistory) == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"level": "0"}, "Choose a level from 1 to 5."),
        ({"level": "6"}, "Choose a level from 1 to 5."),
        ({"level": "good"}, "Choose a level from 1 to 5."),
        ({"language": "en"}, "The language of instruction is Kazakh or Russian."),
        ({"term": "3"}, "This term has not begun yet."),
        ({"term": "7"}, "Choose a term from 1 to 4."),
    ],
)
def test_a_bad_level_is_refused_with_a_message_and_nothing_written(
    client, auth, world, values, message
):
    auth.log_in_as(world.teacher)
    refused = post(client, auth, f"{language_url(world)}/level", level_form(**values))
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert count(LanguageLevel) == 0


def test_a_session_is_added_once_even_when_sent_twice(client, auth, world):
    auth.log_in_as(world.teacher)
    form = session_form(note="Colours and classroom words")
    url = f"{language_url(world)}/sessions"
    assert post(client, auth, url, form).status_code == 303
    assert post(client, auth, url, form).status_code == 303
    assert count(SupportSession) == 1
    page = visible(client.get(language_url(world)).get_data(as_text=True))
    assert "40 minutes, Arabic-speaking specialist (Arabic)" in page
    assert "Colours and classroom words" in page
    assert "1 support session this term, 40 minutes." in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"minutes": "0"}, "A session lasts from 1 to 240 minutes."),
        ({"minutes": "241"}, "A session lasts from 1 to 240 minutes."),
        ({"minutes": "forty"}, "A session lasts from 1 to 240 minutes."),
        ({"held_on": "2026-11-19"}, "A session cannot be dated in the future."),
        ({"held_on": "2026-08-20"}, "A session is dated in this school year."),
        ({"held_on": ""}, "Enter the date as it is asked"),
        ({"language": "fr"}, "Choose the language the session was held in."),
        ({"with_whom": " "}, "Write who gave the session."),
        ({"note": "x" * 301}, "at most 300 characters"),
    ],
)
def test_a_bad_session_is_refused_with_a_message_and_nothing_written(
    client, auth, world, values, message
):
    auth.log_in_as(world.teacher)
    refused = post(client, auth, f"{language_url(world)}/sessions", session_form(**values))
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert count(SupportSession) == 0


@pytest.mark.parametrize(
    ("person", "reads", "writes"),
    [
        ("teacher", 200, 303),
        ("worker", 200, 404),
        ("committee", 200, 404),
        ("other_teacher", 404, 404),
        ("admin", 404, 404),
    ],
)
def test_the_class_teacher_records_language_support_others_read_it_as_they_may(
    client, auth, world, person, reads, writes
):
    auth.log_in_as(getattr(world, person))
    assert client.get(language_url(world)).status_code == reads
    assert post(client, auth, f"{language_url(world)}/level", level_form()).status_code == writes
    assert (
        post(client, auth, f"{language_url(world)}/sessions", session_form()).status_code == writes
    )
    assert count(LanguageLevel) == count(SupportSession) == (1 if writes == 303 else 0)


def test_the_childs_page_shows_the_level_over_the_terms_and_this_terms_sessions(
    client, auth, world
):
    levels(world, 1, 2)
    auth.log_in_as(world.teacher)
    for minutes in ("30", "45"):
        post(client, auth, f"{language_url(world)}/sessions", session_form(minutes=minutes))
    post(client, auth, f"{language_url(world)}/sessions", session_form(held_on="2026-10-01"))
    auth.log_in_as(world.committee)
    html = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    section = html[html.index('id="language-heading"') :]
    first, second = section.index("Term 1"), section.index("Term 2")
    assert "1 of 5: Understands almost nothing" in section[first:second]
    assert "2 of 5: Understands simple words" in section[second:]
    assert 'class="level-bar level-2" aria-hidden="true"' in section  # the words say it too
    assert "2 support sessions this term, 75 minutes." in section  # not October's


def test_the_childs_page_reads_the_levels_and_sessions_in_the_same_statements_for_few_or_many(
    client, auth, world
):
    auth.log_in_as(world.worker)
    costs = []
    for level in (1, 2):
        levels(world, *([level] if level == 1 else [None, 2]))
        for _ in range(3 if level == 2 else 1):
            db.session.add(
                SupportSession(
                    child_id=world.child.id,
                    held_on=TODAY,
                    minutes=30,
                    with_whom="Маман",
                    language="ar",
                    recorded_by_id=world.teacher.id,
                )
            )
        db.session.commit()
        with count_queries() as statements:
            assert client.get(f"/children/{world.child.id}").status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1]


def test_a_recorded_level_is_on_the_timeline(client, auth, world):
    levels(world, 1, 2)
    auth.log_in_as(world.worker)
    page = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
    assert "Language level, term 1: 1 of 5" in page
    assert "Language level, term 2: 2 of 5" in page


# -- the social worker's alert (point 8) ------------------------------------------------------


def test_a_level_unchanged_for_two_terms_running_is_an_alert(client, auth, world):
    levels(world, 2, 2)
    [alert] = unchanged_level(world.worker, TODAY)
    assert (alert.kind, alert.child_id, alert.value) == ("language_level", world.child.id, 2)
    auth.log_in_as(world.worker)
    page = client.get("/caseload").get_data(as_text=True)
    assert "the language level has stayed at 2 of 5 for two terms." in page


@pytest.mark.parametrize(
    "by_term",
    [
        (2, 3),  # rising
        (3, 2),  # falling: the results and the teacher see it; not this alert
        (5, 5),  # the top: nothing left to gain
        (2,),  # one term only
    ],
)
def test_no_alert_for_a_level_that_moved_is_at_the_top_or_was_recorded_once(world, by_term):
    levels(world, *by_term)
    assert unchanged_level(world.worker, TODAY) == []


def test_the_same_level_in_two_terms_not_running_is_no_alert(world):
    """Term 3 of last year, then term 1 of this one; term 4 of last year, then term 1 is."""
    record_level(world.child, world.terms[1], 2, "kk", world.teacher, 0)
    last_year = {"academic_year": "2025-2026"}
    third = TermFactory(
        number=3, starts_on=date(2026, 1, 8), ends_on=date(2026, 3, 18), **last_year
    )
    record_level(world.child, third, 2, "kk", world.teacher, 0)
    db.session.commit()
    assert unchanged_level(world.worker, TODAY) == []
    fourth = TermFactory(
        number=4, starts_on=date(2026, 3, 30), ends_on=date(2026, 5, 25), **last_year
    )
    record_level(world.child, fourth, 2, "kk", world.teacher, 0)
    db.session.commit()
    assert len(unchanged_level(world.worker, TODAY)) == 1


def test_the_alert_is_the_social_workers_own_caseload_only(world):
    levels(world, 2, 2)
    assert unchanged_level(world.committee, TODAY) != []  # the rule follows who may read
    other = ChildFactory(school_class=world.school_class)
    levels(world, 1, 1, child=other)
    assert [a.child_id for a in unchanged_level(world.worker, TODAY)] == [world.child.id]


def test_the_alert_takes_one_statement_for_few_or_many_children(world):
    levels(world, 2, 2)
    with count_queries() as few:
        alerts_for(world.worker, TODAY)
    for child in ChildFactory.create_batch(6, school_class=world.school_class):
        db.session.execute(insert(caseload).values(user_id=world.worker.id, child_id=child.id))
        levels(world, 1, 1, child=child)
    with count_queries() as many:
        assert len([a for a in alerts_for(world.worker, TODAY) if a.kind == "language_level"]) == 7
    assert len(few) == len(many)
    with count_queries() as own:
        unchanged_level(world.worker, TODAY)
    assert len(own) == 1


def test_an_anonymised_childs_sessions_keep_no_free_text(runner, client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, f"{language_url(world)}/sessions", session_form(note="Ms Nurlanova"))
    world.child.case_closed_on = date(2020, 1, 1)
    db.session.commit()
    assert runner.invoke(args=["retention", "apply"]).exit_code == 0
    db.session.expire_all()
    session = db.session.scalar(select(SupportSession))
    assert (session.note, session.with_whom, session.minutes) == (None, "", 40)
