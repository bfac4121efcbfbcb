"""A child's page: rendered by the child view, and again by the casework forms on an error."""

from babel import Locale
from flask import Response, current_app, make_response, render_template, request
from flask_login import current_user

from app.auth.history import record_history
from app.auth.models import Role
from app.children import access, casefile
from app.children.background import ChildBackground
from app.children.casefile_forms import BackgroundForm, CaseForm, ConsentForm, WithdrawForm
from app.children.models import Child
from app.core import clock
from app.core.audit import audit
from app.core.domains import ACTIONS, MAIN, RESTRICTED, child_sections
from app.core.security import RESTRICTED_HEADER
from app.i18n.locale import current_language

# Other domains add their parts of the page (their Domain's child_sections: app/core/domains.py),
# so this module imports none of them.


def render_child_page(child: Child, status: int = 200, **casework: object) -> Response:
    """The page as the current user may see it; `casework` overrides the casework forms (a
    form with the person's input and its errors) or adds a `conflict` or `error` message."""
    lang = current_language()
    languages = [Locale.parse(code).get_display_name(lang) for code in child.home_language_codes]
    restricted = shows_restricted()
    context = {
        "child": child,
        "home_languages": languages,
        "restricted": restricted,
        "history": _history(child),
        "actions": _sections(child, ACTIONS),
        "sections": _sections(child, MAIN),
    }
    if restricted:
        context |= _casework_context(child, casework)
        context["restricted_sections"] = _sections(child, RESTRICTED)
        audit("view", "child_background", child.id)
    response = make_response(render_template("children/child.html", **context), status)
    response.vary.add("X-Qadam-Purpose")
    if restricted:
        response.headers[RESTRICTED_HEADER] = "1"  # the service worker keeps no copy of it
    return response


def _sections(child: Child, place: str) -> list[tuple[str, dict]]:
    """(template, its context) of each part other domains add to the page at `place`."""
    return [(section.template, section.context(child)) for section in child_sections(place)]


def _history(child: Child) -> list:
    """Who viewed or changed the child: shown to committee members only."""
    if current_user.role is not Role.COMMITTEE_MEMBER:
        return []
    return record_history("child", child.id)


def shows_restricted() -> bool:
    """The background is for the social worker and the committee, on screen only: a copy the
    app keeps on a phone for offline use never holds it."""
    offline_copy = request.headers.get("X-Qadam-Purpose") == "offline-copy"
    return access.sees_background(current_user) and not offline_copy


def _casework_context(child: Child, casework: dict) -> dict:
    background = casefile.background_of(child.id)
    context = {
        "background": background,
        "consents": casefile.consents_of(child.id),
        "retention_years": current_app.config["QADAM_RETENTION_YEARS"],
        "conflict": casework.get("conflict"),
        "casework_error": casework.get("error"),
        "withdrawing": casework.get("withdrawing"),
        "can_edit": access.is_case_worker(current_user, child.id) and child.anonymised_at is None,
    }
    if context["can_edit"]:
        today = clock.today()
        blanks = {
            "background_form": lambda: blank_background_form(background),
            "consent_form": lambda: ConsentForm(formdata=None, given_on=today),
            "withdraw_form": lambda: WithdrawForm(formdata=None, withdrawn_on=today),
            "case_form": lambda: CaseForm(formdata=None, closed_on=today),
        }
        for name, blank in blanks.items():
            given = casework.get(name)
            context[name] = blank() if given is None else given
    return context


def blank_background_form(background: ChildBackground | None) -> BackgroundForm:
    """The form filled with what is saved, at the saved version."""
    if background is None:
        return BackgroundForm(formdata=None, version="0")
    return BackgroundForm(
        formdata=None,
        version=str(background.version),
        returned_from=background.returned_from.value if background.returned_from else "",
        returned_on=background.returned_on,
        family_situation=background.family_situation,
        parents_legal_notes=background.parents_legal_notes,
    )
