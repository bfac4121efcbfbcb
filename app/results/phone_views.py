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
from app.children.services import children_of_classes
from app.core import clock
from app.core.audit import audit
from app.extensions import db
from app.i18n.locale import current_language
from app.results import services
from app.results.blueprint import bp
from app.results.models import TermResult
from app.results.sheets import CurrentSheets, current_sheets


@bp.get("/results/on-phone")
@teacher_required
def sheets_on_phone():
    sheets = kept_sheets(current_user)
    for sheet in sheets:
        audit("view_results", "school_class", sheet.school_class.id)
    stored = _stored(sheets)
    page = render_template(
        "results/on_phone.html",
        sheets=sheets,
        kept={str(sheet.school_class.id): _kept(sheet, stored) for sheet in sheets},
        bands=services.BANDS,
    )
    db.session.commit()
    return page


@dataclass(frozen=True)
class KeptSheet(CurrentSheets):
    """A class's sheets of the term under way, with the class's children."""

    children: list[Child] = field(default_factory=list)


def kept_sheets(user: User) -> list[KeptSheet]:
    current = [
        sheets
        for sheets in current_sheets(user, clock.today())
        if sheets.term is not None and sheets.subjects
    ]
    children = children_of_classes([s.school_class.id for s in current], current_language())
    return [
        KeptSheet(s.school_class, s.term, s.subjects, children[s.school_class.id]) for s in current
    ]


def _stored(sheets: list[KeptSheet]) -> dict[tuple, TermResult]:
    """Every kept sheet's stored results by (child, subject, term), in one query."""
    results = services.results_in(
        [child.id for sheet in sheets for child in sheet.children],
        list({subject.id for sheet in sheets for subject in sheet.subjects}),
        list({sheet.term.id for sheet in sheets}),
    )
    return {(r.child_id, r.subject_id, r.term_id): r for r in results}


def _kept(sheet: KeptSheet, stored: dict[tuple, TermResult]) -> dict:
    """What the script needs to fill the class's sheet in for each subject: its heading, and
    each child's stored result as [id, version, percentage, mark, comment]."""
    name, number = sheet.school_class.name, sheet.term.number
    return {
        "term": number,
        "subjects": {
            str(subject.id): {
                "heading": _("%(subject)s, class %(name)s", subject=subject.name, name=name),
                "title": f"{subject.name} · {name}",
                "label": _("%(subject)s, term %(number)d", subject=subject.name, number=number),
                "results": {
                    str(child.id): [str(r.id), r.version, r.percentage, r.mark, r.comment]
                    for child in sheet.children
                    if (r := stored.get((child.id, subject.id, sheet.term.id))) is not None
                },
            }
            for subject in sheet.subjects
        },
    }
