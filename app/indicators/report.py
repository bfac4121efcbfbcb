"""The district's indicators as a PDF report (issue 15, point 3), made on the server by
WeasyPrint as the committee's minutes are (app/committee/minutes.py): in the reader's
language, right to left in Arabic, with the fonts the set-up installs; titled with the
district, the school and the period; the committee's figures or the report upwards."""

from pathlib import Path

from flask import current_app, render_template

from app.children.models import School
from app.committee.minutes import direction, isolated, page_counter
from app.i18n.locale import current_language, text_direction
from app.indicators.exports import Variant
from app.indicators.period import Period
from app.indicators.tables import Table
from app.indicators.upwards import Figure


def pdf(
    chosen: list[tuple[Table, list[Figure]]],
    district: str,
    school: School | None,
    period: Period,
    variant: Variant,
) -> bytes:
    # Imported here: WeasyPrint needs Pango, which only the PDFs do.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    lang = current_language()
    html = render_template(
        "indicators/report.html",
        chosen=chosen,
        district=district,
        school=school,
        period=period,
        previous=period.previous(),
        upwards=variant is Variant.UPWARDS,
        lang=lang,
        dir=text_direction(lang),
        isolated=isolated,
        direction=direction,
    )
    footer = f"@page {{ @bottom-center {{ content: {page_counter()}; }} }}"
    closed = URLFetcher(allowed_protocols=())  # the report loads nothing, from anywhere
    stylesheets = [CSS(string=css, url_fetcher=closed) for css in (_stylesheet(), footer)]
    return HTML(string=html, url_fetcher=closed).write_pdf(stylesheets=stylesheets)


def _stylesheet() -> str:
    path = Path(current_app.static_folder) / "css" / "indicators_report.css"
    return path.read_text(encoding="utf-8")
