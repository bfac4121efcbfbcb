"""Loading a record by its id for the current user, or refusing it as if it did not exist.

The one way a view or a sync op gets a record the user names: load() for a page, which
answers 404 (the error page) when the record is missing or not the user's to see, and
load_for_op() for a sync op, which refuses that op alone (404 in its answer). Both record
the refusal (app/core/audit.py). `may_see(user, record)` says whether the user may see the
record; the services hold those rules and never refuse or abort themselves.
"""

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_login import current_user

from app.core.audit import refuse, refused
from app.core.errors import InvalidInput
from app.extensions import db

T = TypeVar("T")
MaySee = Callable[[Any, Any], object]


def load(model: type[T], record_id: object, may_see: MaySee | None = None) -> T:
    """The record of `model` with `record_id` if it exists and the current user may see
    it; otherwise answer 404 and record the refusal."""
    record = _found(model, record_id, current_user, may_see)
    if record is None:
        refuse(model.__tablename__, record_id)
    return record


def load_for_op(user: Any, model: type[T], raw_id: object, may_see: MaySee, refusal: str) -> T:
    """The record a sync op names, if `user` may see it. An id that is not one is damaged
    input; a record missing or not theirs refuses the op with `refusal` (404), recorded."""
    try:
        record_id = uuid.UUID(str(raw_id))
    except ValueError as error:
        raise InvalidInput(_("This entry is incomplete or damaged.")) from error
    record = _found(model, record_id, user, may_see)
    if record is None:
        refused(model.__tablename__, record_id)
        raise InvalidInput(refusal, status=404)
    return record


def _found(model: type[T], record_id: object, user: Any, may_see: MaySee | None) -> T | None:
    record = db.session.get(model, record_id) if record_id is not None else None
    if record is None or (may_see is not None and not may_see(user, record)):
        return None
    return record
