"""Individual education plans (issue 13, point 5, with its parts of points 7, 8 and 10): an area's
goal set and changed by the child's class teacher with its earlier values kept, a change made
meanwhile refused with what is stored, term reviews added once, who reads and who writes,
the child's page and timeline, retention."""

import re
import uuid
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.extensions import db
from app.incidents.models import Status
from app.plans.models import (
    EducationPlan,
    GoalStatus,
    PlanGoal,
    PlanGoalHistory,
    PlanReview,
)
from tests.conftest import TODAY, count_queries
from tests.plans_helpers import make_world, post


@pytest.fixture
def world():
    return make_world()


def goal_url(world, area: str = "language") -> str:
    return f"/children/{world.child.id}/plan/{area}"


def goal_form(**values) -> dict:
    form = {
        "goal": "Understands and follows the teacher's instructions in Kazakh",
        "support": "Two sessions a week with an Arabic-speaking specialist",
        "given_by": "Arabic-speaking specialist, Ms Nurlanova",
        "target_term": "3",
        "status": "in_progress",
        "version": "0",
    }
    return form | values


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def actions_of(user) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.user_id == user.id).order_by(AuditEvent.id)
        )
    )


def test_the_class_teacher_sets_a_goal_and_the_plan_shows_it(client, auth, world):
    auth.log_in_as(world.teacher)
    form_page = client.get(goal_url(world))
    assert form_page.status_code == 200
    assert "asks only about the child's learning now" in form_page.get_data(as_text=True)
    saved = post(client, auth, goal_url(world), goal_form())
    assert saved.status_code == 303
    page = client.get(f"/children/{world.child.id}/plan").get_data(as_text=True)
    assert "Understands and follows the teacher" in page
    assert "Arabic-speaking specialist, Ms Nurlanova" in page
    assert "In progress" in page and "Term 3" in page
    assert "plan_write" in actions_of(world.teacher)
    goal = db.session.scalar(select(PlanGoal))
    assert (goal.status, goal.target_term, goal.version) == (GoalStatus.IN_PROGRESS, 3, 1)


def test_a_change_keeps_the_earlier_goal_and_the_plan_shows_it(client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, goal_url(world), goal_form())
    changed = goal_form(status="achieved", version="1", goal="Follows instructions alone")
    assert post(client, auth, goal_url(world), changed).status_code == 303
    [earlier] = db.session.scalars(select(PlanGoalHistory)).all()
    assert earlier.goal.startswith("Understands") and earlier.status is GoalStatus.IN_PROGRESS
    page = client.get(f"/children/{world.child.id}/plan").get_data(as_text=True)
    assert "Earlier versions" in page and "Understands and follows" in page
    assert "Achieved" in page


def test_saving_an_unchanged_goal_writes_no_history(client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, goal_url(world), goal_form())
    assert post(client, auth, goal_url(world), goal_form(version="1")).status_code == 303
    assert count(PlanGoalHistory) == 0
    assert db.session.scalar(select(PlanGoal.version)) == 1


def test_a_goal_changed_meanwhile_answers_409_with_what_is_stored_and_writes_nothing(
    client, auth, world
):
    auth.log_in_as(world.teacher)
    post(client, auth, goal_url(world), goal_form())
    post(client, auth, goal_url(world), goal_form(version="1", status="achieved"))
    stale = post(client, auth, goal_url(world), goal_form(version="1", goal="Mine, not theirs"))
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Nothing was overwritten" in html and "Stored now" in html
    assert "Achieved" in html and "Mine, not theirs" in html  # theirs shown, mine kept
    assert 'name="version" type="hidden" value="2"' in html
    assert db.session.scalar(select(PlanGoal.goal)).startswith("Understands")
    assert count(PlanGoalHistory) == 1


def test_a_goal_made_meanwhile_by_someone_else_is_a_conflict_too(client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, goal_url(world), goal_form())
    second = post(client, auth, goal_url(world), goal_form(version="0", goal="Another"))
    assert second.status_code == 409
    assert count(PlanGoal) == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": "forgotten"}, "Choose a status from the list."),
        ({"status": ""}, "Choose a status from the list."),
        ({"target_term": "0"}, "The target term is a term from 1 to 4."),
        ({"target_term": "5"}, "The target term is a term from 1 to 4."),
        ({"target_term": "soon"}, "The target term is a term from 1 to 4."),
        ({"goal": "   "}, "Write the goal: a status belongs to a goal."),
        ({"goal": "x" * 301}, "at most 300 characters"),
        ({"given_by": "x" * 121}, "at most 120 characters"),
    ],
)
def test_bad_goal_input_is_refused_with_a_message_and_nothing_written(
    client, auth, world, values, message
):
    auth.log_in_as(world.teacher)
    refused = post(client, auth, goal_url(world), goal_form(**values))
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert count(PlanGoal) == count(EducationPlan) == 0


def test_an_unknown_area_is_not_found(client, auth, world):
    auth.log_in_as(world.teacher)
    assert client.get(goal_url(world, "history")).status_code == 404
    assert post(client, auth, goal_url(world, "history"), goal_form()).status_code == 404
    assert count(EducationPlan) == 0


def test_a_field_the_plan_does_not_take_is_refused(client, auth, world):
    auth.log_in_as(world.teacher)
    refused = post(client, auth, goal_url(world), goal_form(past="where the child was"))
    assert refused.status_code == 400
    assert count(PlanGoal) == 0


