"""The district's subjects: a default list for grades 1–11, and who teaches what where."""

import uuid

from sqlalchemy import exists, func, select

from app.auth.models import Role, User
from app.children.models import SchoolClass, class_teacher
from app.children.services import teaches_class
from app.extensions import db
from app.results.models import Subject, subject_teacher

# (code, first grade, last grade, English, Kazakh, Russian, Arabic): the subjects of the
# state curriculum a district starts from; its administrator renames, adds or narrows them.
DEFAULT_SUBJECTS = (
    ("literacy", 1, 1, "Literacy", "Сауат ашу", "Обучение грамоте", "تعليم القراءة والكتابة"),
    (
        "kazakh_language",
        1,
        11,
        "Kazakh language",
        "Қазақ тілі",
        "Казахский язык",
        "اللغة الكازاخية",
    ),
    ("russian_language", 1, 11, "Russian language", "Орыс тілі", "Русский язык", "اللغة الروسية"),
    (
        "literary_reading",
        2,
        4,
        "Literary reading",
        "Әдебиеттік оқу",
        "Литературное чтение",
        "القراءة الأدبية",
    ),
    ("english", 1, 11, "English", "Ағылшын тілі", "Английский язык", "اللغة الإنجليزية"),
    ("mathematics", 1, 6, "Mathematics", "Математика", "Математика", "الرياضيات"),
    (
        "natural_science",
        1,
        6,
        "Natural science",
        "Жаратылыстану",
        "Естествознание",
        "العلوم الطبيعية",
    ),
    (
        "digital_literacy",
        2,
        4,
        "Digital literacy",
        "Цифрлық сауаттылық",
        "Цифровая грамотность",
        "الثقافة الرقمية",
    ),
    (
        "kazakh_literature",
        5,
        11,
        "Kazakh literature",
        "Қазақ әдебиеті",
        "Казахская литература",
        "الأدب الكازاخي",
    ),
    (
        "russian_literature",
        5,
        11,
        "Russian literature",
        "Орыс әдебиеті",
        "Русская литература",
        "الأدب الروسي",
    ),
    (
        "history_of_kazakhstan",
        5,
        11,
        "History of Kazakhstan",
        "Қазақстан тарихы",
        "История Казахстана",
        "تاريخ كازاخستان",
    ),
    (
        "world_history",
        5,
        11,
        "World history",
        "Дүниежүзі тарихы",
        "Всемирная история",
        "التاريخ العالمي",
    ),
    ("computer_science", 5, 11, "Computer science", "Информатика", "Информатика", "علوم الحاسوب"),
    ("algebra", 7, 11, "Algebra", "Алгебра", "Алгебра", "الجبر"),
    ("geometry", 7, 11, "Geometry", "Геометрия", "Геометрия", "الهندسة"),
    ("physics", 7, 11, "Physics", "Физика", "Физика", "الفيزياء"),
    ("chemistry", 7, 11, "Chemistry", "Химия", "Химия", "الكيمياء"),
    ("biology", 7, 11, "Biology", "Биология", "Биология", "الأحياء"),
    ("geography", 7, 11, "Geography", "География", "География", "الجغرافيا"),
    ("law", 9, 11, "Fundamentals of law", "Құқық негіздері", "Основы права", "أسس القانون"),
    (
        "art",
        1,
        9,
        "Art and technology",
        "Көркем еңбек",
        "Художественный труд",
        "الفنون والأشغال اليدوية",
    ),
    ("music", 1, 6, "Music", "Музыка", "Музыка", "الموسيقى"),
    (
        "physical_education",
        1,
        11,
        "Physical education",
        "Дене шынықтыру",
        "Физическая культура",
        "التربية البدنية",
    ),
    ("self_knowledge", 1, 11, "Self-knowledge", "Өзін-өзі тану", "Самопознание", "معرفة الذات"),
)


def add_default_subjects() -> int:
    """Add each default subject the district does not have yet (by code); flushes only.
    Returns how many were added."""
    missing = missing_default_subjects()
    for position, (code, first, last, en, kk, ru, ar) in enumerate(DEFAULT_SUBJECTS):
        if code not in missing:
            continue
        db.session.add(
            Subject(
                code=code,
                position=position,
                grade_from=first,
                grade_to=last,
                name_en=en,
                name_kk=kk,
                name_ru=ru,
                name_ar=ar,
            )
        )
    db.session.flush()
    return len(missing)


def missing_default_subjects() -> set[str]:
    """The codes of the default subjects the district does not have."""
    known = set(db.session.scalars(select(Subject.code)))
    return {code for code, *_names in DEFAULT_SUBJECTS} - known


