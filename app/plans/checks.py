"""What plans and language support share: who writes, the terms of the school year, and the
checks on what a teacher typed (each refusal a translated InvalidInput; nothing written)."""

import uuid
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from sqlalchemy import select

from app.attendance.models import Term
from app.auth.models import Role, User
from app.children.models import Child
from app.children.services import teaches_child
from app.core import clock
from app.core.errors import InvalidInput
from app.extensions import db

DAMAGED = _l("The form was changed in an unexpected way. Please reload the page and try again.")


def writes_plan(user: User, child: Child) -> bool:
    """The child's class teacher writes the plan and the language support (a may_see)."""
    return user.role is Role.TEACHER and teaches_child(user, child)


def may_write(user: User, child: Child) -> bool:
    return child.anonymised_at is None and writes_plan(user, child)


def writable(child: Child) -> None:
    if child.anonymised_at is not None:
        raise InvalidInput(_l("This record has been anonymised; it can no longer be changed."))


def school_year() -> str:
    """The school year the pages show and write: the one of today."""
    return clock.academic_year_of(clock.today())


def terms_of(year: str) -> list[Term]:
    return list(
        db.session.scalars(select(Term).where(Term.academic_year == year).order_by(Term.number))
    )


def begun_term(year: str, raw_number: str | int | None, today: date) -> Term:
    """Term `raw_number` of `year`, which must have begun."""
    number = whole_number(raw_number, _l("Choose a term from 1 to 4."))
    term = db.session.scalar(select(Term).where(Term.academic_year == year, Term.number == number))
    if term is None:
        raise InvalidInput(_l("Choose a term from 1 to 4."))
    if term.starts_on > today:
        raise InvalidInput(_l("This term has not begun yet."))
    return term


def whole_number(raw: str | int | None, message) -> int:
    """`raw` as a whole number, or InvalidInput(message)."""
    if isinstance(raw, int):
        return raw
    try:
        return int((raw or "").strip())
    except ValueError as error:
        raise InvalidInput(message) from error


def in_range(raw: str | int | None, low: int, high: int, message) -> int:
    number = whole_number(raw, message)
    if not low <= number <= high:
        raise InvalidInput(message)
    return number


def text(raw: str | None, limit: int, required_message=None) -> str:
    """Stripped text of at most `limit` characters; required if a message for it is given."""
    value = (raw or "").replace("\r\n", "\n").strip()
    if not value and required_message is not None:
        raise InvalidInput(required_message)
    if len(value) > limit:
        raise InvalidInput(
            _nl(
                "A text here is at most %(num)d character.",
                "A text here is at most %(num)d characters.",
                limit,
            )
        )
    return value


def day(raw: str | None) -> date:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError as error:
        raise InvalidInput(_l("Enter the date as it is asked, for example 2026-11-18.")) from error


def client_id(raw: str | None) -> uuid.UUID:
    """The id a form was given when it was opened (a form sent twice carries the same)."""
    try:
        return uuid.UUID((raw or "").strip())
    except ValueError as error:
        raise InvalidInput(DAMAGED, status=400) from error
