"""National-scale benchmark data: one big district, written with set-based SQL on PostgreSQL.

    .venv/bin/python -m scripts.bench.national --database-url postgresql+psycopg://… \\
        --children 50000 --classes 2000 --school-days 210 --password '…'

Adds "Benchmark district" to a migrated database; rows already there (the demo district) are
left alone. Every row is derived from generate_series numbers and hashes of them
(hashint8extended, the stable hash of hash partitioning), so the same seed gives the same
district, apart from the random UUIDs. One transaction, then VACUUM (ANALYZE). The indexes of
attendance_mark are rebuilt inside it: the table is locked until the end (a few minutes).
"""

import argparse
import json
import math
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Connection, Engine, text

from app.attendance.calendar import Calendar, academic_year_of, academic_year_start
from app.auth.passwords import hash_password
from app.casework.models import CHECKS, PlacementKind
from app.core import clock
from app.demo import names as kk
from app.demo.results import FIRST_GRADE_COMMENTS
from app.i18n.transliteration import search_key
from app.incidents.services import SERIOUS_INCIDENT
from app.results.services import BANDS, UNMARKED_GRADE
from app.results.subjects import DEFAULT_SUBJECTS

DISTRICT = "Benchmark district"
REGION = "Benchmark region"
DOMAIN = "bench.example"
CLASSES_PER_SCHOOL = 10  # at most 11: each class of a school has its own grade
CHILDREN_PER_WORKER = 100
CASELOAD_EVERY = 4  # one child in four of a worker's hundred: a caseload of 25, as in the demo
LETTERS = ["А", "Ә", "Б", "В", "Г", "Д"]
LANGUAGES = ["kk", "ru", "ar", "en"]
PLACEMENT_KINDS = 4 * ["mother"] + 3 * ["relatives"] + ["guardianship", "foster_family"]
PLACEMENT_KINDS += ["adoption", "facility"]
EXCUSES = ["Ауырып қалды", "Дәрігердің анықтамасы", "Отбасылық жағдай"]
ABSENCE_REASON = "Себебі белгісіз"
MARK_TIME = (8, 30)  # local time of the roll call
# 50,000 children and 210 school days: the 10.5 million marks, reaching back before the
# academic year the app looks back on (about 170 school days in a year).
SCHOOL_DAYS = 210
EARLIER_YEARS = 2  # academic years before this one whose terms may be added for the days

RU_BOYS = ["Александр", "Дмитрий", "Максим", "Иван", "Артём", "Никита", "Михаил", "Егор"]
RU_GIRLS = ["Анастасия", "Мария", "Дарья", "Алина", "Екатерина", "Виктория", "Полина", "Софья"]
RU_SURNAMES = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Морозов"]
RU_SURNAMES += ["Волков", "Лебедев", "Новиков", "Фёдоров", "Павлов"]
RU_FATHERS = [("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"), ("Олегович", "Олеговна")]
RU_FATHERS += [("Игоревич", "Игоревна"), ("Николаевич", "Николаевна")]
RU_FATHERS += [("Викторович", "Викторовна"), ("Владимирович", "Владимировна")]

