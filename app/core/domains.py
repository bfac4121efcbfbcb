"""What each domain adds to the parts of Qadam that serve them all.

A domain (attendance, casework, incidents, …) declares its contributions in one `Domain`, built
in its own `app/<domain>/domain.py`; create_app registers the list, in order. The shared parts
(core, sync, pwa and children) read them from here and import no domain:

- offline_pages: (user) -> the URLs of pages that user keeps on the phone (the sync API);
- offline_child_pages: (user, child_id) -> the URLs kept per child the user follows (children);
- offline_stand_ins: StandIn(pattern, endpoint): one page kept on the phone that the service
  worker shows, offline, for every address matching `pattern` (a form the same for every
  child but for the child, who is read from the address on the phone: pwa/sw.js);
- child_sections: parts of a child's page (children/child.html);
- timeline_sources: (viewer, child, since) -> timeline items (children/timeline.py);
- review_sections: parts of a child's review summary for the committee, in rank order
  whatever the domains' order (children/review.py);
- last_review: (child) -> the day of the child's last review by the committee, or None;
  the summary shows what happened since then (the latest date any domain gives);
- last_decision: the part of the review summary showing the committee's last decision on
  the child, shown after the others; nothing is shown while no domain gives it;
- alert_rules: (rank, rule): rule (social worker, today) -> alerts on their caseload, shown
  in rank order whatever the domains' order (children/alerts.py);
- anonymisers: (child) -> None, removing what names the child at retention (children/retention);
- audit_actions: {action: its plain words} for "who viewed or changed" (core/audit_history.py);
- client_strings: () -> {key: string} the domain's phone scripts show (pwa/client.py); a
  "kinds" entry names its outbox entries, merged with the other domains' kinds;
- sync_kinds: its sync kinds (the outbox API).

Contributions are listed in the order the domains were registered.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app

EXTENSION = "qadam_domains"
# Where a section goes on a child's page: under the facts (actions such as "Report an
# incident"), in the restricted part (social worker and committee only), or in the main part.
ACTIONS, RESTRICTED, MAIN = "actions", "restricted", "main"


@dataclass(frozen=True)
class ChildSection:
    """A part of a child's page: `template` is included with `section` = context(child)."""

    template: str
    context: Callable[[Any], dict] = lambda child: {}
    place: str = RESTRICTED


@dataclass(frozen=True)
class ReviewSection:
    """A part of a child's review summary: `template` is included with `section` =
    context(child, since), `since` the day of the last review (children/review.py). Parts
    are shown by `rank`, lowest first; a RESTRICTED one only to those who see the background."""

    template: str
    context: Callable[[Any, date], dict]
    place: str = RESTRICTED
    rank: int = 0


@dataclass(frozen=True)
class StandIn:
    """`endpoint`'s page, kept once, stands in offline for any path matching `pattern` (a
    JavaScript regular expression)."""

    pattern: str
    endpoint: str


@dataclass(frozen=True)
class Domain:
    name: str
    offline_pages: Callable[[Any], list[str]] | None = None
    offline_child_pages: Callable[[Any, Any], list[str]] | None = None
    offline_stand_ins: tuple[StandIn, ...] = ()
    child_sections: tuple[ChildSection, ...] = ()
    timeline_sources: tuple[Callable, ...] = ()
    review_sections: tuple[ReviewSection, ...] = ()
    last_review: Callable[[Any], date | None] | None = None
    last_decision: ReviewSection | None = None
    alert_rules: tuple[tuple[int, Callable], ...] = ()
    anonymisers: tuple[Callable, ...] = ()
    audit_actions: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    client_strings: Callable[[], dict] | None = None
    sync_kinds: tuple = ()


def register_domains(app: Flask, domains: tuple[Domain, ...]) -> None:
    """Fail at start-up on two domains of one name or one audit action worded twice."""
    names = [domain.name for domain in domains]
    if len(set(names)) != len(names):
        raise RuntimeError(f"A domain is registered twice: {names}")
    actions = [action for domain in domains for action in domain.audit_actions]
    twice = {action for action in actions if actions.count(action) > 1}
    if twice:
        raise RuntimeError(f"Audit actions worded by two domains: {sorted(twice)}")
    app.extensions[EXTENSION] = tuple(domains)


def registered() -> tuple[Domain, ...]:
    return current_app.extensions.get(EXTENSION, ())


def contributions(name: str) -> list:
    """Every registered domain's contribution `name`, flattened, in registration order."""
    found: list = []
    for domain in registered():
        value = getattr(domain, name)
        if isinstance(value, tuple):
            found.extend(value)
        elif value is not None:
            found.append(value)
    return found


def child_sections(place: str) -> list[ChildSection]:
    return [section for section in contributions("child_sections") if section.place == place]


def audit_actions() -> dict[str, Any]:
    return {action: words for d in registered() for action, words in d.audit_actions.items()}
