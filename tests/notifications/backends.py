"""A test-only e-mail backend: Django's file backend, slowed down so a test can kill a worker mid-batch.

Production code has no hook for this: the worker tests start their Celery processes with
`tests.notifications.worker_settings`, which selects this backend (see `Workers.start(send_delay=…)`).
"""

import time

from django.conf import settings
from django.core.mail.backends import filebased


class SlowFileBackend(filebased.EmailBackend):
    """Wait `TEST_EMAIL_SEND_DELAY` seconds, then write the messages like the file-based backend."""

    def send_messages(self, email_messages):
        delay = float(getattr(settings, "TEST_EMAIL_SEND_DELAY", 0))
        if delay and email_messages:
            time.sleep(delay)
        return super().send_messages(email_messages)
