"""conference_tags: every history label of a plan or conference is readable and extractable for translation."""

import ast
import pathlib
from types import SimpleNamespace

import pytest

from conferences.models import ConferenceStatus, MinutesStatus, PlanStatus
from conferences.templatetags import conference_tags
from conferences.templatetags.conference_tags import ACTOR_LABELS, EVENT_LABELS, event_actor, event_label

# Every action the services, the importer and the Front's supervision record on a plan or a conference.
ACTIONS = [
    "created",
    "edited",
    "imported",
    "scheduled",
    "item_added",
    "item_edited",
    "item_deleted",
    "participants_recorded",
    "minutes_updated",
    "conclusion_added",
    "conclusion_done",
    "attachment_added",
    "supervised",
    "supervision_rechecked",
    *(f"status:{value}" for value in [*PlanStatus.values, *ConferenceStatus.values]),
    *(f"minutes:{value}" for value in MinutesStatus.values if value != MinutesStatus.NONE),
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_history_action_has_a_readable_label(action):
    label = event_label(SimpleNamespace(action=action))
    assert label and label != action
    assert ":" not in label or label.startswith("Minutes:")
    assert "_" not in label, label


def test_plan_status_changes_read_as_what_happened():
    assert event_label(SimpleNamespace(action="status:submitted")) == "Submitted for approval"
    assert event_label(SimpleNamespace(action="status:draft")) == "Returned to draft"
    assert event_label(SimpleNamespace(action="status:in_progress")) == "Being carried out"


def _calls_in_dict(tree: ast.Module, name: str) -> list[ast.expr]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return list(node.value.values)
    raise AssertionError(f"{name} not found")


@pytest.mark.parametrize("name", ["EVENT_LABELS", "ACTOR_LABELS"])
def test_labels_are_marked_so_that_makemessages_extracts_them(name):
    """makemessages (xgettext) extracts `_("…")`, `gettext_lazy("…")`, `gettext_noop("…")`, not an alias."""
    source = pathlib.Path(conference_tags.__file__).read_text()
    tree = ast.parse(source)
    assert "from django.utils.translation import gettext_lazy as _" in source
    for value in _calls_in_dict(tree, name):
        assert isinstance(value, ast.Call), ast.unparse(value)
        assert getattr(value.func, "id", None) in {"_", "gettext_lazy", "gettext_noop"}, ast.unparse(value)
        assert isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str)
    assert len(EVENT_LABELS) and len(ACTOR_LABELS)


def test_event_actor_is_the_full_name_else_the_username_else_the_label(world):
    assert event_actor(SimpleNamespace(actor_id=world.alice.pk, actor=world.alice, actor_label="alice")) == "Alice"
    world.stranger.first_name = ""
    assert event_actor(SimpleNamespace(actor_id=1, actor=world.stranger, actor_label="stranger")) == "stranger"
    assert event_actor(SimpleNamespace(actor_id=None, actor=None, actor_label="system")) == "the system"
    assert event_actor(SimpleNamespace(actor_id=None, actor=None, actor_label="import")) == "file import"
