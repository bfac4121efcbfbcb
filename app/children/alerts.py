"""Alerts on a social worker's home page: what needs them now, across their caseload.

Each domain contributes rules (its Domain's alert_rules): functions (social worker, today) ->
alerts about the children of their caseload, each with a rank that orders them on the page
(low attendance, overdue visits, unresolved incidents). Rules query their whole caseload at
once (no query per child).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.auth.models import User
from app.core.domains import contributions


@dataclass(frozen=True)
class Alert:
    kind: str  # "overdue_visit", "unresolved_incident", "low_attendance", "school_results"…
    child_id: uuid.UUID
    child_name: str
    # What the alert is about, as numbers the template words: a rate, a count of days…
    value: float | int | date | None = None
    # Where the alert leads, as (endpoint, arguments) for url_for; None: the child's page.
    target: tuple[str, dict] | None = None
    # What the alert says, worded by its domain; None: worded by the template, by its kind.
    words: str | None = None


Rule = Callable[[User, date], list[Alert]]


def alerts_for(user: User, today: date) -> list[Alert]:
    ranked: list[tuple[int, Rule]] = contributions("alert_rules")
    rules = [rule for _rank, rule in sorted(ranked, key=lambda pair: pair[0])]
    return [alert for rule in rules for alert in rule(user, today)]
