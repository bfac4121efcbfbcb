"""The authorisation table: role × endpoint × method → expected outcome.

Two people of every role: "a" and "b". Each follows their own children: teacher A teaches
class A (child A), social worker A has child A in their caseload, committee member A reviews
district A; the "b" people follow child B in district B. So every row tests sideways access
too. A person not named in `allowed` must get 404, as if the page did not exist.

A new endpoint must get a row here: tests/test_authorisation.py fails on any route that is
neither public nor in this table.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import insert, select

from app.admin import roster
from app.auth.models import Role, User
from app.children.background import Consent, ConsentScope, Representative
from app.children.models import Child, School, SchoolClass, caseload
from app.extensions import db
from app.incidents.models import Incident, Involved, Kind, Place, Severity
from app.results.models import Subject
from app.uploads import services as uploads
from tests import snapshot
from tests.factories import (
    ChildFactory,
    SchoolClassFactory,
    SchoolFactory,
    TermFactory,
    UserFactory,
)

PEOPLE = {
    "teacher_a": Role.TEACHER,
    "teacher_b": Role.TEACHER,
    "social_worker_a": Role.SOCIAL_WORKER,
    "social_worker_b": Role.SOCIAL_WORKER,
    "committee_a": Role.COMMITTEE_MEMBER,
    "committee_b": Role.COMMITTEE_MEMBER,
    "admin_a": Role.ADMINISTRATOR,
    "admin_b": Role.ADMINISTRATOR,
}
EVERYONE = frozenset(PEOPLE)
TEACHERS = frozenset({"teacher_a", "teacher_b"})
ADMINS = frozenset({"admin_a", "admin_b"})
CASE_WORKER = frozenset({"social_worker_a"})  # child A is in their caseload


@dataclass
class World:
    """Two districts, each with a school, a class, a child and the people who follow it."""

    people: dict
    school: object
    school_class: object
    child: object
    child_b: object
    upload_id: uuid.UUID
    consent_id: uuid.UUID  # a consent recorded for child A
    incident_id: uuid.UUID  # an incident teacher A reported for child A
    subject_id: uuid.UUID  # a subject of class A's grade, in a term under way
    ejournal_upload_id: uuid.UUID  # an e-journal export teacher A uploaded


def build_world() -> World:
    """The world, committed. Built through the factories the first time in a run; after that
    its rows are copied back (tests/snapshot.py), the same ids and all, which is much faster.
    """
    if not _built:
        before = snapshot.take()
        world = _factory_world()
        _built.extend([_ids_of(world), snapshot.added(snapshot.take(), before)])
        return world
    ids, rows = _built
    if db.session.get(User, ids.people["teacher_a"]) is not None:  # a second world
        return _factory_world()
    snapshot.insert(rows)
    world = _loaded(ids)
    db.session.commit()  # leaves every object expired, as the factories' last commit did
    return world


_built: list = []  # [the world's ids, its rows], once it has been built


def _ids_of(world: World) -> World:
    """The same world with ids for people and rows, kept beyond any session."""
    return World(
        {key: user.id for key, user in world.people.items()},
        world.school.id,
        world.school_class.id,
        world.child.id,
        world.child_b.id,
        world.upload_id,
        world.consent_id,
        world.incident_id,
        world.subject_id,
        world.ejournal_upload_id,
    )


def _loaded(ids: World) -> World:
    users = db.session.scalars(select(User).where(User.id.in_(ids.people.values())))
    by_id = {user.id: user for user in users}
    children = db.session.scalars(select(Child).where(Child.id.in_([ids.child, ids.child_b])))
    child_of = {child.id: child for child in children}
    return World(
        {key: by_id[user_id] for key, user_id in ids.people.items()},
        db.session.get(School, ids.school),
        db.session.get(SchoolClass, ids.school_class),
        child_of[ids.child],
        child_of[ids.child_b],
        ids.upload_id,
        ids.consent_id,
        ids.incident_id,
        ids.subject_id,
        ids.ejournal_upload_id,
    )


def _factory_world() -> World:
    school_a = SchoolFactory(district="Аудан А")
    school_b = SchoolFactory(district="Аудан Б")
    people = {key: UserFactory(role=role) for key, role in PEOPLE.items()}
    class_a = SchoolClassFactory(school=school_a, teachers=[people["teacher_a"]])
    class_b = SchoolClassFactory(school=school_b, teachers=[people["teacher_b"]])
    child_a = ChildFactory(school_class=class_a)
    child_b = ChildFactory(school_class=class_b)
    for key, child in (("social_worker_a", child_a), ("social_worker_b", child_b)):
        db.session.execute(insert(caseload).values(user_id=people[key].id, child_id=child.id))
    people["committee_a"].district = "Аудан А"
    people["committee_b"].district = "Аудан Б"
    upload, _table = roster.store_upload(
        people["admin_a"], "roster.csv", "Тегі,Аты\nТестов,Дана\n".encode()
    )
    consent = Consent(
        child_id=child_a.id,
        given_on=date(2026, 9, 1),
        scope=[ConsentScope.SCHOOLING],
        representative=Representative.GRANDPARENT,
        recorded_by_id=people["social_worker_a"].id,
    )
    incident = Incident(
        child_id=child_a.id,
        reported_by_id=people["teacher_a"].id,
        occurred_on=date(2026, 11, 16),
        place=Place.CLASSROOM,
        involved=[Involved.PEERS],
        what_happened=[Kind.VERBAL],
        severity=Severity.MEDIUM,
    )
    TermFactory()  # under way on the suite's today
    subject = Subject(
        code="mathematics",
        grade_from=1,
        grade_to=6,
        name_en="Mathematics",
        name_kk="Математика",
        name_ru="Математика",
        name_ar="الرياضيات",
    )
    ejournal = uploads.keep(
        people["teacher_a"].id,
        "marks.csv",
        "ФИО,Предмет,Четверть,Оценка\nТестов Дана,1,2,5\n".encode(),
    )
    db.session.add_all([consent, incident, subject])
    db.session.commit()
    return World(
        people,
        school_a,
        class_a,
        child_a,
        child_b,
        upload.id,
        consent.id,
        incident.id,
        subject.id,
        ejournal.id,
    )


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    path: Callable[[World], str]
    allowed: frozenset
    # What an allowed person gets; None: anything but a refusal (a POST without a valid body
    # may be a 4xx about its content: what matters here is that it was not refused).
    status: int | None = None
    data: dict | Callable[[World], dict] = field(default_factory=dict)
    # What everyone else gets: 404 unless the endpoint is everyone's but the action is not.
    refused: int = 404


def _child(w: World) -> str:
    return f"/children/{w.child.id}"


def _incident(w: World) -> str:
    return f"/incidents/{w.incident_id}"


REPORTERS = frozenset({"teacher_a", "social_worker_a"})  # child A's teacher and social worker
CASE_STAFF = frozenset({"teacher_a", "teacher_b", "social_worker_a", "social_worker_b"})
REPORT = {
    "report_id": "6f1d3c2a-9b7e-4c1d-8e2f-0a1b2c3d4e5f",
    "occurred_on": "2026-11-17",
    "place": "school_grounds",
    "involved": "peers",
    "what_happened": "exclusion",
    "severity": "low",
    "immediate_action": "",
}


READERS = frozenset({"teacher_a", "social_worker_a", "committee_a"})  # who may open child A
CLASS_TEACHER = frozenset({"teacher_a"})
GOAL = {"goal": "Follows instructions", "target_term": "3", "status": "in_progress", "version": "0"}
REVIEW = {
    "review_id": "0d6c1a2b-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
    "term": "2",
    "reviewed_on": "2026-11-18",
    "note": "Good progress.",
}
LEVEL = {"term": "2", "level": "2", "language": "kk", "version": "0"}
SESSION = {
    "session_id": "1e7d2b3c-4f5a-4b6c-9d7e-8f9a0b1c2d3e",
    "held_on": "2026-11-16",
    "minutes": "40",
    "with_whom": "Arabic-speaking specialist",
    "language": "ar",
}

# A fixed id, so the row's form data can name the conflict (the sequence never gets there).
WORLD_CONFLICT_ID = 900_001


COMMITTEE = frozenset({"committee_a", "committee_b"})
COMMITTEE_A = frozenset({"committee_a"})  # district A's meeting
MEETING = {"held_on": "2026-11-25", "place": "Әкімдік"}
DECISION = {
    "decision_id": "5b0e7f3a-2c4d-4e6f-8a1b-3c5d7e9f0a2b",
    "outcome": "continue",
    "next_review_on": "2027-02-18",
}


def _meeting(w: World, agenda: bool = True) -> str:
    """District A's meeting, made the first time it is asked, with child A on its agenda."""
    from app.committee.models import AgendaItem, Meeting

    meeting = db.session.scalars(select(Meeting)).first()
    if meeting is None:
        meeting = Meeting(
            district="Аудан А",
            held_on=date(2026, 11, 25),
            place="Әкімдік",
            created_by_id=w.people["committee_a"].id,
        )
        if agenda:
            meeting.agenda = [AgendaItem(child_id=w.child.id, position=1)]
        db.session.add(meeting)
        db.session.commit()
    return f"/meetings/{meeting.id}"


