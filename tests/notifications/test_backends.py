"""The slow e-mail backend the worker tests use lives in tests/, not in the production send path."""

import inspect
import time

from django.core import mail
from django.test import override_settings

import notifications.services
from tests.notifications.backends import SlowFileBackend


def test_the_slow_test_backend_writes_each_message_late(tmp_path):
    with override_settings(
        EMAIL_BACKEND="tests.notifications.backends.SlowFileBackend",
        EMAIL_FILE_PATH=str(tmp_path),
        TEST_EMAIL_SEND_DELAY=0.2,
    ):
        started = time.monotonic()
        mail.EmailMessage("Chủ đề", "Nội dung", "from@example.vn", ["to@example.vn"]).send()
        elapsed = time.monotonic() - started
    assert elapsed >= 0.2
    assert len(list(tmp_path.glob("*.log"))) == 1
    assert issubclass(SlowFileBackend, mail.backends.filebased.EmailBackend)


def test_the_production_send_path_has_no_test_delay_hook():
    source = inspect.getsource(notifications.services)
    assert "time.sleep" not in source
    assert "NOTIFICATIONS_TEST_SEND_DELAY" not in source
