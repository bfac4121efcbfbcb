"""A meeting's minutes as a PDF (issue 14, point 6): who was there, and for each child on the
agenda, in its order, the decision standing with its actions. In the meeting's language, laid
out right to left in Arabic, made on the server by WeasyPrint with the fonts the set-up installs
(Noto Sans, Noto Naskh Arabic; DejaVu Sans where they are missing). Nothing of a child's
background: the minutes name the child, their class and school, and what was decided."""

import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.committee import decisions as decision_rules
from app.committee.models import AgendaItem, Decision, Meeting
from app.committee.services import agenda_of
from app.extensions import db
from app.i18n.locale import text_direction


@dataclass(frozen=True)
class Entry:
    """A child on the agenda, the decision standing and the one it corrects, if any."""

    item: AgendaItem
    decision: Decision | None
    corrected: Decision | None


def entries(meeting: Meeting) -> list[Entry]:
    """The agenda in order with each child's decision: five queries, however many children."""
    statement = (
        select(Decision)
        .where(Decision.meeting_id == meeting.id)
        .order_by(Decision.recorded_at, Decision.id)
        .options(selectinload(Decision.actions))
    )
    recorded = list(db.session.scalars(statement))
    by_id = {decision.id: decision for decision in recorded}
    by_child: dict[uuid.UUID, list[Decision]] = {}
    for decision in recorded:
        by_child.setdefault(decision.child_id, []).append(decision)
    result = []
    for item in agenda_of(meeting):
        standing = decision_rules.current(by_child.get(item.child_id, []))
        corrected = by_id.get(standing.corrects_id) if standing and standing.corrects_id else None
        result.append(Entry(item, standing, corrected))
    return result


def filename(meeting: Meeting) -> str:
    """The date only: a file name is seen in downloads folders and mail, a child's name never."""
    return f"minutes-{meeting.held_on.isoformat()}.pdf"


def pdf(meeting: Meeting) -> bytes:
    """The minutes, rendered in the meeting's language."""
    # Imported here: WeasyPrint needs Pango, which only this page does.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    with force_locale(meeting.language):
        footer = f"@page {{ @bottom-center {{ content: {page_counter()}; }} }}"
        html = render_template(
            "committee/minutes.html",
            meeting=meeting,
            entries=entries(meeting),
            lang=meeting.language,
            dir=text_direction(meeting.language),
            direction=direction,
            isolated=isolated,
        )
    # The minutes load nothing: no page, stylesheet or image, on the web or on the disk.
    closed = URLFetcher(allowed_protocols=())
    stylesheets = [CSS(string=css, url_fetcher=closed) for css in (_stylesheet(), footer)]
    return HTML(string=html, url_fetcher=closed).write_pdf(stylesheets=stylesheets)


def _stylesheet() -> str:
    return (Path(current_app.static_folder) / "css" / "minutes.css").read_text(encoding="utf-8")


def page_counter() -> str:
    """The words "page X of Y" in the language in force, as a CSS `content` value with the
    page counters."""
    # TRANSLATORS: the footer of each page of a meeting's minutes (a PDF).
    words = _("Page %(page)s of %(pages)s", page="\x01", pages="\x02")
    counters = {"\x01": "counter(page)", "\x02": "counter(pages)"}
    parts = [counters.get(part) or css_string(part) for part in re.split("([\x01\x02])", words)]
    return " ".join(part for part in parts if part != '""')


def css_string(text: str) -> str:
    """A CSS string literal of `text`: a translation cannot end the string or the rule."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\{}\n\r' else char for char in text)
    return f'"{escaped}"'


def direction(text: str) -> str:
    """The direction of a stored text, from its first letter with one (dir="auto"'s rule):
    WeasyPrint takes an element's direction from its parent, so a Cyrillic name in the
    Arabic minutes would otherwise be laid out right to left, "5 А" shown as "А 5"."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def isolated(text: str) -> Markup:
    """A stored text isolated from the direction around it, in its own direction."""
    return Markup('<bdi dir="{}">{}</bdi>').format(direction(text), text)