def _agenda_item(w: World) -> str:
    from app.committee.models import AgendaItem

    path = _meeting(w)
    return f"{path}/agenda/{db.session.scalars(select(AgendaItem.id)).first()}"


def _decision(w: World) -> str:
    return f"{_meeting(w)}/children/{w.child.id}/decision"


def _task(w: World, assignee: str = "social_worker") -> str:
    """A task of child A given to their social worker (or to the school), made when asked."""
    from app.tasks.models import Task, TaskAssignee, TaskSource

    task = db.session.scalars(select(Task).where(Task.assignee == assignee)).first()
    if task is None:
        task = Task(
            child_id=w.child.id,
            source=TaskSource.DECISION,
            source_id=uuid.uuid4(),
            what="Meet the psychologist",
            assignee=TaskAssignee(assignee),
            due_on=date(2026, 12, 1),
        )
        db.session.add(task)
        db.session.commit()
    return f"/tasks/{task.id}"


def _school_task(w: World) -> str:
    return _task(w, "school")


MARK = {"mark_id": "7c2e9d4b-1a3f-4b5c-8d6e-9f0a1b2c3d4e", "version": "1", "status": "done"}
ASSIGNEES = frozenset({"teacher_a", "teacher_b", "social_worker_a", "social_worker_b"})


