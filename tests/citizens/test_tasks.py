"""The daily purge of unsent petition drafts is a Celery task on the beat schedule."""

import os
import time

import pytest
from django_celery_beat.models import PeriodicTask

from citizens import drafts
from citizens.tasks import purge_citizen_drafts
from dialogue_portal.celery import app

pytestmark = pytest.mark.django_db


def test_purge_task_is_registered_and_scheduled_daily():
    assert "citizens.tasks.purge_citizen_drafts" in app.tasks
    task = PeriodicTask.objects.get(task="citizens.tasks.purge_citizen_drafts")
    assert task.crontab.hour == "3"


def test_purge_task_removes_stale_draft_folders(settings):
    root = drafts.drafts_root()
    stale = root / "a"
    stale.mkdir(parents=True, exist_ok=True)
    (stale / "photo.jpg").write_bytes(b"x")
    old = time.time() - 3 * 24 * 3600
    os.utime(stale, (old, old))
    fresh = root / "b"
    fresh.mkdir(parents=True, exist_ok=True)
    assert purge_citizen_drafts.delay().get() >= 1
    assert not stale.exists()
    assert fresh.exists()