def test_the_plan_has_five_areas_and_no_field_about_the_past(client, auth, world):
    auth.log_in_as(world.teacher)
    page = client.get(f"/children/{world.child.id}/plan").get_data(as_text=True)
    for area in (
        "Language of instruction",
        "Reading and writing",
        "Mathematics",
        "Other subjects",
        "Social and emotional",
    ):
        assert area in page
    html = client.get(goal_url(world)).get_data(as_text=True)
    start = html.index('class="stack plan-form"')
    form = html[start : html.index("</form>", start)]
    names = set(re.findall(r'name="([a-z_]+)"', form))
    assert names == {
        "csrf_token",
        "version",
        "goal",
        "support",
        "given_by",
        "target_term",
        "status",
    }


def review_form(**values) -> dict:
    form = {
        "review_id": str(uuid.uuid4()),
        "term": "2",
        "reviewed_on": TODAY.isoformat(),
        "note": "Follows simple instructions; keep the sessions.",
    }
    return form | values


def test_a_term_review_is_added_once_even_when_sent_twice(client, auth, world):
    auth.log_in_as(world.teacher)
    form = review_form()
    url = f"/children/{world.child.id}/plan/reviews"
    assert post(client, auth, url, form).status_code == 303
    assert post(client, auth, url, form).status_code == 303
    assert count(PlanReview) == 1
    page = client.get(f"/children/{world.child.id}/plan").get_data(as_text=True)
    assert "Follows simple instructions" in page and "Term 2" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"term": "3"}, "This term has not begun yet."),
        ({"term": "9"}, "Choose a term from 1 to 4."),
        ({"reviewed_on": "2026-11-19"}, "A review cannot be dated in the future."),
        ({"reviewed_on": "2026-10-01"}, "on or after the day the term began"),
        ({"reviewed_on": "18.11.2026"}, "Enter the date as it is asked"),
        ({"note": ""}, "Write what the review found."),
        ({"note": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_bad_review_is_refused_with_a_message_and_nothing_written(
    client, auth, world, values, message
):
    auth.log_in_as(world.teacher)
    refused = post(client, auth, f"/children/{world.child.id}/plan/reviews", review_form(**values))
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert count(PlanReview) == count(EducationPlan) == 0


def test_a_damaged_review_id_is_refused(client, auth, world):
    auth.log_in_as(world.teacher)
    url = f"/children/{world.child.id}/plan/reviews"
    assert post(client, auth, url, review_form(review_id="nope")).status_code == 400
    assert count(PlanReview) == 0


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
def test_the_class_teacher_writes_the_plan_the_social_worker_and_committee_read_it(
    client, auth, world, person, reads, writes
):
    auth.log_in_as(getattr(world, person))
    assert client.get(f"/children/{world.child.id}/plan").status_code == reads
    assert post(client, auth, goal_url(world), goal_form()).status_code == writes
    assert count(PlanGoal) == (1 if writes == 303 else 0)


def test_reading_the_plan_is_audited_for_each_reader(client, auth, world):
    for person in (world.teacher, world.worker, world.committee):
        auth.log_in_as(person)
        client.get(f"/children/{world.child.id}/plan")
        assert "view_plan" in actions_of(person)


def test_the_childs_page_shows_each_areas_goal_and_status(client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, goal_url(world), goal_form())
    post(client, auth, goal_url(world, "mathematics"), goal_form(goal="Counts to 100"))
    post(client, auth, f"/children/{world.child.id}/plan/reviews", review_form())
    auth.log_in_as(world.worker)
    html = client.get(f"/children/{world.child.id}").get_data(as_text=True)
    section = html[html.index('id="plan-heading"') : html.index('id="language-heading"')]
    assert "Language of instruction" in section and "Understands and follows" in section
    assert "Mathematics" in section and "Counts to 100" in section
    assert "In progress" in section
    assert "Last reviewed on November 18, 2026." in section
    assert "Open the plan" in section  # the social worker reads it


def test_the_childs_page_reads_the_plan_in_the_same_statements_for_one_goal_or_five(
    client, auth, world
):
    auth.log_in_as(world.teacher)
    costs = []
    for areas in (["language"], ["literacy", "mathematics", "other_subjects", "social_emotional"]):
        for area in areas:
            post(client, auth, goal_url(world, area), goal_form())
        post(client, auth, f"/children/{world.child.id}/plan/reviews", review_form())
        with count_queries() as statements:
            assert client.get(f"/children/{world.child.id}").status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1]


def test_a_review_is_on_the_timeline(client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, f"/children/{world.child.id}/plan/reviews", review_form())
    auth.log_in_as(world.committee)
    page = client.get(f"/children/{world.child.id}/timeline").get_data(as_text=True)
    assert "Education plan reviewed, term 2" in page
    assert "Follows simple instructions" in page


def test_an_anonymised_childs_plan_keeps_no_free_text(runner, client, auth, world):
    auth.log_in_as(world.teacher)
    post(client, auth, goal_url(world), goal_form())
    post(client, auth, goal_url(world), goal_form(version="1", status="achieved"))
    post(client, auth, f"/children/{world.child.id}/plan/reviews", review_form())
    world.child.case_closed_on = date(2020, 1, 1)
    db.session.commit()
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    goal = db.session.scalar(select(PlanGoal))
    assert (goal.goal, goal.support, goal.given_by) == ("", "", "")
    assert goal.status is GoalStatus.ACHIEVED  # the status stays
    assert db.session.scalars(select(PlanGoalHistory.goal)).all() == [""]
    assert db.session.scalars(select(PlanReview.note)).all() == [""]
    auth.log_in_as(world.teacher)
    assert post(client, auth, goal_url(world), goal_form(version="2")).status_code == 422


def test_a_goal_in_progress_is_worded_for_a_goal_not_for_a_case(app):
    with app.test_request_context(), force_locale("ar"):
        goal, case = GoalStatus.IN_PROGRESS.label, Status.IN_PROGRESS.label
        assert str(goal) == "قيد التنفيذ" and str(goal) != str(case)
