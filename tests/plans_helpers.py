"""A small world for the plans and language support tests: a class with its teacher, a child
in it, the child's social worker, the district's committee member, an administrator and a
teacher of another class; terms 1 and 2 begun on the suite's today, term 3 not yet."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert

from app.auth.models import Role, User
from app.children.models import Child, SchoolClass, caseload
from app.extensions import db
from tests.factories import ChildFactory, SchoolClassFactory, TermFactory, UserFactory

TERM_SPANS = {
    1: (date(2026, 9, 1), date(2026, 10, 25)),
    2: (date(2026, 11, 3), date(2026, 12, 28)),  # under way on the suite's today
    3: (date(2027, 1, 8), date(2027, 3, 18)),
}


@dataclass
class PlansWorld:
    teacher: User
    other_teacher: User
    worker: User
    committee: User
    admin: User
    school_class: SchoolClass
    child: Child
    terms: dict


def make_world(language_of_instruction: str = "kk") -> PlansWorld:
    teacher = UserFactory(preferred_language="en")
    school_class = SchoolClassFactory(
        teachers=[teacher], language_of_instruction=language_of_instruction
    )
    child = ChildFactory(school_class=school_class, needs_language_support=True)
    worker = UserFactory(role=Role.SOCIAL_WORKER, preferred_language="en")
    db.session.execute(insert(caseload).values(user_id=worker.id, child_id=child.id))
    committee = UserFactory(
        role=Role.COMMITTEE_MEMBER, district=school_class.school.district, preferred_language="en"
    )
    terms = {
        n: TermFactory(number=n, starts_on=starts, ends_on=ends)
        for n, (starts, ends) in TERM_SPANS.items()
    }
    world = PlansWorld(
        teacher=teacher,
        other_teacher=UserFactory(preferred_language="en"),
        worker=worker,
        committee=committee,
        admin=UserFactory(role=Role.ADMINISTRATOR, preferred_language="en"),
        school_class=school_class,
        child=child,
        terms=terms,
    )
    SchoolClassFactory(teachers=[world.other_teacher])
    db.session.commit()
    return world


def post(client, auth, path: str, data: dict):
    return client.post(path, data={"csrf_token": auth.csrf_token(), **data})


def visible(html: str) -> str:
    """The page's text as a person reads it: no tags, single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
