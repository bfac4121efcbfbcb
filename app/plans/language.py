"""Language support: a child's level in the language of instruction each term (a correction
keeps the level it replaced; a change made meanwhile is a conflict) and the support sessions
they had. Writes flush only."""

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.attendance.models import Term
from app.auth.models import User
from app.children.models import Child
from app.core.audit import audit
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.extensions import db
from app.plans import checks
from app.plans.models import (
    INSTRUCTION_LANGUAGES,
    MINUTES_MAX,
    SESSION_LANGUAGES,
    SESSION_NOTE_MAX,
    WITH_WHOM_MAX,
    LanguageLevel,
    LanguageLevelHistory,
    SupportSession,
)
from app.plans.services import EditConflict


@dataclass(frozen=True)
class SessionValues:
    held_on: date
    minutes: int
    with_whom: str
    language: str
    note: str | None


def instruction_language(child: Child) -> str:
    """The class's language of instruction, the level's default language."""
    language = child.school_class.language_of_instruction if child.school_class else ""
    return language if language in INSTRUCTION_LANGUAGES else INSTRUCTION_LANGUAGES[0]


def level_values(raw_level: str | None, raw_language: str | None) -> tuple[int, str]:
    level = checks.in_range(raw_level, 1, 5, _l("Choose a level from 1 to 5."))
    if raw_language not in INSTRUCTION_LANGUAGES:
        raise InvalidInput(_l("The language of instruction is Kazakh or Russian."))
    return level, raw_language


def levels_of(child_id: uuid.UUID, year: str) -> dict[int, LanguageLevel]:
    """The child's level in each term of `year` recorded, by term number, with its history."""
    rows = db.session.execute(
        select(LanguageLevel, Term.number)
        .join(Term, Term.id == LanguageLevel.term_id)
        .where(LanguageLevel.child_id == child_id, Term.academic_year == year)
        .options(selectinload(LanguageLevel.history))
    )
    return {number: level for level, number in rows}


def record_level(
    child: Child, term: Term, level: int, language: str, user: User, version: int
) -> LanguageLevel:
    """The term's level as the teacher saw it at `version` (0: none yet); a level recorded
    meanwhile raises EditConflict, the level replaced goes to the history."""
    checks.writable(child)
    try:
        current = db.session.scalar(
            select(LanguageLevel).where(
                LanguageLevel.child_id == child.id, LanguageLevel.term_id == term.id
            )
        )
        if (current.version if current else 0) != version:
            raise EditConflict()
        if current is not None and (current.level, current.language) == (level, language):
            return current
        if current is None:
            current = LanguageLevel(child_id=child.id, term_id=term.id)
        else:
            _keep_history(current, user)
        current.level, current.language = level, language
        current.recorded_by_id, current.recorded_at = user.id, utcnow()
        db.session.add(current)
        db.session.flush()
    except (IntegrityError, StaleDataError) as error:
        raise EditConflict() from error
    audit("language_write", "child", child.id)
    return current


def _keep_history(level: LanguageLevel, user: User) -> None:
    db.session.add(
        LanguageLevelHistory(
            level_id=level.id,
            version=level.version,
            language=level.language,
            level=level.level,
            recorded_by_id=level.recorded_by_id,
            recorded_at=level.recorded_at,
            replaced_by_id=user.id,
        )
    )


def session_values(
    held_on: date,
    minutes: str | int | None,
    with_whom: str | None,
    language: str | None,
    note: str | None,
    year_starts_on: date,
    today: date,
) -> SessionValues:
    if held_on > today:
        raise InvalidInput(_l("A session cannot be dated in the future."))
    if held_on < year_starts_on:
        raise InvalidInput(_l("A session is dated in this school year."))
    if language not in SESSION_LANGUAGES:
        raise InvalidInput(_l("Choose the language the session was held in."))
    return SessionValues(
        held_on=held_on,
        minutes=checks.in_range(
            minutes, 1, MINUTES_MAX, _l("A session lasts from 1 to 240 minutes.")
        ),
        with_whom=checks.text(with_whom, WITH_WHOM_MAX, _l("Write who gave the session.")),
        language=language,
        note=checks.text(note, SESSION_NOTE_MAX) or None,
    )


def add_session(
    session_id: uuid.UUID, child: Child, values: SessionValues, user: User
) -> SupportSession:
    """Record a session once: the same form sent again adds nothing."""
    checks.writable(child)
    existing = db.session.get(SupportSession, session_id)
    if existing is not None:
        if existing.child_id != child.id:
            raise InvalidInput(checks.DAMAGED, status=400)
        return existing
    session = SupportSession(
        id=session_id, child_id=child.id, recorded_by_id=user.id, **values.__dict__
    )
    db.session.add(session)
    db.session.flush()
    audit("language_write", "child", child.id)
    return session


def sessions_of(child_id: uuid.UUID, since: date) -> list[SupportSession]:
    return list(
        db.session.scalars(
            select(SupportSession)
            .where(SupportSession.child_id == child_id, SupportSession.held_on >= since)
            .order_by(SupportSession.held_on.desc(), SupportSession.recorded_at.desc())
        )
    )


def term_totals(child_id: uuid.UUID, term: Term | None) -> tuple[int, int]:
    """How many sessions the child had in `term`, and their minutes (one statement)."""
    if term is None:
        return 0, 0
    count, minutes = db.session.execute(
        select(func.count(), func.coalesce(func.sum(SupportSession.minutes), 0)).where(
            SupportSession.child_id == child_id,
            SupportSession.held_on.between(term.starts_on, term.ends_on),
        )
    ).one()
    return count, minutes


def term_of_day(terms: list[Term], day: date) -> Term | None:
    """The term holding `day`, or else the last one begun before it."""
    begun = [term for term in terms if term.starts_on <= day]
    return begun[-1] if begun else None