def _report(w: World) -> str:
    """A visit report of child A (with a conflict waiting), made the first time it is asked."""
    from app.casework.models import VisitReport
    from app.sync.models import SyncConflict
    from tests.casework_factories import PlacementFactory, VisitReportFactory

    report = db.session.scalars(select(VisitReport)).first()
    if report is None:
        worker = w.people["social_worker_a"]
        placement = PlacementFactory(child_obj=w.child, worker=worker)
        report = VisitReportFactory(placement=placement, worker=worker)
        db.session.add(
            SyncConflict(
                id=WORLD_CONFLICT_ID,
                record_type="visit_report",
                record_id=report.id,
                op_id=uuid.uuid4(),
                user_id=worker.id,
                fields='{"present": {"base": "", "server": "a", "device": "b"}}',
            )
        )
        db.session.commit()
    return f"/visits/{report.id}"


def _user(w: World) -> str:
    return f"/admin/users/{w.people['teacher_b'].id}"


def _admin(path: str) -> Callable[[World], str]:
    return lambda w: (
        "/admin"
        + path.format(
            school=w.school.id,
            school_class=w.school_class.id,
            child=w.child.id,
            user=w.people["teacher_b"].id,
            social_worker=w.people["social_worker_b"].id,
            upload=w.upload_id,
        )
    )