# A number in 0..m-1 from a hash of a row number: `(hashint8extended(x, :seed + k) & MASK) % m`,
# where k keeps each choice independent of the others.
SQL_NAMES = """
CREATE TEMP TABLE bench_name ON COMMIT DROP AS
SELECT * FROM unnest(CAST(:lang AS text[]), CAST(:sex AS text[]), CAST(:m AS int[]),
                     CAST(:given AS text[]), CAST(:family AS text[]),
                     CAST(:patronymic AS text[]), CAST(:key AS text[]))
    AS t(lang, sex, m, given, family, patronymic, search_key)
"""
SQL_PEOPLE = """
CREATE TEMP TABLE bench_user ON COMMIT DROP AS
SELECT p.n, p.role, gen_random_uuid() AS id, p.email, nm.given || ' ' || nm.family AS name,
       (CAST(:languages AS text[]))[1 + (p.n - 1) % 4] AS lang, CAST(NULL AS text) AS district
FROM (SELECT n, 'teacher' AS role, 'teacher' || n || '@' || :domain AS email
      FROM generate_series(1, :teachers) AS n
      UNION ALL
      SELECT n, 'social_worker', 'worker' || n || '@' || :domain
      FROM generate_series(1, :workers) AS n) AS p
JOIN bench_name AS nm
  ON nm.lang = CASE WHEN p.n % 2 = 0 THEN 'ru' ELSE 'kk' END
 AND nm.sex = CASE WHEN p.n % 3 = 0 THEN 'M' ELSE 'F' END
 AND nm.m = p.n % :name_count
"""
SQL_OFFICIALS = """
INSERT INTO bench_user (n, role, id, email, name, lang, district) VALUES
    (1, 'committee_member', gen_random_uuid(), 'committee@' || :domain,
     'Сәуле Бекова', 'ru', :district),
    (1, 'administrator', gen_random_uuid(), 'admin@' || :domain, 'Марат Әлиев', 'ru', NULL)
"""
# The roles that must use two-factor authentication have it on, all with one secret
# (TWO_FACTOR_SECRET: the benchmark computes their codes from it, as an authenticator would).
SQL_USERS = """
INSERT INTO "user" (id, email, display_name, preferred_language, role, active, password_hash,
                    district, totp_secret, totp_enabled_at, created_at, updated_at)
SELECT id, email, name, lang, role, true, :password_hash, district,
       CASE WHEN role = 'teacher' THEN NULL ELSE :totp_secret END,
       CASE WHEN role = 'teacher' THEN NULL ELSE CAST(:now AS timestamptz) END, :now, :now
FROM bench_user ORDER BY role, n
"""
TWO_FACTOR_SECRET = "QADAMBENCHMARKQADAMBENCHMARKQADA"  # noqa: S105 - benchmark data only
SQL_SCHOOLS = """
CREATE TEMP TABLE bench_school ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id FROM generate_series(1, :schools) AS n
"""
SQL_SCHOOL_ROWS = """
INSERT INTO school (id, name, district, region, created_at, updated_at)
SELECT id, 'Benchmark school ' || n, :district, :region, :now, :now FROM bench_school ORDER BY n
"""
# Class n is in school (n - 1) / 10 + 1; ten consecutive n have ten different grades.
SQL_CLASSES = """
CREATE TEMP TABLE bench_class ON COMMIT DROP AS
SELECT g.n, gen_random_uuid() AS id, (g.n - 1) / :per_school + 1 AS school_n,
       1 + (g.n - 1) % 11 AS grade,
       (CAST(:letters AS text[]))[1 + ((g.n - 1) / 11) % cardinality(CAST(:letters AS text[]))]
           AS letter,
       CASE WHEN g.n % 3 = 0 THEN 'ru' ELSE 'kk' END AS lang, t.id AS teacher_id
FROM generate_series(1, :classes) AS g (n)
JOIN bench_user AS t ON t.role = 'teacher' AND t.n = g.n
"""
SQL_CLASS_ROWS = """
INSERT INTO school_class (id, school_id, grade, letter, language_of_instruction, academic_year,
                          created_at, updated_at)
SELECT c.id, s.id, c.grade, c.letter, c.lang, :year, :now, :now
FROM bench_class AS c JOIN bench_school AS s ON s.n = c.school_n ORDER BY c.n
"""
SQL_CLASS_TEACHERS = (
    "INSERT INTO class_teacher (class_id, user_id) SELECT id, teacher_id FROM bench_class"
)
# Children 1..N in class order: child n is in class 1 + (n - 1) * classes / children.
SQL_CHILDREN = """
CREATE TEMP TABLE bench_child ON COMMIT DROP AS
SELECT g.n, gen_random_uuid() AS id, k.id AS class_id, k.teacher_id, k.grade, k.lang,
       CASE WHEN (hashint8extended(g.n, :seed) & 1) = 0 THEN 'F' ELSE 'M' END AS sex
FROM generate_series(1, :children) AS g (n)
JOIN bench_class AS k ON k.n = 1 + (CAST(g.n AS bigint) - 1) * :classes / :children
ORDER BY g.n
"""
SQL_CHILD_ROWS = """
INSERT INTO child (id, given_name, family_name, patronymic, birth_date, sex, class_id,
                   home_languages, needs_language_support, version, search_key,
                   created_at, updated_at)
SELECT b.id, nm.given, nm.family, nm.patronymic,
       make_date(:start_year - b.grade - 6, 9, 1)
           + ((hashint8extended(b.n, :seed + 1) & 1073741823) % 365)::int,
       b.sex, b.class_id,
       CASE WHEN s.support THEN 'ar,' || b.lang ELSE b.lang END, s.support, 1, nm.search_key,
       :now, :now
FROM bench_child AS b
CROSS JOIN LATERAL (SELECT (hashint8extended(b.n, :seed + 2) & 1073741823) % 10 = 0
                        AS support) AS s
JOIN bench_name AS nm
  ON nm.lang = b.lang AND nm.sex = b.sex
 AND nm.m = (hashint8extended(b.n, :seed + 3) & 1073741823) % :name_count
ORDER BY b.n
"""
SQL_ENROLMENTS = """
INSERT INTO enrolment (child_id, class_id, starts_on)
SELECT id, class_id, :year_start FROM bench_child ORDER BY n
"""
# One day's roll call for every child: 6 % absent, 2 % late, 2 % excused, the rest present.
SQL_MARKS = """
INSERT INTO attendance_mark (id, child_id, class_id, day, status, reason, recorded_by_id,
                             recorded_at, received_at, version)
SELECT gen_random_uuid(), b.id, b.class_id, :day,
       CASE WHEN r.roll < 6 THEN 'absent' WHEN r.roll < 8 THEN 'late'
            WHEN r.roll < 10 THEN 'excused' ELSE 'present' END,
       CASE WHEN r.roll < 6 AND r.roll % 3 = 0 THEN :absence_reason
            WHEN r.roll BETWEEN 8 AND 9
            THEN (CAST(:excuses AS text[]))
                     [1 + (b.n + :day_n) % cardinality(CAST(:excuses AS text[]))]
       END,
       b.teacher_id, :at, :at, 1
FROM bench_child AS b
CROSS JOIN LATERAL (SELECT (hashint8extended(b.n * 1000 + :day_n, :seed + 4) & 1073741823) % 100
                        AS roll) AS r
ORDER BY b.n
"""
# The table's primary and unique keys and foreign keys, and the foreign keys of other tables
# that point at it (dropped first, added back last), with their definitions.
SQL_KEYS_OF = """
SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
FROM pg_constraint
WHERE (conrelid = CAST(:t AS regclass) AND contype IN ('p', 'u', 'f'))
   OR (confrelid = CAST(:t AS regclass) AND conrelid <> confrelid AND contype = 'f')
ORDER BY confrelid = CAST(:t AS regclass) DESC, contype = 'f' DESC, conname
"""
# Its other indexes: those that back no constraint of the table.
SQL_INDEXES_OF = """
SELECT quote_ident(i.relname), pg_get_indexdef(i.oid)
FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
WHERE x.indrelid = CAST(:t AS regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c
                  WHERE c.conrelid = x.indrelid AND c.conindid = x.indexrelid)
ORDER BY i.relname
"""
SQL_CASELOAD = """
CREATE TEMP TABLE bench_case ON COMMIT DROP AS
SELECT b.n, b.id AS child_id, w.id AS worker_id, gen_random_uuid() AS placement_id,
       CAST(:today AS date) - (60 + (hashint8extended(b.n, :seed + 5) & 1073741823) % 540)::int
           AS starts_on,
       (CAST(:kinds AS text[]))[(1 + (hashint8extended(b.n, :seed + 6) & 1073741823)
                                     % cardinality(CAST(:kinds AS text[])))::int] AS kind
FROM bench_child AS b
JOIN bench_user AS w ON w.role = 'social_worker' AND w.n = 1 + (b.n - 1) / :per_worker
WHERE (b.n - 1) % :every = 0
ORDER BY b.n
"""
SQL_CASELOAD_ROWS = (
    "INSERT INTO caseload (user_id, child_id) SELECT worker_id, child_id FROM bench_case"
)
SQL_PLACEMENTS = """
INSERT INTO placement (id, child_id, kind, starts_on, district, social_worker_id,
                       monthly_months, then_every_months, created_by_id, created_at, version)
SELECT placement_id, child_id, kind, starts_on, :district, worker_id, 6, 3, worker_id,
       (starts_on + time '10:00') AT TIME ZONE :tz, 1
FROM bench_case ORDER BY n
"""
# A visit for one placement in ten, in the last two months; one visit in five found a concern
# about one item of the checklist (concern = 1..7, in the order of the form).
SQL_VISITS = """
INSERT INTO visit_report (
    id, child_id, placement_id, kind, visited_on, present,
    {check_columns}, outcome, next_visit_on,
    author_id, created_at, updated_by_id, updated_at, version)
SELECT gen_random_uuid(), c.child_id, c.placement_id,
       (ARRAY['home_visit', 'home_visit', 'home_visit', 'school_visit', 'phone_call'])[1 + v.x % 5],
       v.visited_on, 'Бала, қамқоршысы',
       {check_values},
       CASE WHEN v.concern BETWEEN 1 AND {checks} THEN 'follow_up' ELSE 'no_concerns' END,
       CASE WHEN v.concern BETWEEN 1 AND {checks} THEN v.visited_on + 14 END,
       c.worker_id, v.at, c.worker_id, v.at, 1
FROM bench_case AS c
CROSS JOIN LATERAL (SELECT (hashint8extended(c.n, :seed + 7) & 1073741823)::int AS x) AS h
CROSS JOIN LATERAL (SELECT h.x, CAST(:today AS date) - (7 + h.x % 50) AS visited_on,
                           (h.x / 10) % 35 AS concern,
                           ((CAST(:today AS date) - (7 + h.x % 50)) + time '16:00')
                               AT TIME ZONE :tz AS at) AS v
WHERE h.x % 10 = 0
ORDER BY c.n
"""
# Each item of the visit checklist (the app's own list): rated "concern", with a note, in the
# visits whose `concern` number is its place in the list; "fine" otherwise.
SQL_VISITS = SQL_VISITS.format(
    check_columns=", ".join(f"{item}_rating, {item}_note" for item in CHECKS),
    check_values=",\n       ".join(
        f"CASE WHEN v.concern = {n} THEN 'concern' ELSE 'fine' END, "
        f"CASE WHEN v.concern = {n} THEN :note ELSE '' END"
        for n, _item in enumerate(CHECKS, start=1)
    ),
    checks=len(CHECKS),
)
# The visits before those, for the indicators (issue 15): each placement's schedule (monthly
# for six months, then every three), a few days early or late, one visit in eight missed, up
# to a week ago or a week before the placement's last visit above. Visits stay the latest
# where they were.
SQL_VISIT_HISTORY = """
INSERT INTO visit_report (
    id, child_id, placement_id, kind, visited_on, present,
    {check_columns}, outcome, next_visit_on,
    author_id, created_at, updated_by_id, updated_at, version)
SELECT gen_random_uuid(), c.child_id, c.placement_id,
       (ARRAY['home_visit', 'home_visit', 'home_visit', 'school_visit', 'phone_call'])[1 + v.y % 5],
       v.visited_on, 'Бала, қамқоршысы',
       {fine_values},
       'no_concerns', NULL,
       c.worker_id, v.at, c.worker_id, v.at, 1
FROM bench_case AS c
CROSS JOIN LATERAL (SELECT (hashint8extended(c.n, :seed + 7) & 1073741823)::int AS x) AS h
CROSS JOIN generate_series(1, 24) AS k
CROSS JOIN LATERAL (
    SELECT (hashint8extended(c.n * 100 + k, :seed + 11) & 1073741823)::int AS y) AS r
CROSS JOIN LATERAL (
    SELECT r.y,
           c.starts_on + CASE WHEN k <= 6 THEN 30 * k ELSE 180 + 91 * (k - 6) END
               + (r.y % 11 - 4) AS visited_on) AS d
CROSS JOIN LATERAL (SELECT d.y, d.visited_on,
                           (d.visited_on + time '15:00') AT TIME ZONE :tz AS at) AS v
WHERE r.y % 8 <> 0
  AND v.visited_on < CAST(:today AS date) - 7
  AND (h.x % 10 <> 0 OR v.visited_on < CAST(:today AS date) - (14 + h.x % 50))
ORDER BY v.visited_on, c.n
"""
SQL_VISIT_HISTORY = SQL_VISIT_HISTORY.format(
    check_columns=", ".join(f"{item}_rating, {item}_note" for item in CHECKS),
    fine_values=", ".join("'fine', ''" for _item in CHECKS),
)
# Placements before the current one, for the indicators' changes (issue 15): one child in five
# of the caseloads lived somewhere else first, for three to thirteen months, until the day the
# current placement began.
SQL_EARLIER_PLACEMENTS = """
INSERT INTO placement (id, child_id, kind, starts_on, ends_on, district, social_worker_id,
                       monthly_months, then_every_months, created_by_id, created_at, version)
SELECT gen_random_uuid(), c.child_id,
       (CAST(:each_kind AS text[]))
           [1 + (array_position(CAST(:each_kind AS text[]), c.kind) + (h.x / 5) % 5) % 6],
       c.starts_on - (90 + (h.x / 5) % 300), c.starts_on, :district, c.worker_id, 6, 3,
       c.worker_id, ((c.starts_on - (90 + (h.x / 5) % 300)) + time '10:00') AT TIME ZONE :tz, 1
FROM bench_case AS c
CROSS JOIN LATERAL (SELECT (hashint8extended(c.n, :seed + 9) & 1073741823)::int AS x) AS h
WHERE h.x % 5 = 0
ORDER BY c.n
"""
# The follow-up ended over the last year for one child in twenty-five of the caseloads.
SQL_CASES_CLOSED = """
UPDATE child SET case_closed_on = CAST(:today AS date) - (5 + (h.x / 25) % 330)
FROM bench_case AS c
CROSS JOIN LATERAL (SELECT (hashint8extended(c.n, :seed + 10) & 1073741823)::int AS x) AS h
WHERE child.id = c.child_id AND h.x % 25 = 0
"""
# An incident for one child in fifty of the caseloads, reported by their social worker, in the
# last two months, resolved (where it is) two days later.
SQL_INCIDENTS = """
CREATE TEMP TABLE bench_incident ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, c.n, c.child_id, c.worker_id, x.occurred_on,
       (x.occurred_on + time '16:00') AT TIME ZONE :tz AS reported_at,
       (ARRAY['open', 'in_progress', 'resolved'])[1 + (h.x / 50) % 3] AS status,
       (ARRAY['low', 'medium', 'serious'])[1 + (h.x / 150) % 3] AS severity, h.x, 2 AS days
FROM bench_case AS c
CROSS JOIN LATERAL (SELECT (hashint8extended(c.n, :seed + 8) & 1073741823)::int AS x) AS h
CROSS JOIN LATERAL (SELECT CAST(:today AS date) - (3 + h.x % 60) AS occurred_on) AS x
WHERE h.x % 50 = 0
ORDER BY c.n
"""
# And the year before those two months, for the indicators (issue 15): one child in twelve of
# the caseloads, most incidents resolved, after 2 to 46 days.
SQL_EARLIER_INCIDENTS = """
INSERT INTO bench_incident (id, n, child_id, worker_id, occurred_on, reported_at, status,
                            severity, x, days)
SELECT gen_random_uuid(), c.n, c.child_id, c.worker_id, x.occurred_on,
       (x.occurred_on + time '17:00') AT TIME ZONE :tz,
       (ARRAY['open', 'in_progress', 'resolved', 'resolved', 'resolved', 'resolved'])
           [1 + (h.x / 12) % 6],
       (ARRAY['low', 'low', 'medium', 'serious'])[1 + (h.x / 72) % 4], h.x,
       2 + (h.x / 288) % 45
FROM bench_case AS c
CROSS JOIN LATERAL (SELECT (hashint8extended(c.n, :seed + 12) & 1073741823)::int AS x) AS h
CROSS JOIN LATERAL (SELECT CAST(:today AS date) - (63 + h.x % 330) AS occurred_on) AS x
WHERE h.x % 12 = 0
ORDER BY c.n
"""
SQL_INCIDENT_ROWS = """
INSERT INTO incident (id, child_id, reported_by_id, reported_at, occurred_on, place, involved,
                      what_happened, severity, immediate_action, status, version)
SELECT id, child_id, worker_id, reported_at, occurred_on,
       (ARRAY['classroom', 'school_grounds', 'online', 'neighbourhood', 'public_service'])
           [1 + (x / 450) % 5],
       (ARRAY['peers', 'peers,other_parents', 'school_staff', 'neighbours', 'officials'])
           [1 + (x / 2250) % 5],
       (ARRAY['verbal', 'verbal,exclusion', 'exclusion', 'online,disclosure', 'service_refused'])
           [1 + (x / 11250) % 5],
       severity, '', status,
       CASE status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END
FROM bench_incident ORDER BY n
"""
# The history the app writes: reported, then each change of status, a day apart.
SQL_INCIDENT_EVENTS = """
INSERT INTO incident_event (incident_id, at, by_id, kind, status_to, note)
SELECT id, reported_at, worker_id, 'reported', NULL, '' FROM bench_incident
UNION ALL
SELECT id, reported_at + interval '1 day', worker_id, 'status', 'in_progress', ''
FROM bench_incident WHERE status <> 'open'
UNION ALL
SELECT id, reported_at + make_interval(days => days), worker_id, 'status', 'resolved', ''
FROM bench_incident WHERE status = 'resolved'
ORDER BY 2, 1
"""
SQL_REVIEW_ITEMS = """
INSERT INTO review_item (child_id, reason, incident_id, added_at)
SELECT child_id, :reason, id, reported_at FROM bench_incident WHERE severity = 'serious'
ORDER BY reported_at
"""
# -- the school record and the committee, for the indicators (issue 15)

