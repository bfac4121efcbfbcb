"""The copy of a teacher's result sheets that their phone keeps: one page for all of them.

A class of 20 with ten subjects would be ten pages kept on the phone, each with the page's
frame around it. Instead one page holds each class's sheet once, without a subject, and the
term's results of every subject the teacher enters there; offline, the service worker shows
it for any sheet's address (the domain's StandIn) and results_sheet.js fills it in for the
class, subject and term of the address. Only the term under way (the last one begun) is kept.
"""

from dataclasses import dataclass, field

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import User
from app.auth.permissions import teacher_required
from app.children.models import Child
from app.children.services import children_of
from app.core import clock
from app.core.audit import audit
from app.extensions import db
from app.i18n.locale import current_language
from app.results import services
from app.results.blueprint import bp
from app.results.sheets import CurrentSheets, current_sheets


@bp.get("/results/on-phone")
@teacher_required
def sheets_on_phone():
    sheets = kept_sheets(current_user)
    for sheet in sheets:
        audit("view_results", "school_class", sheet.school_class.id)
    page = render_template(
        "results/on_phone.html",
        sheets=sheets,
        kept={_key(s): _kept(s) for s in sheets},
        bands=services.BANDS,
    )
    db.session.commit()
    return page


@dataclass(frozen=True)
class KeptSheet(CurrentSheets):
    """A class's sheets of the term under way, with the class's children."""

    children: list[Child] = field(default_factory=list)


def kept_sheets(user: User) -> list[KeptSheet]:
    return [
        KeptSheet(
            sheets.school_class,
            sheets.term,
            sheets.subjects,
            children_of(sheets.school_class, current_language()),
        )
        for sheets in current_sheets(user, clock.today())
        if sheets.term is not None and sheets.subjects
    ]


def _key(sheet: KeptSheet) -> str:
    return str(sheet.school_class.id)


def _kept(sheet: KeptSheet) -> dict:
    """What the script needs to fill the class's sheet in for each subject: its heading, and
    each child's stored result as [id, version, percentage, mark, comment]."""
    results = services.results_in(
        [c.id for c in sheet.children], [s.id for s in sheet.subjects], sheet.term.id
    )
    by_subject: dict = {str(subject.id): {} for subject in sheet.subjects}
    for r in results:
        by_subject[str(r.subject_id)][str(r.child_id)] = [
            str(r.id),
            r.version,
            r.percentage,
            r.mark,
            r.comment,
        ]
    name = sheet.school_class.name
    return {
        "term": sheet.term.number,
        "subjects": {
            str(subject.id): {
                "heading": _("%(subject)s, class %(name)s", subject=subject.name, name=name),
                "title": f"{subject.name} · {name}",
                "label": _(
                    "%(subject)s, term %(number)d", subject=subject.name, number=sheet.term.number
                ),
                "results": by_subject[str(subject.id)],
            }
            for subject in sheet.subjects
        },
    }
