"""The typed payload of a sync op: one pydantic model per kind (see registry.SyncKind).

A model's fields check their values with the shared rules of app.core.rules, so an op is
refused with the same translated words as the web form. pydantic's own messages are English
and never reach a person: a value of the wrong type or shape is answered with the model's
DAMAGED message, a broken rule with the rule's own message (and the field's label).
"""

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from app.core.errors import InvalidInput
from app.core.rules import RuleBroken, labelled

DAMAGED = _l("This entry is incomplete or damaged.")


def _describe(schema: dict, model: type) -> None:
    """Fields checked also when missing (to refuse them in the form's words) are described
    as what they are: required, with no default."""
    for name in getattr(model, "REQUIRED", ()):
        schema["properties"][name].pop("default", None)
        schema.setdefault("required", []).append(name)


class Payload(BaseModel):
    """An op's content. Fields a kind does not know are ignored, as they always were."""

    model_config = ConfigDict(extra="ignore", frozen=True, json_schema_extra=_describe)
    # What a person is told when the content is not what the kind sends.
    DAMAGED: ClassVar[Any] = DAMAGED
    # Fields with a default only so that their rule is told when they are missing.
    REQUIRED: ClassVar[tuple[str, ...]] = ()


def rule(check, label: Any = None) -> BeforeValidator:
    """A field checked by a shared rule (see app.core.rules), named by `label` if refused."""
    return BeforeValidator(labelled(check, label) if label is not None else check)


def read(model: type[Payload], data: Any) -> Payload:
    """`data` as a `model`, or InvalidInput with the translated reason."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(reason(model, error)) from error


def reason(model: type[Payload], error: ValidationError) -> str:
    """A damaged value outweighs a broken rule (the content cannot be trusted as a whole);
    else the first rule broken, in the order of the model's fields."""
    broken = [_broken(detail) for detail in error.errors()]
    if any(rule is None for rule in broken):
        return str(model.DAMAGED)
    return broken[0].text()


def _broken(detail: dict) -> RuleBroken | None:
    cause = detail.get("ctx", {}).get("error")
    return cause if isinstance(cause, RuleBroken) else None