ADMIN_PAGES = [
    ("admin.index", "GET", "/", 200),
    ("admin.schools", "GET", "/schools", 200),
    ("admin.schools", "POST", "/schools", None),
    ("admin.school", "GET", "/schools/{school}", 200),
    ("admin.school", "POST", "/schools/{school}", None),
    ("admin.archive_school", "POST", "/schools/{school}/archive", None),
    ("admin.create_class", "POST", "/schools/{school}/classes", None),
    ("admin.school_class", "GET", "/classes/{school_class}", 200),
    ("admin.school_class", "POST", "/classes/{school_class}", None),
    ("admin.archive_class", "POST", "/classes/{school_class}/archive", None),
    ("admin.children", "GET", "/children", 200),
    ("admin.children", "POST", "/children", None),
    ("admin.children_search", "POST", "/children/search", 200),
    ("admin.child", "GET", "/children/{child}", 200),
    ("admin.move_child", "POST", "/children/{child}/move", None),
    ("admin.leave_child", "POST", "/children/{child}/leave", None),
    ("admin.rollover", "GET", "/rollover", 200),
    ("admin.rollover", "POST", "/rollover", None),
    ("admin.users", "GET", "/users", 200),
    ("admin.user_new", "GET", "/users/new", 200),
    ("admin.user_new", "POST", "/users/new", None),
    ("admin.user", "GET", "/users/{user}", 200),
    ("admin.user_profile", "POST", "/users/{user}/profile", None),
    ("admin.user_classes", "POST", "/users/{user}/classes", None),
    ("admin.user_district", "POST", "/users/{user}/district", None),
    ("admin.user_caseload", "GET", "/users/{social_worker}/caseload", 200),
    ("admin.user_caseload", "POST", "/users/{social_worker}/caseload", None),
    ("admin.user_caseload_add", "POST", "/users/{social_worker}/caseload/{child}/add", None),
    ("admin.user_caseload_remove", "POST", "/users/{social_worker}/caseload/{child}/remove", None),
    ("admin.user_deactivate", "POST", "/users/{user}/deactivate", None),
    ("admin.user_reactivate", "POST", "/users/{user}/reactivate", None),
    ("admin.user_code", "POST", "/users/{user}/code", None),
    ("admin.user_end_sessions", "POST", "/users/{user}/sessions/end", None),
    ("admin.user_two_factor_reset", "POST", "/users/{social_worker}/two-factor/reset", 303),
    ("admin.roster_upload", "GET", "/import", 200),
    ("admin.roster_upload", "POST", "/import", None),
    ("admin.roster_columns", "GET", "/import/{upload}/columns?school={school}", 200),
    ("admin.roster_preview", "GET", "/import/{upload}/preview?school={school}", None),
    ("admin.roster_import", "POST", "/import/{upload}/import?school={school}", None),
    ("admin.roster_discard", "POST", "/import/{upload}/discard?school={school}", None),
]

