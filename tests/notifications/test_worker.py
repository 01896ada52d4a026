"""Against a real Celery worker on Redis and PostgreSQL: nothing is lost, nothing is sent twice.

The workers are `celery -A dialogue_portal worker --pool=solo` processes reading the test
database and writing each e-mail as a file (Django's file-based backend); every message
carries its kind, object and due key in headers, so a duplicate would show.
"""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from notifications.models import Delivery, NotificationKind, OutboxMessage, OutboxStatus
from petitions import services as petitions
from tests import factories as f
from tests.notifications.conftest import at, read_mail_dir, wait_until

pytestmark = [
    # serialized_rollback: put back what the data migrations wrote (rules, categories, the schedule) after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
]

SEND_REMINDERS = "notifications.tasks.send_reminders"
DISPATCH = "notifications.tasks.dispatch_outbox"


def sent_keys(mail_dir):
    """Return a Counter of (kind, object, due key, recipient) over every e-mail written."""
    return Counter(
        (m["X-Portal-Kind"], m["X-Portal-Object"], m["X-Portal-Due"], m["To"]) for m in read_mail_dir(mail_dir)
    )


def upcoming_conferences(world, count):
    """`count` conferences tomorrow, each reminding its chair and the ward's official: 2 × count messages."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for index in range(count):
        f.ConferenceFactory(unit=world.ward_a, chair_user=world.chris, planned_start=at(tomorrow, 8 + index % 8))


def settled(expected):
    """Wait until `expected` deliveries exist and no outbox row is pending."""
    return wait_until(
        lambda: (
            Delivery.objects.count() >= expected
            and not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()
        ),
        timeout=90,
    )


def test_reminders_enqueued_twice_and_by_two_beats_at_once_are_sent_once(world, workers):
    upcoming_conferences(world, 20)
    workers.start(send_delay=0.05)
    workers.start(send_delay=0.05)
    # Two beats fire the same run at the same moment; then a retry enqueues it once more.
    workers.send(SEND_REMINDERS, kind="conference_upcoming")
    workers.send(SEND_REMINDERS, kind="conference_upcoming")
    time.sleep(0.5)
    workers.send(SEND_REMINDERS, kind="conference_upcoming")
    settled(40)
    workers.wait_idle()  # the last run has finished: it must have found nothing to send
    keys = sent_keys(workers.mail_dir)
    assert sum(keys.values()) == 40
    assert set(keys.values()) == {1}
    assert Delivery.objects.count() == 40
    assert {k[0] for k in keys} == {NotificationKind.CONFERENCE_UPCOMING}


def test_a_worker_killed_mid_batch_and_restarted_sends_each_reminder_once(world, workers):
    upcoming_conferences(world, 30)
    slow = workers.start(send_delay=0.15)
    workers.send(SEND_REMINDERS, kind="conference_upcoming")
    wait_until(lambda: Delivery.objects.count() >= 10, timeout=60, interval=0.05)
    workers.kill(slow)  # SIGKILL in the middle of the batch
    delivered_before = Delivery.objects.count()
    assert delivered_before < 60
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()

    workers.start()
    workers.send(SEND_REMINDERS, kind="conference_upcoming")  # the next beat
    settled(60)
    keys = sent_keys(workers.mail_dir)
    assert sum(keys.values()) == 60, f"{delivered_before} before the kill"
    assert set(keys.values()) == {1}
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 60


def test_petitions_submitted_while_the_broker_is_down_are_saved_and_receipted_once_when_it_returns(
    world, workers, monkeypatch
):
    app = workers.app
    published = []
    real_broker = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:6390/0"  # nothing listens here: "Redis is stopped"
    monkeypatch.setattr(app.amqp, "send_task_message", lambda *a, **k: published.append(a))
    started = time.monotonic()
    codes = []
    for index in range(25):
        petition = petitions.submit_petition(
            unit=world.ward_a,
            kind="kien_nghi",
            category=world.category,
            title=f"Kiến nghị số {index}",
            content="Nội dung kiến nghị.",
            petitioner_name="Trần Văn Nam",
            petitioner_phone="0987654321",
            petitioner_email=f"nam{index}@example.vn",
            consent=True,
        )
        codes.append(petition.tracking_code)
    elapsed = time.monotonic() - started
    assert published == []  # the requests never touched the broker
    assert elapsed < 15
    assert (
        OutboxMessage.objects.filter(kind=NotificationKind.PETITION_RECEIPT, status=OutboxStatus.PENDING).count() == 25
    )

    monkeypatch.undo()
    app.conf.broker_url = real_broker  # Redis is back
    workers.start()
    workers.send(DISPATCH)  # the sweeper's beat
    workers.send(DISPATCH)  # and the next one
    settled(25)
    workers.wait_idle()  # the second sweep has finished too: it must have found nothing to send
    keys = sent_keys(workers.mail_dir)
    assert sum(keys.values()) == 25 and set(keys.values()) == {1}
    bodies = "\n".join(
        part.get_payload(decode=True).decode()
        for message in read_mail_dir(workers.mail_dir)
        for part in message.walk()
        if not part.is_multipart()
    )
    for code in codes:
        assert f"/tra-cuu/{code}/" in bodies
    assert "Trần Văn Nam" not in bodies and "0987654321" not in bodies