SQL_SUBJECTS = """
INSERT INTO subject (id, code, position, grade_from, grade_to, name_en, name_kk, name_ru,
                     name_ar)
VALUES (gen_random_uuid(), :code, :position, :first, :last, :en, :kk, :ru, :ar)
ON CONFLICT (code) DO NOTHING
"""
# The terms of the days marked, begun by today, numbered from 0 in order.
SQL_TERMS = """
CREATE TEMP TABLE bench_term ON COMMIT DROP AS
SELECT id, starts_on, ends_on, CAST(row_number() OVER (ORDER BY starts_on) - 1 AS int) AS number
FROM term WHERE starts_on <= :today AND ends_on >= :first_day
"""
# A result in each subject of the child's grade for each term over: a usual percentage of the
# child's (one in twelve finds school hard; those learning the language start lower and gain
# twelve points a term), give or take eight, and its mark by the official bands; grade 1 a
# comment only. As the demo's (app/demo/results.py), in SQL.
SQL_RESULTS = """
INSERT INTO term_result (id, child_id, subject_id, term_id, class_id, percentage, mark, comment,
                         recorded_by_id, recorded_at, received_at, version)
SELECT gen_random_uuid(), b.id, s.id, t.id, b.class_id,
       CASE WHEN b.grade <> {unmarked} THEN p.percentage END,
       CASE WHEN b.grade <> {unmarked} THEN {mark} END,
       CASE WHEN b.grade = {unmarked}
            THEN (CAST(:comments AS text[]))
                     [1 + (b.n + t.number) % cardinality(CAST(:comments AS text[]))]
       END,
       b.teacher_id, (t.ends_on + time '10:00') AT TIME ZONE :tz,
       (t.ends_on + time '10:00') AT TIME ZONE :tz, 1
FROM bench_child AS b
CROSS JOIN LATERAL (
    SELECT (hashint8extended(b.n, :seed + 2) & 1073741823) % 10 = 0 AS support,
           (hashint8extended(b.n, :seed + 13) & 1073741823) % 100 AS luck,
           (hashint8extended(b.n, :seed + 14) & 1073741823)::int AS y) AS c
CROSS JOIN LATERAL (
    SELECT CASE WHEN c.luck < 8 THEN 30 + c.y % 21 WHEN c.support THEN 45 + c.y % 21
                ELSE 70 + c.y % 26 END AS usual) AS u
JOIN subject AS s ON b.grade BETWEEN s.grade_from AND s.grade_to
JOIN bench_term AS t ON t.ends_on < :today
CROSS JOIN LATERAL (
    SELECT greatest(0, least(100, u.usual + CASE WHEN c.support THEN 12 * t.number ELSE 0 END
           + (hashint8extended(b.n * 1000 + t.number * 50 + s.position, :seed + 15)
              & 1073741823)::int % 17 - 8)) AS percentage) AS p
ORDER BY t.starts_on, b.class_id, s.position, b.n
"""
SQL_RESULTS = SQL_RESULTS.format(
    unmarked=UNMARKED_GRADE,
    mark="CASE "
    + " ".join(f"WHEN p.percentage >= {lowest} THEN {mark}" for lowest, mark in BANDS)
    + " END",
)
# The level in the language of instruction of the children learning it, every term begun:
# from 1-3, one level up about every two terms, up to 5.
SQL_LANGUAGE_LEVELS = """
INSERT INTO language_level (id, child_id, term_id, language, level, recorded_by_id, recorded_at,
                            version)
SELECT gen_random_uuid(), b.id, t.id, b.lang,
       least(5, 1 + c.y % 3 + (t.number + (c.y / 3) % 2) / 2), b.teacher_id,
       (least(t.ends_on, CAST(:today AS date) - 1) + time '12:00') AT TIME ZONE :tz, 1
FROM bench_child AS b
CROSS JOIN LATERAL (
    SELECT (hashint8extended(b.n, :seed + 16) & 1073741823)::int AS y) AS c
CROSS JOIN bench_term AS t
WHERE (hashint8extended(b.n, :seed + 2) & 1073741823) % 10 = 0
ORDER BY t.starts_on, b.n
"""
# A review meeting every fortnight of the last year; each child of the caseloads reviewed at
# every sixth (about every three months, the default interval) once placed; one decision in
# twenty corrected an hour later; up to two actions each, followed through as tasks.
SQL_MEETINGS = """
CREATE TEMP TABLE bench_meeting ON COMMIT DROP AS
SELECT k, gen_random_uuid() AS id, CAST(:today AS date) - 14 * k AS held_on
FROM generate_series(1, :meetings) AS k
"""
SQL_MEETING_ROWS = """
INSERT INTO committee_meeting (id, district, held_on, place, language, chair_id, created_by_id,
                               created_at)
SELECT m.id, :district, m.held_on, 'Аудандық әкімдік, 12-кабинет', 'kk', u.id, u.id,
       ((m.held_on - 14) + time '09:00') AT TIME ZONE :tz
FROM bench_meeting AS m JOIN bench_user AS u ON u.role = 'committee_member'
ORDER BY m.held_on
"""
SQL_MEETING_MEMBERS = """
INSERT INTO committee_meeting_member (meeting_id, user_id)
SELECT m.id, u.id FROM bench_meeting AS m JOIN bench_user AS u ON u.role = 'committee_member'
"""
SQL_DECISIONS = """
CREATE TEMP TABLE bench_decision ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, c.n, c.child_id, c.worker_id, m.id AS meeting_id, m.held_on,
       (hashint8extended(c.n * 100 + m.k, :seed + 17) & 1073741823)::int AS x,
       CAST(NULL AS uuid) AS corrects_id, (m.held_on + time '11:30') AT TIME ZONE :tz AS at
FROM bench_case AS c
JOIN bench_meeting AS m
  ON m.k % 6 = (hashint8extended(c.n, :seed + 18) & 1073741823) % 6
 AND m.held_on >= c.starts_on
"""
SQL_CORRECTIONS = """
INSERT INTO bench_decision (id, n, child_id, worker_id, meeting_id, held_on, x, corrects_id, at)
SELECT gen_random_uuid(), n, child_id, worker_id, meeting_id, held_on,
       (hashint8extended(x, :seed + 19) & 1073741823)::int, id, at + interval '1 hour'
FROM bench_decision WHERE x % 20 = 0
"""
SQL_DECISION_ROWS = """
INSERT INTO committee_decision (id, meeting_id, child_id, outcome, service, note,
                                next_review_on, recorded_by_id, recorded_at, corrects_id)
SELECT d.id, d.meeting_id, d.child_id, o.outcome,
       CASE WHEN o.outcome = 'refer'
            THEN (ARRAY['psychologist', 'health', 'education_support', 'legal_aid',
                        'social_benefits'])[1 + (d.x / 160) % 5] END,
       '', d.held_on + 91, u.id, d.at, d.corrects_id
FROM bench_decision AS d
CROSS JOIN LATERAL (
    SELECT (ARRAY['continue', 'continue', 'continue', 'change_visits', 'refer', 'refer',
                  'change_placement', 'other'])[1 + (d.x / 20) % 8] AS outcome) AS o
JOIN bench_user AS u ON u.role = 'committee_member'
ORDER BY d.at, d.n
"""
SQL_AGENDA = """
INSERT INTO committee_agenda_item (meeting_id, child_id, position)
SELECT meeting_id, child_id, CAST(row_number() OVER (PARTITION BY meeting_id ORDER BY n) AS int)
FROM bench_decision WHERE corrects_id IS NULL
ORDER BY held_on, n
"""
# Past their date: seven in ten done, two open (overdue), one blocked; not yet due: two in ten
# done already. A corrected decision's tasks are withdrawn.
SQL_ACTIONS = """
CREATE TEMP TABLE bench_action ON COMMIT DROP AS
SELECT d.id AS decision_id, d.child_id, d.worker_id, d.at, a.position, gen_random_uuid() AS task_id,
       w.what, w.assignee, w.due_on,
       CASE WHEN w.assignee = 'other_service' THEN 'Центр психологической поддержки' ELSE '' END
           AS assignee_name,
       CASE WHEN EXISTS (SELECT 1 FROM bench_decision AS c WHERE c.corrects_id = d.id)
            THEN 'withdrawn'
            WHEN w.due_on < :today
            THEN (ARRAY['done', 'done', 'done', 'done', 'done', 'done', 'done', 'open', 'open',
                        'blocked'])[1 + w.r]
            WHEN w.r < 2 THEN 'done' ELSE 'open' END AS status
FROM bench_decision AS d
CROSS JOIN generate_series(1, 2) AS a (position)
CROSS JOIN LATERAL (
    SELECT (ARRAY['Посетить семью вместе с классным руководителем',
                  'Записать ребёнка к психологу центра',
                  'Организовать дополнительные занятия по казахскому языку',
                  'Помочь опекуну подать заявление на пособие'])[1 + (d.x / 7 + a.position) % 4]
               AS what,
           (ARRAY['social_worker', 'social_worker', 'school', 'other_service'])
               [1 + (d.x / 11 + a.position) % 4] AS assignee,
           d.held_on + (ARRAY[10, 14, 21, 30, 45])[1 + (d.x / 13 + a.position) % 5] AS due_on,
           (d.x / 17 + 7 * a.position) % 10 AS r) AS w
WHERE a.position <= d.x % 3
"""
SQL_TASKS = """
INSERT INTO task (id, child_id, source, source_id, what, assignee, assignee_name, due_on, status,
                  note, marked_by_id, marked_at, created_at, version)
SELECT task_id, child_id, 'decision', decision_id, what, assignee, assignee_name, due_on, status,
       CASE status WHEN 'done' THEN 'Выполнено.' WHEN 'blocked' THEN 'Семья не отвечает.'
                   ELSE '' END,
       CASE WHEN status IN ('done', 'blocked') THEN worker_id END,
       CASE WHEN status IN ('done', 'blocked')
            THEN (least(due_on, CAST(:today AS date) - 1) + time '10:00') AT TIME ZONE :tz END,
       at, 1
FROM bench_action ORDER BY at, decision_id, position
"""
SQL_ACTION_ROWS = """
INSERT INTO committee_decision_action (decision_id, child_id, position, what, assignee,
                                       assignee_name, due_on, task_id)
SELECT decision_id, child_id, position, what, assignee, assignee_name, due_on, task_id
FROM bench_action ORDER BY at, decision_id, position
"""
# Where each child stands in the review cycle: their latest decision standing.
SQL_CHILD_REVIEWS = """
INSERT INTO committee_child_review (child_id, decision_id, decided_on, next_review_on)
SELECT DISTINCT ON (child_id) child_id, id, held_on, held_on + 91
FROM bench_decision AS d
WHERE NOT EXISTS (SELECT 1 FROM bench_decision AS c WHERE c.corrects_id = d.id)
ORDER BY child_id, held_on DESC, at DESC
"""
MEETINGS = 26  # a year of fortnights