TABLE = [
    Row("attendance.today", "GET", lambda w: "/today", TEACHERS, 200),
    Row(
        "attendance.roll_call",
        "GET",
        lambda w: f"/classes/{w.school_class.id}/roll-call",
        frozenset({"teacher_a"}),
        200,
    ),
    Row(
        "attendance.roll_call",
        "POST",
        lambda w: f"/classes/{w.school_class.id}/roll-call",
        frozenset({"teacher_a"}),
    ),
    Row("results.index", "GET", lambda w: "/results", TEACHERS, 200),
    Row("results.sheets_on_phone", "GET", lambda w: "/results/on-phone", TEACHERS, 200),
    Row(
        "results.choose",
        "GET",
        lambda w: f"/classes/{w.school_class.id}/results",
        frozenset({"teacher_a"}),
        200,
    ),
    Row(
        "results.sheet",
        "GET",
        lambda w: f"/classes/{w.school_class.id}/results/{w.subject_id}/2",
        frozenset({"teacher_a"}),
        200,
    ),
    Row(
        "results.sheet",
        "POST",
        lambda w: f"/classes/{w.school_class.id}/results/{w.subject_id}/2",
        frozenset({"teacher_a"}),
    ),
    # The e-journal import: teachers only; an upload is its own teacher's alone.
    Row("results.ejournal_upload", "GET", lambda w: "/import/results", TEACHERS, 200),
    Row("results.ejournal_upload", "GET", lambda w: "/import/attendance", TEACHERS, 200),
    Row("results.ejournal_upload", "POST", lambda w: "/import/results", TEACHERS, 422),
    Row(
        "results.ejournal_columns",
        "GET",
        lambda w: f"/import/results/{w.ejournal_upload_id}/columns",
        frozenset({"teacher_a"}),
        200,
    ),
    Row(
        "results.ejournal_preview",
        "GET",
        lambda w: f"/import/attendance/{w.ejournal_upload_id}/preview",
        frozenset({"teacher_a"}),
        422,  # no columns chosen: the columns page again
    ),
    Row(
        "results.ejournal_preview",
        "GET",
        lambda w: f"/import/results/{w.ejournal_upload_id}/preview?child=0&subject=1&term=2&mark=3",
        frozenset({"teacher_a"}),
        200,
    ),
    Row(
        "results.ejournal_import",
        "POST",
        lambda w: f"/import/results/{w.ejournal_upload_id}/import",
        frozenset({"teacher_a"}),
        422,
    ),
    Row(
        "results.ejournal_discard",
        "POST",
        lambda w: f"/import/results/{w.ejournal_upload_id}/discard",
        frozenset({"teacher_a"}),
        303,
    ),
    Row("results.subjects", "GET", lambda w: "/admin/subjects", ADMINS, 200),
    Row("results.subjects", "POST", lambda w: "/admin/subjects", ADMINS),
    Row("results.add_defaults", "POST", lambda w: "/admin/subjects/defaults", ADMINS),
    Row("results.subject", "GET", lambda w: f"/admin/subjects/{w.subject_id}", ADMINS, 200),
    Row("results.subject", "POST", lambda w: f"/admin/subjects/{w.subject_id}", ADMINS),
    Row(
        "results.class_subjects",
        "GET",
        lambda w: f"/admin/classes/{w.school_class.id}/subjects",
        ADMINS,
        200,
    ),
    Row(
        "results.class_subjects",
        "POST",
        lambda w: f"/admin/classes/{w.school_class.id}/subjects",
        ADMINS,
    ),
    Row(
        "results.remove_subject_teacher",
        "POST",
        lambda w: f"/admin/classes/{w.school_class.id}/subjects/remove",
        ADMINS,
    ),
    Row(
        "children.child",
        "GET",
        _child,
        frozenset({"teacher_a", "social_worker_a", "committee_a"}),
        200,
    ),
    Row(
        "children.child_timeline",
        "GET",
        lambda w: f"/children/{w.child.id}/timeline",
        frozenset({"teacher_a", "social_worker_a", "committee_a"}),
        200,
    ),
    # The review summary is casework: the child's social worker and the district's committee.
    Row(
        "children.review_summary",
        "GET",
        lambda w: f"/children/{w.child.id}/review",
        frozenset({"social_worker_a", "committee_a"}),
        200,
    ),
    # Education plans and language support: the child's class teacher writes; the child's
    # social worker and the district's committee read; administrators see none of it.
    Row("plans.plan", "GET", lambda w: f"{_child(w)}/plan", READERS, 200),
    Row("plans.goal", "GET", lambda w: f"{_child(w)}/plan/language", CLASS_TEACHER, 200),
    Row("plans.goal", "POST", lambda w: f"{_child(w)}/plan/language", CLASS_TEACHER, 303, GOAL),
    Row("plans.review", "POST", lambda w: f"{_child(w)}/plan/reviews", CLASS_TEACHER, 303, REVIEW),
    Row("plans.language_page", "GET", lambda w: f"{_child(w)}/language", READERS, 200),
    Row("plans.level", "POST", lambda w: f"{_child(w)}/language/level", CLASS_TEACHER, 303, LEVEL),
    Row(
        "plans.session",
        "POST",
        lambda w: f"{_child(w)}/language/sessions",
        CLASS_TEACHER,
        303,
        SESSION,
    ),
    Row(
        "casework.caseload",
        "GET",
        lambda w: "/caseload",
        frozenset({"social_worker_a", "social_worker_b"}),
        200,
    ),
    Row(
        "children.district",
        "GET",
        lambda w: "/district",
        frozenset({"committee_a", "committee_b"}),
        200,
    ),
    # The district's indicators: the committee's only, each member their own district's.
    Row("indicators.index", "GET", lambda w: "/indicators", COMMITTEE, 200),
    # Their exports likewise: the figures, and the list of followed children (posted, with
    # the passphrase of its archive).
    Row("indicators.export", "GET", lambda w: "/indicators/export?format=csv", COMMITTEE, 200),
    Row(
        "indicators.children_export",
        "POST",
        lambda w: "/indicators/children",
        COMMITTEE,
        200,
        {"passphrase": "a passphrase of the test", "format": "csv"},
    ),
    # A search by name is posted (a name is never in a URL): the committee's only.
    Row(
        "children.district",
        "POST",
        lambda w: "/district",
        frozenset({"committee_a", "committee_b"}),
        200,
        {"name": "Тестов", "sort": "followed"},
    ),
    # The background, consent and case are the case worker's to write (the committee reads).
    Row(
        "casefile.background",
        "POST",
        lambda w: f"{_child(w)}/background",
        CASE_WORKER,
        303,
        {"version": "0"},
    ),
    Row(
        "casefile.consents",
        "POST",
        lambda w: f"{_child(w)}/consents",
        CASE_WORKER,
        303,
        {"given_on": "2026-11-02", "scope": "schooling", "representative": "mother"},
    ),
    Row(
        "casefile.withdraw",
        "POST",
        lambda w: f"{_child(w)}/consents/{w.consent_id}/withdraw",
        CASE_WORKER,
        303,
        {"withdrawn_on": "2026-11-18"},
    ),
    Row(
        "casefile.case",
        "POST",
        lambda w: f"{_child(w)}/case",
        CASE_WORKER,
        303,
        {"action": "close", "closed_on": "2026-11-18"},
    ),
    # Incidents: reported by the child's teacher or social worker, followed up by the social
    # worker, read by the committee of the district; the reporter sees their own report.
    Row("incidents.new", "GET", lambda w: f"{_child(w)}/incidents/new", REPORTERS, 200),
    # The phone's one copy of the form names only the person's own children (test_incidents).
    Row("incidents.new_on_phone", "GET", lambda w: "/incidents/new", CASE_STAFF, 200),
    Row("incidents.new", "POST", lambda w: f"{_child(w)}/incidents/new", REPORTERS, 303, REPORT),
    Row("incidents.mine", "GET", lambda w: "/incidents/mine", TEACHERS, 200),
    Row(
        "incidents.caseload",
        "GET",
        lambda w: "/incidents",
        frozenset({"social_worker_a", "social_worker_b"}),
        200,
    ),
    Row(
        "incidents.incident",
        "GET",
        _incident,
        frozenset({"teacher_a", "social_worker_a", "committee_a"}),
        200,
    ),
    Row(
        "incidents.action",
        "POST",
        lambda w: f"{_incident(w)}/action",
        CASE_WORKER,
        303,
        {"note": "Talked with the class."},
    ),
    Row(
        "incidents.referral",
        "POST",
        lambda w: f"{_incident(w)}/referral",
        CASE_WORKER,
        303,
        {"referral_to": "psychologist"},
    ),
    Row(
        "incidents.status",
        "POST",
        lambda w: f"{_incident(w)}/status",
        CASE_WORKER,
        303,
        {"version": "1", "status_to": "in_progress"},
    ),
    Row(
        "incidents.review",
        "GET",
        lambda w: "/review",
        frozenset({"committee_a", "committee_b"}),
        301,  # to the committee's due list
    ),
    # The committee's review cycle: committee members only; a meeting is its district's only.
    Row("committee.due_list", "GET", lambda w: "/committee/due", COMMITTEE, 200),
    Row("committee.settings", "GET", lambda w: "/committee/settings", COMMITTEE, 200),
    Row(
        "committee.settings",
        "POST",
        lambda w: "/committee/settings",
        COMMITTEE,
        303,
        {"months": "4"},
    ),
    Row("committee.meetings", "GET", lambda w: "/meetings", COMMITTEE, 200),
    Row("committee.new_meeting", "GET", lambda w: "/meetings/new", COMMITTEE, 200),
    Row("committee.new_meeting", "POST", lambda w: "/meetings/new", COMMITTEE, 303, MEETING),
    Row("committee.meeting", "GET", _meeting, COMMITTEE_A, 200),
    Row("committee.edit_meeting", "GET", lambda w: f"{_meeting(w)}/edit", COMMITTEE_A, 200),
    # The minutes, a PDF naming the agenda's children: the meeting's district's committee only.
    Row("committee.minutes_pdf", "GET", lambda w: f"{_meeting(w)}/minutes.pdf", COMMITTEE_A, 200),
    Row(
        "committee.edit_meeting", "POST", lambda w: f"{_meeting(w)}/edit", COMMITTEE_A, 303, MEETING
    ),
    Row(
        "committee.add_to_agenda",
        "POST",
        lambda w: f"{_meeting(w, agenda=False)}/agenda",
        COMMITTEE_A,
        303,
        lambda w: {"child_id": str(w.child.id)},
    ),
    Row(
        "committee.move_agenda_item",
        "POST",
        lambda w: f"{_agenda_item(w)}/move",
        COMMITTEE_A,
        303,
        {"direction": "down"},
    ),
    Row(
        "committee.remove_agenda_item",
        "POST",
        lambda w: f"{_agenda_item(w)}/remove",
        COMMITTEE_A,
        303,
    ),
    # Follow-through: a task is its social worker's (or its school's class teacher's) to see
    # and mark; the committee reads tasks only on the review summary; administrators none.
    Row("tasks.index", "GET", lambda w: "/tasks", ASSIGNEES, 200),
    Row("tasks.task", "GET", _task, CASE_WORKER, 200),
    Row("tasks.task", "GET", _school_task, CLASS_TEACHER, 200),
    Row("tasks.mark", "POST", lambda w: f"{_task(w)}/mark", CASE_WORKER, 303, MARK),
    Row("tasks.mark", "POST", lambda w: f"{_school_task(w)}/mark", CLASS_TEACHER, 303, MARK),
    Row("committee.decision", "GET", _decision, COMMITTEE_A, 200),
    Row("committee.decision", "POST", _decision, COMMITTEE_A, 303, DECISION),
    # Placements and visit reports: the case worker writes, the committee reads a report;
    # teachers never reach any of it.
    Row("casework.new_placement", "GET", lambda w: f"{_child(w)}/placements/new", CASE_WORKER, 200),
    Row(
        "casework.new_placement",
        "POST",
        lambda w: f"{_child(w)}/placements/new",
        CASE_WORKER,
        303,
        {"kind": "mother", "starts_on": "2026-11-02", "monthly_months": "6"}
        | {"then_every_months": "3"},
    ),
    Row("casework.new_visit", "GET", lambda w: f"{_child(w)}/visits/new", CASE_WORKER, 200),
    Row("casework.new_visit", "POST", lambda w: f"{_child(w)}/visits/new", CASE_WORKER),
    Row("casework.visit", "GET", _report, frozenset({"social_worker_a", "committee_a"}), 200),
    Row("casework.edit_visit", "GET", lambda w: f"{_report(w)}/edit", CASE_WORKER, 200),
    Row("casework.edit_visit", "POST", lambda w: f"{_report(w)}/edit", CASE_WORKER),
    Row("casework.visit_conflicts", "GET", lambda w: f"{_report(w)}/conflicts", CASE_WORKER, 200),
    Row(
        "casework.resolve_conflict",
        "POST",
        lambda w: f"{_report(w)}/conflicts",
        CASE_WORKER,
        303,
        {"field-present": "device", "conflict": str(WORLD_CONFLICT_ID)},
    ),
    Row("auth.logout", "POST", lambda w: "/logout", EVERYONE, 303),
    Row("auth.security", "GET", lambda w: "/account/security", EVERYONE, 200),
    Row("auth.two_factor_setup", "GET", lambda w: "/account/two-factor", EVERYONE),
    Row("auth.two_factor_setup", "POST", lambda w: "/account/two-factor", EVERYONE),
    # Only where two-factor is optional (teachers, by default) may a person turn it off.
    Row("auth.two_factor_off", "POST", lambda w: "/account/two-factor/off", TEACHERS, refused=403),
    Row(
        "auth.recovery_codes_new", "POST", lambda w: "/account/two-factor/recovery-codes", EVERYONE
    ),
    Row("sync.offline_pages", "GET", lambda w: "/api/offline-pages", EVERYONE, 200),
    Row("sync.sync", "POST", lambda w: "/api/sync", EVERYONE, 200),
] + [
    # A roster file being imported is its own administrator's only.
    Row(
        endpoint,
        method,
        _admin(path),
        frozenset({"admin_a"}) if "{upload}" in path else ADMINS,
        status,
    )
    for endpoint, method, path, status in ADMIN_PAGES
]


def cases() -> list[tuple[Row, str]]:
    return [(row, person) for row in TABLE for person in PEOPLE]


def case_id(case: tuple[Row, str]) -> str:
    row, person = case
    return f"{row.method} {row.endpoint} as {person}"
