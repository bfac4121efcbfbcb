"""The demo district's education plans and language support, for every child who needs
language support: a plan with two to four areas, a review for each term already over, the
language level in each term begun, rising as children do (most a level a term or two, some
unchanged for a while: the social worker's alert), and a handful of support sessions a term.
"""

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from app.attendance.models import Term
from app.children.models import Child, SchoolClass
from app.extensions import db
from app.plans.models import (
    Area,
    EducationPlan,
    GoalStatus,
    LanguageLevel,
    PlanGoal,
    PlanReview,
    SupportSession,
)

# Each area's goals, in the class's language of instruction.
GOALS = {
    "kk": {
        Area.LANGUAGE: "Сабақтағы мұғалімнің нұсқауларын түсініп, орындайды.",
        Area.LITERACY: "Әріптерді таниды, қысқа сөздер мен сөйлемдерді оқиды.",
        Area.MATHEMATICS: "Есептің шартын түсініп, 100 көлемінде қосу мен азайтуды орындайды.",
        Area.OTHER_SUBJECTS: "Жаратылыстану сабағының негізгі сөздерін түсінеді.",
        Area.SOCIAL_EMOTIONAL: "Топтық жұмысқа қатысады, үзілісте сыныптастарымен ойнайды.",
    },
    "ru": {
        Area.LANGUAGE: "Понимает и выполняет указания учителя на уроке.",
        Area.LITERACY: "Узнаёт буквы, читает короткие слова и предложения.",
        Area.MATHEMATICS: "Понимает условие задачи, складывает и вычитает в пределах 100.",
        Area.OTHER_SUBJECTS: "Понимает основные слова уроков естествознания.",
        Area.SOCIAL_EMOTIONAL: "Участвует в работе в группах, играет с одноклассниками.",
    },
}
# (support given, who gives it), in the class's language.
SUPPORT = {
    "kk": (
        ("Араб тілін білетін маманмен аптасына екі сабақ", "Араб тілін білетін маман"),
        ("Сабақтан кейін қосымша сабақ", "Сынып жетекшісі"),
        ("Мектеп психологымен топтық сабақтар", "Мектеп психологы"),
    ),
    "ru": (
        ("Два занятия в неделю с арабоязычным специалистом", "Арабоязычный специалист"),
        ("Дополнительные занятия после уроков", "Классный руководитель"),
        ("Групповые занятия со школьным психологом", "Школьный психолог"),
    ),
}
REVIEWS = {
    "kk": (
        "Нұсқауларды жақсырақ түсінеді; сабақтарды жалғастыру керек.",
        "Сөздік қоры өсті, жазуға әлі көмек қажет.",
        "Сыныпта белсенді бола бастады; мақсаттар өзгеріссіз.",
    ),
    "ru": (
        "Лучше понимает указания; занятия продолжить.",
        "Словарный запас вырос, с письмом ещё нужна помощь.",
        "Стал(а) активнее на уроках; цели без изменений.",
    ),
}
STEADY = 0.35  # the chance that a child's level stays where it was for a term


def add_plans(
    children: list[Child],
    classes: list[SchoolClass],
    teacher_of: dict[uuid.UUID, uuid.UUID],
    terms: list[Term],
    rng: random.Random,
    today: date,
) -> int:
    """Write the plans, levels and sessions; return how many plans. Flushes only."""
    begun = [term for term in terms if term.starts_on <= today]
    over = [term for term in begun if term.ends_on < today]
    language_of = {c.id: c.language_of_instruction for c in classes}
    rows: dict[type, list[dict]] = {
        model: [] for model in (EducationPlan, PlanGoal, PlanReview, LanguageLevel, SupportSession)
    }
    supported = [child for child in children if child.needs_language_support]
    for child in supported:
        language = language_of[child.class_id]
        teacher = teacher_of[child.class_id]
        plan_id = _id(rng)
        at = datetime.combine(terms[0].starts_on + timedelta(days=14), time(6), UTC)
        rows[EducationPlan].append(_plan(plan_id, child, terms[0], teacher, at))
        rows[PlanGoal] += _goals(plan_id, language, teacher, at, len(over), rng)
        rows[PlanReview] += [_review(plan_id, term, language, teacher, rng) for term in over]
        rows[LanguageLevel] += _levels(child, language, teacher, begun, today, rng)
        rows[SupportSession] += _sessions(child, language, teacher, begun, today, rng)
    for model, values in rows.items():
        if values:
            db.session.execute(insert(model), values)
    return len(supported)