def subjects_of_grade(grade: int) -> list[Subject]:
    return list(
        db.session.scalars(
            select(Subject)
            .where(Subject.grade_from <= grade, Subject.grade_to >= grade)
            .order_by(Subject.position, Subject.code)
        )
    )


def assign(school_class: SchoolClass, subject: Subject, teacher: User) -> None:
    """`teacher` teaches `subject` in `school_class` (once, however often it is said)."""
    if not teaches(teacher.id, school_class.id, subject.id):
        db.session.execute(
            subject_teacher.insert().values(
                class_id=school_class.id, subject_id=subject.id, user_id=teacher.id
            )
        )


def teaches(user_id: uuid.UUID, class_id: uuid.UUID, subject_id: uuid.UUID) -> bool:
    """May enter this subject's results in this class: its subject teacher, or the class's
    own teacher, who may enter all."""
    of_subject = exists().where(
        subject_teacher.c.class_id == class_id,
        subject_teacher.c.subject_id == subject_id,
        subject_teacher.c.user_id == user_id,
    )
    of_class = exists().where(
        class_teacher.c.class_id == class_id, class_teacher.c.user_id == user_id
    )
    known = exists().where(Subject.id == subject_id)  # a class teacher's "all" names real ones
    return bool(db.session.scalar(select(known & (of_subject | of_class))))


def subjects_entered_by(user: User, school_class: SchoolClass) -> list[Subject]:
    """The subjects of the class's grade whose results `user` may enter in it: all for the
    class's own teachers, else those they are assigned."""
    grade_subjects = subjects_of_grade(school_class.grade)
    if teaches_class(user, school_class):
        return grade_subjects
    assigned = set(
        db.session.scalars(
            select(subject_teacher.c.subject_id).where(
                subject_teacher.c.class_id == school_class.id,
                subject_teacher.c.user_id == user.id,
            )
        )
    )
    return [subject for subject in grade_subjects if subject.id in assigned]


def entered_by(user: User) -> tuple[set[uuid.UUID], set[tuple[uuid.UUID, uuid.UUID]]]:
    """The classes whose every subject `user` enters (as their class teacher), and the
    (class, subject) pairs they enter as a subject teacher: two queries for any number."""
    own = db.session.scalars(
        select(class_teacher.c.class_id).where(class_teacher.c.user_id == user.id)
    )
    taught = db.session.execute(
        select(subject_teacher.c.class_id, subject_teacher.c.subject_id).where(
            subject_teacher.c.user_id == user.id
        )
    )
    return set(own), {(class_id, subject_id) for class_id, subject_id in taught}


def classes_entered_by(user: User) -> list[SchoolClass]:
    """The classes whose results `user` enters: as their class teacher or a subject teacher."""
    of_class = select(class_teacher.c.class_id).where(class_teacher.c.user_id == user.id)
    of_subject = select(subject_teacher.c.class_id).where(subject_teacher.c.user_id == user.id)
    return list(
        db.session.scalars(
            select(SchoolClass)
            .where(
                SchoolClass.id.in_(of_class.union(of_subject)),
                SchoolClass.archived_at.is_(None),
            )
            .order_by(SchoolClass.grade, SchoolClass.letter)
        )
    )


def all_subjects() -> list[Subject]:
    return list(db.session.scalars(select(Subject).order_by(Subject.position, Subject.code)))


def add_subject(names: dict[str, str], grade_from: int, grade_to: int) -> Subject:
    """A subject of the district's own, after the defaults; flushes only."""
    last = db.session.scalar(select(func.max(Subject.position))) or 0
    subject = Subject(
        code=f"district-{uuid.uuid4().hex[:12]}",
        position=last + 1,
        grade_from=grade_from,
        grade_to=grade_to,
        **{f"name_{language}": name.strip() for language, name in names.items()},
    )
    db.session.add(subject)
    db.session.flush()
    return subject


def subject_teachers(school_class: SchoolClass) -> list[tuple[Subject, User]]:
    """Who teaches which subject in the class, by subject."""
    rows = db.session.execute(
        select(Subject, User)
        .join(subject_teacher, subject_teacher.c.subject_id == Subject.id)
        .join(User, User.id == subject_teacher.c.user_id)
        .where(subject_teacher.c.class_id == school_class.id)
        .order_by(Subject.position, Subject.code, User.display_name)
    )
    return [(subject, user) for subject, user in rows]


def unassign(school_class: SchoolClass, subject_id: uuid.UUID, user_id: uuid.UUID) -> None:
    db.session.execute(
        subject_teacher.delete().where(
            subject_teacher.c.class_id == school_class.id,
            subject_teacher.c.subject_id == subject_id,
            subject_teacher.c.user_id == user_id,
        )
    )


def active_teachers() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.TEACHER, User.active.is_(True))
            .order_by(User.display_name)
        )
    )