# As a database in service is after its routine maintenance: statistics, and the visibility
# map that lets an index-only scan skip the table (else autovacuum would still be working
# through 10 million new rows while the pages are timed).
SQL_ANALYZE = """
VACUUM (ANALYZE) school, school_class, "user", class_teacher, child, enrolment, attendance_mark,
        caseload, placement, visit_report, incident, incident_event, review_item, term, subject,
        term_result, language_level, committee_meeting, committee_meeting_member,
        committee_agenda_item, committee_decision, committee_decision_action, task,
        committee_child_review
"""


def generate(
    engine: Engine,
    *,
    children: int = 50_000,
    classes: int = 2_000,
    school_days: int = SCHOOL_DAYS,
    password: str,
    seed: int = 7,
) -> dict:
    """Add the benchmark district; call inside an app context (its calendar, clock, hasher)."""
    if children < 1 or classes < 1 or school_days < 1:
        raise ValueError("children, classes and school_days must be positive")
    today = clock.today()
    counts: dict = {}
    with engine.begin() as conn:
        _refuse_a_second_district(conn)
        days, counts["terms_added"] = _school_days(conn, today, school_days)
        params = _params(today, classes, children, password, seed)
        _names(conn)
        counts |= _roster(conn, params, classes, children)
        counts["marks"] = _marks(conn, params, days)
        counts |= _casework(conn, params)
        counts |= _school_record(conn, params, days)
        counts |= _committee(conn, params)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(SQL_ANALYZE))
    counts |= {
        "school_days": len(days),
        "first_day": days[0].isoformat() if days else None,
        "last_day": days[-1].isoformat() if days else None,
        "logins": _logins(),
    }
    return counts


