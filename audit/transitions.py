"""Allowed state transitions, checked in one place.

Each app keeps its table of allowed transitions beside its status choices (e.g.
`petitions.models.PETITION_TRANSITIONS`); services call `check_transition` before changing a
status, so a forbidden transition raises a clear error and changes nothing.
"""

from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    """A state change that the transition table forbids."""

    def __init__(self, message: str, *, current: str = "", target: str = ""):
        super().__init__(message)
        self.message = message
        self.current = current
        self.target = target

    def __str__(self):
        return self.message


def check_transition(table: dict, current: str, target: str, *, what: str = "", choices=None) -> None:
    """Raise TransitionNotAllowed unless `table` allows moving from `current` to `target`."""
    if target in table.get(current, set()):
        return
    label = dict(choices.choices) if choices is not None else {}
    raise TransitionNotAllowed(
        _("%(what)s cannot go from “%(current)s” to “%(target)s”.")
        % {
            "what": what or _("This record"),
            "current": label.get(current, current),
            "target": label.get(target, target),
        },
        current=current,
        target=target,
    )
