"""The Celery application. Workers: `celery -A dialogue_portal worker`; beat: `celery -A dialogue_portal beat`."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogue_portal.settings")

app = Celery("dialogue_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_misconfigured(**kwargs):
    from dialogue_portal.checks import refuse_to_serve_if_misconfigured

    refuse_to_serve_if_misconfigured()
