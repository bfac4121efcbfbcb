"""The demo social worker's caseload, the committee's district, and fictional backgrounds.

Written in neutral words, as a social worker would: no label for where a child came from.
"""

import random
from datetime import date, timedelta

from sqlalchemy import insert

from app.auth.models import Role, User
from app.children.background import (
    ChildBackground,
    Consent,
    ConsentScope,
    Representative,
    ReturnedFrom,
)
from app.children.models import Child, caseload
from app.demo import names
from app.demo.visits import add_visits
from app.extensions import db

CASELOAD = 25
WITH_BACKGROUND = 6
FAMILIES = (
    "Әжесімен және екі інісімен тұрады. Отбасы әлеуметтік көмек алады.",
    "Анасымен және апасымен тұрады. Анасы жұмыс іздеп жүр.",
    "Ағасының отбасында тұрады; ағасы қамқоршы болып тағайындалды.",
    "Патронаттық отбасында тұрады, үйге бару ай сайын.",
)
LEGAL_NOTES = (
    "Ата-анасы туралы құжаттар рәсімделуде.",
    "Жазба жоқ.",
    "Қамқоршылық туралы шешім 2024 жылы шықты.",
)
REPRESENTATIVES = (
    Representative.GRANDPARENT,
    Representative.MOTHER,
    Representative.GUARDIAN,
    Representative.FOSTER_CARER,
)


def add_casework(users: dict[Role, User], children: list[Child], seed: int, today: date) -> None:
    """A caseload for the social worker, with backgrounds and consent for some of it."""
    rng = random.Random(seed + 1)  # fictional; its own stream, the rest stays # nosec B311
    users[Role.COMMITTEE_MEMBER].district = names.DISTRICT
    worker = users[Role.SOCIAL_WORKER]
    chosen = rng.sample(children, CASELOAD)
    db.session.execute(
        insert(caseload), [{"user_id": worker.id, "child_id": child.id} for child in chosen]
    )
    for number, child in enumerate(chosen[:WITH_BACKGROUND], 1):
        db.session.add(_background(child, worker, rng))
        db.session.add(_consent(child, worker, rng, number, today))
    db.session.flush()
    add_visits(worker, list(reversed(chosen)), rng, today)
    db.session.flush()


def _background(child: Child, worker: User, rng: random.Random) -> ChildBackground:
    return ChildBackground(
        child_id=child.id,
        returned_from=rng.choice([ReturnedFrom.SYRIA, ReturnedFrom.IRAQ]),
        returned_on=date(rng.choice([2019, 2021, 2023]), rng.randint(1, 12), rng.randint(1, 28)),
        family_situation=rng.choice(FAMILIES),
        parents_legal_notes=rng.choice(LEGAL_NOTES),
        updated_by_id=worker.id,
    )


def _consent(child: Child, worker: User, rng: random.Random, number: int, today: date) -> Consent:
    return Consent(
        child_id=child.id,
        given_on=today - timedelta(days=rng.randint(20, 60)),
        scope=[ConsentScope.SCHOOLING, ConsentScope.CASEWORK],
        representative=rng.choice(REPRESENTATIVES),
        document_reference=f"ДЕМО-{number:04d}",
        recorded_by_id=worker.id,
    )
