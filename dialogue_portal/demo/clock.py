"""The demo's clock: the story's moments, and the dating of what the services stamped.

The services stamp the moment they run (`timezone.now()`, `timezone.localdate()`); only some of
them take a time from their caller (`held_on`, `actual_start`, `invitation_sent_on`, `new_start`,
`done_on`, `document_date`). The demo does not patch the clock under them — patching
`timezone.now` in shipped code would also hide a service that reads the wrong clock — so every
step of the story runs on the real clock, inside `DemoClock.on(day, hour)`, and is then dated:

- where a service takes a time, the story passes the simulated one;
- every timestamp a step wrote as "now" (audit rows, history rows, `created_at`/`updated_at`,
  `accepted_at`, `published_at`, outbox due times…) is moved back by the same offset, from the
  real moment the step began to the simulated one. Only rows stamped during the step are at or
  after that real moment (earlier steps were already moved into the past), and relative times
  survive: a verdict request queued "7 days after the answer" still falls 7 days after it;
- the few dates a service counts from today (an acknowledgement or answer deadline, the day of an
  answer) are recounted by the story's verb from the simulated day, with the services' own
  `acknowledgement_due_date` / `answer_due_date`.

So the story's moments must lie before the real today: `on()` refuses a later one.
"""

import contextlib
import datetime
import re

from django.apps import apps
from django.db import connection, models
from django.db.models import F
from django.utils import timezone

# The apps whose services (and receivers) write rows while the story runs.
STAMPED_APPS = ("audit", "conferences", "petitions", "followup", "notifications")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE)\s+[`"]?(\w+)', re.IGNORECASE)
# Timestamps the services set to "now" themselves; fields with `auto_now`, `auto_now_add` or
# `default=timezone.now` are found from the models.
SERVICE_STAMPS = frozenset(
    {
        "accepted_at",
        "anonymised_at",
        "approved_at",
        "consent_given_at",
        "ended_at",
        "history_date",
        "published_at",
        "rechecked_at",
        "resolved_at",
        "verdict_at",
    }
)


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """Return `day` at `hour:minute`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _is_now_stamp(field) -> bool:
    return isinstance(field, models.DateTimeField) and (
        field.auto_now or field.auto_now_add or field.default is timezone.now
    )


def stamped_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Return, per model of the stamped apps (history models included), the timestamps written as "now"."""
    every_model = [model for label in STAMPED_APPS for model in apps.get_app_config(label).get_models()]
    names = set(SERVICE_STAMPS)
    names.update(field.name for model in every_model for field in model._meta.concrete_fields if _is_now_stamp(field))
    found = []
    for model in every_model:
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateTimeField) and field.name in names
        ]
        if fields:
            found.append((model, fields))
    return found


class DemoClock:
    """The story's clock: `with clock.on(day, hour) as moment:` runs services, then dates what they stamped."""

    def __init__(self):
        self.stamped = {model._meta.db_table: (model, fields) for model, fields in stamped_fields()}
        self._written_up_to = {}  # moment → the latest instant written for it

    @contextlib.contextmanager
    def on(self, day: datetime.date, hour: int = 9, minute: int = 0):
        """Run the block's services, then move what they stamped to `day` at `hour:minute`; yield that moment.

        Only the tables the block wrote to are looked at. Two steps on the same moment keep their
        order: the later step continues where the earlier one ended.
        """
        moment = at(day, hour, minute)
        started = timezone.now()
        if moment >= started:
            raise ValueError(f"The demo's moments must lie in the past: {moment} is not before {started}.")
        written = set()

        def note_writes(execute, sql, params, many, context):
            match = WRITE.match(sql)
            if match and match[1] in self.stamped:
                written.add(match[1])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(note_writes):
            yield moment
        base = self._written_up_to.get(moment, moment)
        shift = base - started
        for table in sorted(written):
            model, fields = self.stamped[table]
            for name in fields:
                model._base_manager.filter(**{f"{name}__gte": started}).update(**{name: F(name) + shift})
        self._written_up_to[moment] = base + (timezone.now() - started)