def _refuse_a_second_district(conn: Connection) -> None:
    taken = conn.execute(
        text(
            "SELECT EXISTS (SELECT 1 FROM school WHERE district = :district)"
            ' OR EXISTS (SELECT 1 FROM "user" WHERE email LIKE :emails)'
        ),
        {"district": DISTRICT, "emails": f"%@{DOMAIN}"},
    ).scalar()
    if taken:
        raise RuntimeError(f"This database already holds a {DISTRICT!r} or @{DOMAIN} users.")


def _params(today: date, classes: int, children: int, password: str, seed: int) -> dict:
    year = academic_year_of(today)
    return {
        "seed": seed,
        "today": today,
        "now": clock.now(),
        "tz": current_app.config["BABEL_DEFAULT_TIMEZONE"],
        "year": year,
        "start_year": int(year[:4]),
        "year_start": academic_year_start(today),
        "domain": DOMAIN,
        "district": DISTRICT,
        "region": REGION,
        "classes": classes,
        "children": children,
        "teachers": classes,
        "workers": math.ceil(children / CHILDREN_PER_WORKER),
        "schools": math.ceil(classes / CLASSES_PER_SCHOOL),
        "password_hash": hash_password(password),  # once: Argon2 is slow on purpose
    }


# -- the calendar


