"""Retention: a configurable time after a child's case is closed, their record is anonymised.

`flask retention apply` (run it daily from cron) removes the identifying fields — names, date
of birth, the background and consent document references — and keeps what counts without
naming anyone: sex, class and enrolment history, attendance marks, consent dates and scopes.
"""

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import ngettext
from sqlalchemy import delete, select, update

from app.children.background import ChildBackground, Consent
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.domains import contributions
from app.core.models import utcnow
from app.extensions import db

# What an anonymised child's names read: a dash, not a label.
PLACEHOLDER = "—"

retention_cli = AppGroup("retention", help="Anonymise records whose retention period is over.")


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def due(today: date, years: int) -> list[Child]:
    """Children whose case was closed more than `years` ago and who are not yet anonymised."""
    statement = (
        select(Child)
        .where(
            Child.anonymised_at.is_(None),
            Child.case_closed_on.is_not(None),
            Child.case_closed_on < years_before(today, years),
        )
        .order_by(Child.id)
    )
    return list(db.session.scalars(statement))


def anonymise(child: Child) -> None:
    child.given_name = child.family_name = PLACEHOLDER
    child.patronymic = None
    child.birth_date = None
    child.search_key = ""  # recomputed from the placeholder names on flush: empty too
    child.anonymised_at = utcnow()
    db.session.execute(delete(ChildBackground).where(ChildBackground.child_id == child.id))
    db.session.execute(
        update(Consent).where(Consent.child_id == child.id).values(document_reference="")
    )
    for remove in contributions("anonymisers"):  # what other domains hold that names the child
        remove(child)
    audit("anonymise", "child", child.id)
    db.session.flush()


def apply_retention(today: date, years: int, dry_run: bool = False) -> int:
    """Anonymise every child due; returns how many (were or would be) anonymised."""
    children = due(today, years)
    if not dry_run:
        for child in children:
            anonymise(child)
    return len(children)


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Only count the records due; change nothing.")
def apply(dry_run: bool) -> None:
    """Anonymise the children whose case was closed more than QADAM_RETENTION_YEARS ago."""
    years = current_app.config["QADAM_RETENTION_YEARS"]
    count = apply_retention(clock.today(), years, dry_run)
    if dry_run:
        db.session.rollback()
        message = ngettext(
            "%(num)d record is due to be anonymised (dry run: nothing was changed).",
            "%(num)d records are due to be anonymised (dry run: nothing was changed).",
            count,
        )
    else:
        db.session.commit()
        message = ngettext("%(num)d record anonymised.", "%(num)d records anonymised.", count)
    click.echo(message)
