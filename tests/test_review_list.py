"""The committee's review list, now the due list (issue 14, point 1): a page at a time, those
waiting longest first, and only the children shown are audited as seen (issue 12, point 5).
The old address leads there."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.core import paging
from app.core.audit import AuditEvent
from app.extensions import db
from app.incidents.models import ReviewItem
from tests.conftest import count_queries
from tests.factories import ChildFactory, SchoolClassFactory, UserFactory

ADDED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 3)


def member(lang: str = "en"):
    return UserFactory(role=Role.COMMITTEE_MEMBER, district="Сынақ ауданы", preferred_language=lang)


def waiting(school_class, count: int, start: int = 0) -> list:
    """`count` children on the list, each added a day after the one before."""
    children = ChildFactory.create_batch(count, school_class=school_class)
    for n, child in enumerate(children, start):
        db.session.add(
            ReviewItem(child=child, reason="serious_incident", added_at=ADDED + timedelta(days=n))
        )
    db.session.commit()
    return children


def names_on(html: str) -> list[str]:
    return re.findall(r'class="due-child tap-link"[^>]*><bdi>([^<]+)</bdi></a>', html)


def audited_children() -> list[str]:
    statement = select(AuditEvent.record_id).where(AuditEvent.action == "view_review")
    return sorted(str(record_id) for record_id in db.session.scalars(statement))


def test_a_long_list_is_paged_longest_waiting_first(client, auth, school_class, small_pages):
    children = waiting(school_class, 5)
    [reviewed] = waiting(school_class, 1, start=10)  # the newest, but already discussed
    db.session.scalars(select(ReviewItem).filter_by(child_id=reviewed.id)).one().reviewed_at = ADDED
    db.session.commit()
    auth.log_in_as(member())
    first = client.get("/review", follow_redirects=True).get_data(as_text=True)
    oldest_first = [child.full_name for child in children]
    assert names_on(first) == oldest_first[:3]
    assert "Page 1 of 2" in first and 'rel="next" href="/committee/due?page=2"' in first
    second = client.get("/review?page=2", follow_redirects=True).get_data(as_text=True)
    assert names_on(second) == oldest_first[3:]
    assert 'rel="prev" href="/committee/due?page=1"' in second and 'rel="next"' not in second


def test_a_short_list_has_no_pages_to_turn(client, auth, school_class, small_pages):
    waiting(school_class, 3)
    auth.log_in_as(member())
    html = client.get("/committee/due").get_data(as_text=True)
    assert len(names_on(html)) == 3 and 'class="pager"' not in html


@pytest.mark.parametrize("page", ["99", "0", "two"])
def test_a_page_outside_the_list_is_refused_in_the_readers_language(
    client, auth, school_class, small_pages, page
):
    waiting(school_class, 4)
    auth.log_in_as(member("ru"))
    response = client.get(f"/committee/due?page={page}")
    assert response.status_code == 404
    assert "В этом списке нет такой страницы." in response.get_data(as_text=True)
    assert audited_children() == []


def test_only_the_children_shown_are_audited_as_seen(client, auth, school_class, small_pages):
    children = waiting(school_class, 5)
    auth.log_in_as(member())
    client.get("/committee/due?page=2")
    assert audited_children() == sorted(str(child.id) for child in children[3:])


def test_a_page_costs_the_same_statements_however_long_the_list(
    client, auth, school_class, small_pages
):
    auth.log_in_as(member())
    waiting(school_class, 4)
    with count_queries() as few:
        client.get("/committee/due")
    for n in range(5):
        other_class = SchoolClassFactory(school=school_class.school)
        waiting(other_class, 6, start=10 + 6 * n)
    with count_queries() as many:
        client.get("/committee/due")
    assert len(many) == len(few)