def _school_days(conn: Connection, today: date, count: int) -> tuple[list[date], int]:
    """The `count` school days before today, oldest first, by the app's calendar (its terms and
    school weekdays), reaching back past the year the app looks back on when `count` asks it.

    Where this academic year's terms are set up and earlier years' are not, earlier years'
    terms are added (this year's, one or two years earlier) until the count is reached, as in
    a school that used Qadam then: 210 school days reach back into last autumn, a year and a
    quarter, the old marks that no page may be slowed by.
    """
    days = _days_back(_calendar(conn), today - timedelta(days=1), count)
    added = 0
    for years in range(1, EARLIER_YEARS + 1):
        if len(days) == count:
            break
        added += _add_earlier_terms(conn, today, years)
        days = _days_back(_calendar(conn), today - timedelta(days=1), count)
    return sorted(days), added


def _days_back(calendar: Calendar, last: date, count: int) -> list[date]:
    """Up to `count` school days up to `last`, newest first, within EARLIER_YEARS years and one."""
    days: list[date] = []
    day, earliest = last, _years_earlier(last, EARLIER_YEARS + 1)
    while len(days) < count and day >= earliest:
        if calendar.is_school_day(day):
            days.append(day)
        day -= timedelta(days=1)
    return days


def _calendar(conn: Connection) -> Calendar:
    terms = tuple(conn.execute(text("SELECT starts_on, ends_on FROM term")).all())
    return Calendar(terms=terms, weekdays=frozenset(current_app.config["QADAM_SCHOOL_WEEKDAYS"]))


