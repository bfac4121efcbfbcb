"""The record of who changed whose role, assignments or account. Ids and role names only."""

from sqlalchemy import select

from app.auth.models import AccessChange, User
from app.extensions import db


def record(actor: User | None, user: User, change: str, detail: str | None = None) -> None:
    """Add one change to the current unit of work (committed with it)."""
    db.session.add(
        AccessChange(
            actor_id=actor.id if actor is not None else None,
            user_id=user.id,
            change=change,
            detail=detail[:200] if detail else None,
        )
    )


def changes_to(user: User) -> list[AccessChange]:
    """Newest first."""
    statement = (
        select(AccessChange)
        .where(AccessChange.user_id == user.id)
        .order_by(AccessChange.at.desc(), AccessChange.id.desc())
    )
    return list(db.session.scalars(statement))
