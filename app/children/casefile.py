"""Writes and reads of a child's background, consent records and case. Writes flush only."""

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.children.background import (
    ChildBackground,
    Consent,
    ConsentScope,
    Representative,
    ReturnedFrom,
)
from app.children.models import Child
from app.children.retention import years_before
from app.core.errors import InvalidInput
from app.extensions import db


class EditConflict(Exception):
    """Someone else saved the background since the person began editing; nothing was written."""


@dataclass(frozen=True)
class BackgroundValues:
    returned_from: ReturnedFrom | None
    returned_on: date | None
    family_situation: str
    parents_legal_notes: str


def background_of(child_id: uuid.UUID) -> ChildBackground | None:
    statement = (
        select(ChildBackground)
        .where(ChildBackground.child_id == child_id)
        .options(selectinload(ChildBackground.updated_by))
    )
    return db.session.scalars(statement).one_or_none()


def consents_of(child_id: uuid.UUID) -> list[Consent]:
    """The newest first, withdrawn ones included."""
    statement = (
        select(Consent)
        .where(Consent.child_id == child_id)
        .order_by(Consent.given_on.desc(), Consent.recorded_at.desc())
        .options(selectinload(Consent.recorded_by), selectinload(Consent.withdrawn_by))
    )
    return list(db.session.scalars(statement))


def save_background(
    child: Child, user: User, version: int, values: BackgroundValues, today: date
) -> ChildBackground:
    """Create or change the background; `version` is the one the person edited (0: none yet)."""
    _check_not_anonymised(child)
    if values.returned_on is not None and values.returned_on > today:
        raise InvalidInput(_l("The day the child came home cannot be in the future."))
    background = background_of(child.id)
    if (background.version if background else 0) != version:
        raise EditConflict()
    try:
        # One write, at the flush below: a lazy load meanwhile must not flush half of it.
        with db.session.no_autoflush:
            if background is None:
                background = ChildBackground(child_id=child.id)
                db.session.add(background)
            background.returned_from = values.returned_from
            background.returned_on = values.returned_on
            background.family_situation = values.family_situation
            background.parents_legal_notes = values.parents_legal_notes
            background.updated_by_id = user.id
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        # Saved by someone else between our read and our write (or created at the same time).
        raise EditConflict() from error
    return background


def record_consent(
    child: Child,
    user: User,
    given_on: date,
    scope: list[ConsentScope],
    representative: Representative,
    document_reference: str,
    today: date,
) -> Consent:
    _check_not_anonymised(child)
    if given_on > today:
        raise InvalidInput(_l("The day consent was given cannot be in the future."))
    consent = Consent(
        child_id=child.id,
        given_on=given_on,
        scope=scope,
        representative=representative,
        document_reference=document_reference.strip(),
        recorded_by_id=user.id,
    )
    db.session.add(consent)
    db.session.flush()
    return consent


def consent_of(child: Child, consent_id: uuid.UUID) -> Consent | None:
    consent = db.session.get(Consent, consent_id)
    return consent if consent is not None and consent.child_id == child.id else None


def withdraw_consent(child: Child, consent: Consent, user: User, on: date, today: date) -> None:
    _check_not_anonymised(child)
    if consent.withdrawn_on is not None:
        raise InvalidInput(_l("This consent has already been withdrawn."))
    if on > today:
        raise InvalidInput(_l("A withdrawal cannot be dated in the future."))
    if on < consent.given_on:
        raise InvalidInput(_l("A consent cannot be withdrawn before the day it was given."))
    consent.withdrawn_on = on
    consent.withdrawn_by_id = user.id
    db.session.flush()


def close_case(child: Child, on: date, today: date, retention_years: int) -> None:
    _check_not_anonymised(child)
    if child.case_closed_on is not None:
        raise InvalidInput(_l("This case is already closed."))
    if on > today:
        raise InvalidInput(_l("A case cannot be closed on a day in the future."))
    if on < years_before(today, retention_years):
        # Most likely a mistyped year; kept, it would have the record anonymised overnight.
        raise InvalidInput(
            ngettext(
                "This date is more than %(num)d year ago: the record would be anonymised at "
                "once. Check the date.",
                "This date is more than %(num)d years ago: the record would be anonymised at "
                "once. Check the date.",
                retention_years,
            )
        )
    child.case_closed_on = on
    db.session.flush()


def reopen_case(child: Child) -> None:
    _check_not_anonymised(child)
    if child.case_closed_on is None:
        raise InvalidInput(_l("This case is already open."))
    child.case_closed_on = None
    db.session.flush()


def _check_not_anonymised(child: Child) -> None:
    if child.anonymised_at is not None:
        raise InvalidInput(_l("This record has been anonymised; it can no longer be changed."))
