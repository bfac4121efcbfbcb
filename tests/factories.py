"""factory_boy factories: rows for tests, never built by hand."""

from datetime import UTC, date, datetime

import factory
import pyotp
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import update

from app.attendance.models import AttendanceMark, Status, Term
from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.children.background import (
    ChildBackground,
    Consent,
    ConsentScope,
    Representative,
    ReturnedFrom,
)
from app.children.models import Child, School, SchoolClass
from app.config import Config
from app.core.models import utcnow
from app.extensions import db

PASSWORD = "correct horse battery staple"


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@school.example")
    display_name = factory.Sequence(lambda n: f"Мұғалім {n}")
    role = Role.TEACHER
    active = True
    preferred_language = None
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))
    # A user of a role that requires two-factor has it on, as after enrolling; pass
    # two_factor=False for one who has not enrolled yet, or True for a teacher who has.
    totp_secret = factory.Maybe("two_factor", factory.LazyFunction(pyotp.random_base32), None)
    totp_enabled_at = factory.Maybe("two_factor", factory.LazyFunction(utcnow), None)

    class Params:
        two_factor = factory.LazyAttribute(
            lambda o: Role(o.role).value in Config.QADAM_2FA_REQUIRED_ROLES
        )


def two_factor_code(user: User) -> str:
    """The user's code of this moment, accepted even if it was used already.

    Tests log the same person in several times within one 30-second step; the rule that a
    code works once has its own tests (tests/test_two_factor.py).
    """
    db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()
    return pyotp.TOTP(user.totp_secret).now()


class SchoolFactory(Base):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"№{n} мектеп")
    district = "Сынақ ауданы"
    region = "Сынақ облысы"


class SchoolClassFactory(Base):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    grade = 5
    letter = factory.Sequence(lambda n: "АӘБВГ"[n % 5] + str(n // 5 or ""))
    language_of_instruction = "kk"
    academic_year = "2026-2027"

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        for teacher in extracted or ():
            self.teachers.append(teacher)
        if create and extracted:
            db.session.commit()


class ChildFactory(Base):
    class Meta:
        model = Child

    given_name = factory.Iterator(["Айгерім", "Нұрлан", "Әсел", "Ерлан", "Дана"])
    family_name = factory.Sequence(lambda n: f"Тестов{n}")
    patronymic = None
    birth_date = date(2015, 3, 14)
    sex = "F"
    school_class = factory.SubFactory(SchoolClassFactory)
    home_languages = "kk"
    needs_language_support = False


class AttendanceMarkFactory(Base):
    class Meta:
        model = AttendanceMark

    child_id = factory.LazyAttribute(lambda o: o.child_obj.id)
    class_id = factory.LazyAttribute(lambda o: o.child_obj.class_id)
    day = date(2026, 11, 18)
    status = Status.PRESENT
    recorded_by_id = factory.LazyAttribute(lambda o: o.recorded_by.id)
    recorded_at = factory.LazyFunction(lambda: datetime(2026, 11, 18, 3, 14, tzinfo=UTC))

    class Params:
        child_obj = None
        recorded_by = None


class TermFactory(Base):
    class Meta:
        model = Term

    academic_year = "2026-2027"
    number = 2
    starts_on = date(2026, 11, 3)
    ends_on = date(2026, 12, 28)


class ChildBackgroundFactory(Base):
    class Meta:
        model = ChildBackground

    child_id = factory.LazyAttribute(lambda o: o.child_obj.id)
    returned_from = ReturnedFrom.SYRIA
    returned_on = date(2019, 5, 9)
    family_situation = "Lives with her grandmother and two brothers."
    parents_legal_notes = "No notes."
    updated_by_id = factory.LazyAttribute(lambda o: o.updated_by.id)

    class Params:
        child_obj = None
        updated_by = None


class ConsentFactory(Base):
    class Meta:
        model = Consent

    child_id = factory.LazyAttribute(lambda o: o.child_obj.id)
    given_on = date(2026, 9, 1)
    scope = factory.LazyFunction(lambda: [ConsentScope.SCHOOLING, ConsentScope.CASEWORK])
    representative = Representative.GRANDPARENT
    document_reference = "N-2026/114"
    recorded_by_id = factory.LazyAttribute(lambda o: o.recorded_by.id)

    class Params:
        child_obj = None
        recorded_by = None