def _add_earlier_terms(conn: Connection, today: date, years: int) -> int:
    """This academic year's terms, `years` years earlier, unless that year has terms."""
    year = academic_year_of(today)
    earlier = academic_year_of(_years_earlier(today, years))
    select_terms = text("SELECT number, starts_on, ends_on FROM term WHERE academic_year = :y")
    this_years = conn.execute(select_terms, {"y": year}).all()
    if not this_years or conn.execute(select_terms, {"y": earlier}).first():
        return 0  # no terms at all (every weekday counts), or that year's are there already
    rows = [
        {"y": earlier, "n": n, "s": _years_earlier(s, years), "e": _years_earlier(e, years)}
        for n, s, e in this_years
    ]
    conn.execute(
        text(
            "INSERT INTO term (academic_year, number, starts_on, ends_on) VALUES (:y, :n, :s, :e)"
        ),
        rows,
    )
    return len(rows)


def _years_earlier(day: date, years: int) -> date:
    return day.replace(year=day.year - years, day=min(day.day, 28) if day.month == 2 else day.day)


# -- names, people, schools, classes, children


def _names(conn: Connection) -> None:
    """Every name combination with its search key, computed once each by the app's function."""
    rows = _name_rows()
    columns = ("lang", "sex", "m", "given", "family", "patronymic", "key")
    conn.execute(text(SQL_NAMES), {c: [row[i] for row in rows] for i, c in enumerate(columns)})


def _name_groups() -> dict[tuple[str, str], tuple[list[str], list[str], list[str]]]:
    """Given names, family names and patronymics by (language, sex)."""
    return {
        ("kk", "F"): (
            kk.GIRLS,
            [r + "ова" for r in kk.FAMILY_ROOTS],
            [f + "қызы" for f in kk.FATHERS],
        ),
        ("kk", "M"): (
            kk.BOYS,
            [r + "ов" for r in kk.FAMILY_ROOTS],
            [f + "ұлы" for f in kk.FATHERS],
        ),
        ("ru", "F"): (RU_GIRLS, [s + "а" for s in RU_SURNAMES], [f for _, f in RU_FATHERS]),
        ("ru", "M"): (RU_BOYS, RU_SURNAMES, [m for m, _ in RU_FATHERS]),
    }


def _name_count() -> int:
    """How many combinations each (language, sex) has: the same for all, the smallest."""
    return min(len(g) * len(f) * len(p) for g, f, p in _name_groups().values())


