"""Settings of the Celery workers the worker tests start: the project's settings, with the slow test
e-mail backend when `TEST_EMAIL_SEND_DELAY` is set (seconds per message)."""

import os

from dialogue_portal.settings import *  # noqa: F403

TEST_EMAIL_SEND_DELAY = float(os.environ.get("TEST_EMAIL_SEND_DELAY") or 0)
if TEST_EMAIL_SEND_DELAY:
    EMAIL_BACKEND = "tests.notifications.backends.SlowFileBackend"
