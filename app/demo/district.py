"""Builds the fictional demo district. Writes flush; the caller commits."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select

from app.attendance.calendar import Calendar, academic_year_of
from app.attendance.models import AttendanceMark, Status, Term
from app.auth.models import Role, User
from app.auth.services import create_user
from app.children.models import Child, Enrolment, School, SchoolClass
from app.core.errors import InvalidInput
from app.core.models import set_setting
from app.demo import names, two_factor
from app.demo.banner import DEMO_FLAG
from app.demo.casework import add_casework
from app.demo.committee import add_committee
from app.demo.incidents import add_incidents
from app.demo.plans import add_plans
from app.demo.results import add_results
from app.extensions import db

CLASSES_PER_SCHOOL = (7, 7, 6)  # grades 1..n in each school: 20 classes
CHILDREN_PER_CLASS = 20
LETTERS = ("А", "Ә", "Б")


@dataclass
class Summary:
    schools: int = 0
    classes: int = 0
    children: int = 0
    marks: int = 0
    results: int = 0
    plans: int = 0
    decisions: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    two_factor: list[str] = field(default_factory=list)  # the logins that also ask for a code


def load_demo_district(password: str, seed: int, today: date) -> Summary:
    if db.session.scalar(select(func.count()).select_from(School)):
        raise InvalidInput(
            _l("This database already has schools; the demo loads only into an empty one.")
        )
    rng = random.Random(seed)  # fictional demo data, reproducible from the seed # nosec B311
    summary = Summary()
    year = academic_year_of(today)
    terms = _terms(year)
    db.session.add_all(terms)
    users = _users(password, summary)
    teachers = [users[Role.TEACHER]] + [
        create_user(f"teacher{n}@qadam.example", f"Мұғалім {n}", Role.TEACHER, password, "kk")
        for n in range(2, sum(CLASSES_PER_SCHOOL) + 1)
    ]
    classes = _schools_and_classes(year, summary)
    for index, school_class in enumerate(classes):
        school_class.teachers.append(teachers[index])
    # The demo teacher also teaches a class in a second school.
    classes[CLASSES_PER_SCHOOL[0]].teachers.append(users[Role.TEACHER])
    db.session.flush()
    children = [child for c in classes for child in _children(c, rng, today)]
    db.session.add_all(children)
    db.session.flush()
    db.session.add_all(
        Enrolment(child_id=c.id, class_id=c.class_id, starts_on=terms[0].starts_on)
        for c in children
    )
    summary.children = len(children)
    add_casework(users, children, seed, today)
    add_incidents(users, seed, today)
    teacher_of = {c.id: teachers[i].id for i, c in enumerate(classes)}
    summary.marks = _attendance(children, teacher_of, terms, rng, today)
    summary.results = add_results(children, classes, teacher_of, terms, rng, today)
    summary.plans = add_plans(children, classes, teacher_of, terms, rng, today)
    summary.decisions = add_committee(users, seed, today)
    set_setting(DEMO_FLAG, "1")
    db.session.flush()
    return summary


def _terms(year: str) -> list[Term]:
    start = int(year[:4])
    spans = (
        (date(start, 9, 1), date(start, 10, 25)),
        (date(start, 11, 3), date(start, 12, 28)),
        (date(start + 1, 1, 8), date(start + 1, 3, 18)),
        (date(start + 1, 3, 30), date(start + 1, 5, 25)),
    )
    return [
        Term(academic_year=year, number=n, starts_on=s, ends_on=e)
        for n, (s, e) in enumerate(spans, 1)
    ]


def _users(password: str, summary: Summary) -> dict[Role, User]:
    people = {
        Role.TEACHER: ("teacher@qadam.example", "Айгүл Сәрсенова", "kk"),
        Role.SOCIAL_WORKER: ("social.worker@qadam.example", "Жанар Омарова", "kk"),
        Role.COMMITTEE_MEMBER: ("committee@qadam.example", "Ерболат Исаев", "ru"),
        Role.ADMINISTRATOR: ("admin@qadam.example", "Дина Ахметова", "ru"),
    }
    users = {}
    for role, (email, name, lang) in people.items():
        users[role] = create_user(email, name, role, password, lang)
        summary.logins.append((role.value, email))
    summary.two_factor = [u.email for u in two_factor.turn_on_where_required(list(users.values()))]
    return users


def _schools_and_classes(year: str, summary: Summary) -> list[SchoolClass]:
    classes = []
    for school_name, n_classes in zip(names.SCHOOLS, CLASSES_PER_SCHOOL, strict=True):
        school = School(name=school_name, district=names.DISTRICT, region=names.REGION)
        db.session.add(school)
        summary.schools += 1
        for grade in range(1, n_classes + 1):
            language = "ru" if grade % 3 == 0 else "kk"
            classes.append(
                SchoolClass(
                    school=school,
                    grade=grade,
                    letter=LETTERS[grade % len(LETTERS)],
                    language_of_instruction=language,
                    academic_year=year,
                )
            )
    db.session.add_all(classes)
    summary.classes = len(classes)
    return classes


def _children(school_class: SchoolClass, rng: random.Random, today: date) -> list[Child]:
    children = []
    for _ in range(CHILDREN_PER_CLASS):
        sex = rng.choice("FM")
        root = rng.choice(names.FAMILY_ROOTS)
        father = rng.choice(names.FATHERS)
        needs_support = rng.random() < 0.15
        age = school_class.grade + 6
        children.append(
            Child(
                given_name=rng.choice(names.GIRLS if sex == "F" else names.BOYS),
                family_name=root + ("ова" if sex == "F" else "ов"),
                patronymic=father + ("қызы" if sex == "F" else "ұлы"),
                birth_date=date(today.year - age, rng.randint(1, 12), rng.randint(1, 28)),
                sex=sex,
                school_class=school_class,
                home_languages="ar,kk" if needs_support else "kk",
                needs_language_support=needs_support,
            )
        )
    return children


def _attendance(children, teacher_of, terms, rng, today) -> int:
    """Marks for every school day of this academic year before today: at least a full term."""
    calendar = Calendar(terms=tuple(terms), weekdays=frozenset(range(5)))
    starts_on = terms[0].starts_on
    rows = []
    day = starts_on
    while day < today:
        if calendar.is_school_day(day):
            at = datetime.combine(day, time(3, rng.randint(0, 40)), UTC)  # 08:xx in Almaty
            rows.extend(_day_rows(children, teacher_of, day, at, rng))
        day += timedelta(days=1)
    for chunk in range(0, len(rows), 5000):
        db.session.execute(insert(AttendanceMark), rows[chunk : chunk + 5000])
    return len(rows)


def _day_rows(children, teacher_of, day, at, rng) -> list[dict]:
    rows = []
    for child in children:
        roll = rng.random()
        status = (
            Status.ABSENT
            if roll < 0.04
            else Status.EXCUSED
            if roll < 0.06
            else Status.LATE
            if roll < 0.09
            else Status.PRESENT
        )
        rows.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "child_id": child.id,
                "class_id": child.class_id,
                "day": day,
                "status": status,
                "reason": None,
                "recorded_by_id": teacher_of[child.class_id],
                "recorded_at": at,
                "received_at": at,
                "version": 1,
            }
        )
    return rows
