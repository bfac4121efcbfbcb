"""The plain words of an audited action, for "who viewed or changed this record".

core words the verbs every part uses; each domain words its own (its Domain's audit_actions).
The trail itself, with the actors' names, is read by app.auth.history.
"""

from flask_babel import lazy_gettext as _l

from app.core.domains import audit_actions

# TRANSLATORS: what a person did with a child's record, shown in a table of who did what.
ACTIONS = {
    "view": _l("viewed"),
    "offline_copy": _l("saved a copy on their phone for offline use"),
    "refused": _l("was refused access"),
    "refused_csrf": _l("sent a form that had expired"),
    "sync_refused": _l("sent an entry from a phone that the server refused to open"),
}
OTHER_ACTION = _l("changed the record")


def action_words(action: str) -> str:
    """The action in plain words; an action not listed yet in general words."""
    return str(ACTIONS.get(action) or audit_actions().get(action, OTHER_ACTION))