def _id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _plan(plan_id, child, first_term, teacher, at) -> dict:
    return {
        "id": plan_id,
        "child_id": child.id,
        "academic_year": first_term.academic_year,
        "created_by_id": teacher,
        "created_at": at,
    }


def _goals(plan_id, language, teacher, at, terms_over, rng) -> list[dict]:
    """The language area and one to three others."""
    others = rng.sample([area for area in Area if area is not Area.LANGUAGE], rng.randint(1, 3))
    rows = []
    for area in (Area.LANGUAGE, *others):
        support, given_by = rng.choice(SUPPORT[language])
        target = rng.randint(2, 4)
        status = GoalStatus.IN_PROGRESS
        if target <= terms_over:
            status = GoalStatus.ACHIEVED
        elif area is not Area.LANGUAGE and rng.random() < 0.2:
            status = GoalStatus.NOT_STARTED
        rows.append(
            {
                "id": _id(rng),
                "plan_id": plan_id,
                "area": area,
                "goal": GOALS[language][area],
                "support": support,
                "given_by": given_by,
                "target_term": target,
                "status": status,
                "updated_by_id": teacher,
                "updated_at": at,
                "version": 1,
            }
        )
    return rows


def _review(plan_id, term, language, teacher, rng) -> dict:
    reviewed_on = term.ends_on - timedelta(days=rng.randint(1, 5))
    return {
        "id": _id(rng),
        "plan_id": plan_id,
        "term_id": term.id,
        "reviewed_on": reviewed_on,
        "note": rng.choice(REVIEWS[language]),
        "author_id": teacher,
        "created_at": datetime.combine(reviewed_on, time(9), UTC),
    }


def _levels(child, language, teacher, begun, today, rng) -> list[dict]:
    """One level a term begun: starting low, then up a level or, now and then, steady."""
    level = rng.choice((1, 1, 2, 2, 3))
    rows = []
    for number, term in enumerate(begun):
        if number and rng.random() >= STEADY:
            level = min(5, level + 1)
        day = min(term.starts_on + timedelta(days=rng.randint(7, 20)), today - timedelta(days=1))
        rows.append(
            {
                "id": _id(rng),
                "child_id": child.id,
                "term_id": term.id,
                "language": language,
                "level": level,
                "recorded_by_id": teacher,
                "recorded_at": datetime.combine(max(day, term.starts_on), time(8), UTC),
                "version": 1,
            }
        )
    return rows


def _sessions(child, language, teacher, begun, today, rng) -> list[dict]:
    """Three to six sessions on school days of each term begun, none today or later."""
    rows = []
    for term in begun:
        last = min(term.ends_on, today - timedelta(days=1))
        days = [
            term.starts_on + timedelta(days=n)
            for n in range((last - term.starts_on).days + 1)
            if (term.starts_on + timedelta(days=n)).weekday() < 5
        ]
        for held_on in sorted(rng.sample(days, min(len(days), rng.randint(3, 6)))):
            _support, with_whom = rng.choice(SUPPORT[language])
            rows.append(
                {
                    "id": _id(rng),
                    "child_id": child.id,
                    "held_on": held_on,
                    "minutes": rng.choice((30, 40, 45)),
                    "with_whom": with_whom,
                    "language": rng.choice(("ar", "ar", language)),
                    "note": None,
                    "recorded_by_id": teacher,
                    "recorded_at": datetime.combine(held_on, time(10), UTC),
                }
            )
    return rows