def _name_rows() -> list[tuple]:
    rows = []
    for (lang, sex), (given, family, patronymic) in _name_groups().items():
        for m in range(_name_count()):
            g, rest = given[m % len(given)], m // len(given)
            f, p = family[rest % len(family)], patronymic[rest // len(family) % len(patronymic)]
            rows.append((lang, sex, m, g, f, p, search_key(f, g, p)))
    return rows


def _roster(conn: Connection, params: dict, classes: int, children: int) -> dict:
    p = params | {
        "languages": LANGUAGES,
        "name_count": _name_count(),
        "letters": LETTERS,
        "per_school": CLASSES_PER_SCHOOL,
        "totp_secret": TWO_FACTOR_SECRET,
    }
    for statement in (SQL_PEOPLE, SQL_OFFICIALS, SQL_SCHOOLS, SQL_CLASSES, SQL_CHILDREN):
        conn.execute(text(statement), p)
    return {
        "users": conn.execute(text(SQL_USERS), p).rowcount,
        "teachers": classes,
        "social_workers": p["workers"],
        "schools": conn.execute(text(SQL_SCHOOL_ROWS), p).rowcount,
        "classes": conn.execute(text(SQL_CLASS_ROWS), p).rowcount,
        "class_teachers": conn.execute(text(SQL_CLASS_TEACHERS)).rowcount,
        "children": conn.execute(text(SQL_CHILD_ROWS), p).rowcount,
        "enrolments": conn.execute(text(SQL_ENROLMENTS), p).rowcount,
    }


# -- attendance


def _marks(conn: Connection, params: dict, days: list[date]) -> int:
    """One statement a day, as the roll calls came in: a day's marks lie together on disk."""
    zone = ZoneInfo(params["tz"])
    p = {"seed": params["seed"], "absence_reason": ABSENCE_REASON, "excuses": EXCUSES}
    total = 0
    with _indexes_rebuilt(conn, "attendance_mark"):
        for number, day in enumerate(days, 1):
            at = datetime.combine(day, time(*MARK_TIME), zone)
            values = p | {"day": day, "day_n": number, "at": at}
            total += conn.execute(text(SQL_MARKS), values).rowcount
    return total


@contextmanager
def _indexes_rebuilt(conn: Connection, table: str) -> Iterator[None]:
    """Without its indexes and foreign keys while the block runs; rebuilt, as they were, after.

    Ten million rows go in several times faster than through four B-trees kept up to date row
    by row, three of them at random places; the rebuilt indexes check the unique keys again.
    """
    names = {"t": table}
    keys = conn.execute(text(SQL_KEYS_OF), names).all()
    indexes = conn.execute(text(SQL_INDEXES_OF), names).all()
    for owner, name, _ in keys:
        conn.exec_driver_sql(f"ALTER TABLE {owner} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '1GB'")
    yield
    for _, definition in indexes:
        conn.exec_driver_sql(definition)
    for owner, name, definition in reversed(keys):
        conn.exec_driver_sql(f"ALTER TABLE {owner} ADD CONSTRAINT {name} {definition}")


# -- casework and incidents


def _casework(conn: Connection, params: dict) -> dict:
    p = params | {
        "kinds": PLACEMENT_KINDS,
        "each_kind": [kind.value for kind in PlacementKind],
        "per_worker": CHILDREN_PER_WORKER,
        "every": CASELOAD_EVERY,
        "note": "Қосымша көмек керек.",
        "reason": SERIOUS_INCIDENT,
    }
    conn.execute(text(SQL_CASELOAD), p)
    counts = {
        "caseload": conn.execute(text(SQL_CASELOAD_ROWS)).rowcount,
        "placements": conn.execute(text(SQL_PLACEMENTS), p).rowcount,
        "visit_reports": conn.execute(text(SQL_VISITS), p).rowcount,
    }
    counts["visit_reports"] += conn.execute(text(SQL_VISIT_HISTORY), p).rowcount
    counts["placements"] += conn.execute(text(SQL_EARLIER_PLACEMENTS), p).rowcount
    counts["cases_closed"] = conn.execute(text(SQL_CASES_CLOSED), p).rowcount
    conn.execute(text(SQL_INCIDENTS), p)
    conn.execute(text(SQL_EARLIER_INCIDENTS), p)
    counts["incidents"] = conn.execute(text(SQL_INCIDENT_ROWS)).rowcount
    counts["incident_events"] = conn.execute(text(SQL_INCIDENT_EVENTS)).rowcount
    counts["review_items"] = conn.execute(text(SQL_REVIEW_ITEMS), p).rowcount
    return counts


def _school_record(conn: Connection, params: dict, days: list[date]) -> dict:
    """The default subjects where missing, term results of the terms over and the language
    levels of the terms begun, of the days marked (none where no term is set up)."""
    conn.execute(
        text(SQL_SUBJECTS),
        [
            dict(zip(("code", "first", "last", "en", "kk", "ru", "ar"), row, strict=True))
            | {"position": position}
            for position, row in enumerate(DEFAULT_SUBJECTS)
        ],
    )
    p = params | {"first_day": days[0] if days else params["today"]}
    p |= {"comments": list(FIRST_GRADE_COMMENTS)}
    conn.execute(text(SQL_TERMS), p)
    with _indexes_rebuilt(conn, "term_result"):
        results = conn.execute(text(SQL_RESULTS), p).rowcount
    return {
        "term_results": results,
        "language_levels": conn.execute(text(SQL_LANGUAGE_LEVELS), p).rowcount,
    }


def _committee(conn: Connection, params: dict) -> dict:
    """A year of review meetings, their decisions, actions and tasks."""
    p = params | {"meetings": MEETINGS}
    for statement in (SQL_MEETINGS, SQL_DECISIONS, SQL_CORRECTIONS, SQL_ACTIONS):
        conn.execute(text(statement), p)
    counts = {
        "meetings": conn.execute(text(SQL_MEETING_ROWS), p).rowcount,
        "decisions": conn.execute(text(SQL_DECISION_ROWS), p).rowcount,
        "tasks": conn.execute(text(SQL_TASKS), p).rowcount,
        "actions": conn.execute(text(SQL_ACTION_ROWS)).rowcount,
        "child_reviews": conn.execute(text(SQL_CHILD_REVIEWS)).rowcount,
    }
    conn.execute(text(SQL_MEETING_MEMBERS))
    conn.execute(text(SQL_AGENDA))
    return counts


def _logins() -> dict[str, str]:
    return {
        "teacher": f"teacher1@{DOMAIN}",
        "social_worker": f"worker1@{DOMAIN}",
        "committee_member": f"committee@{DOMAIN}",
        "administrator": f"admin@{DOMAIN}",
    }


# -- command line


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--classes", type=int, default=2_000)
    parser.add_argument("--school-days", type=int, default=SCHOOL_DAYS)
    parser.add_argument("--password", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not (args.database_url or "").startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL URL (postgresql+psycopg://…)")

    from app import create_app
    from app.extensions import db

    # Production settings (its Argon2 parameters); the key only signs sessions, never used here.
    app = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        },
    )
    with app.app_context():
        started = perf_counter()
        try:
            counts = generate(
                db.engine,
                children=args.children,
                classes=args.classes,
                school_days=args.school_days,
                password=args.password,
                seed=args.seed,
            )
        except (RuntimeError, ValueError) as error:
            parser.exit(1, f"{error}\n")
        seconds = perf_counter() - started
    logins = counts.pop("logins")
    for key, value in counts.items():
        print(f"{key:<16} {value}")
    print(f"{'seconds':<16} {seconds:.1f}")
    print(json.dumps(logins))  # last: the logins, for scripts/benchmark


if __name__ == "__main__":
    main()
