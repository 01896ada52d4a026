"""Against a real Celery worker on Redis and PostgreSQL: a published notice reaches each subscriber once,
however often the fan-out task runs, and the task on the broker carries ids only."""

import datetime
import json

import pytest
from celery.signals import before_task_publish
from django.utils import timezone

from conferences.models import ConferenceStatus
from followup.services import approve_notice, publish_notice
from notifications.models import AlertSubscription, Delivery, NotificationKind
from tests import factories as f
from tests.notifications.conftest import read_mail_dir, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
]
FAN_OUT = "notifications.tasks.fan_out_alerts"


def test_a_notice_published_and_fanned_out_three_times_reaches_each_subscriber_once(world, workers, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    emails = [f"nguoi{i}@example.vn" for i in range(12)]
    AlertSubscription.objects.bulk_create(
        AlertSubscription(email=e, unit=world.ward_a, confirmed_at=timezone.now()) for e in emails
    )
    AlertSubscription.objects.create(email="chua.xac.nhan@example.vn", unit=world.ward_a)  # never confirmed
    conference = f.ConferenceFactory(
        unit=world.ward_a,
        status=ConferenceStatus.HELD,
        planned_start=timezone.now() - datetime.timedelta(days=3),
        held_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    notice = f.NoticeFactory(
        unit=world.ward_a, conference=conference, number="9/TB-UBND", issued_on=timezone.localdate()
    )
    published = []

    def record(sender=None, body=None, headers=None, **kwargs):
        if sender == FAN_OUT:
            published.append(json.dumps(body, default=str))

    before_task_publish.connect(record)
    try:
        workers.start()
        workers.start()
        approve_notice(notice=notice, by=world.chris)
        publish_notice(notice=notice, by=world.chris)  # queues the fan-out after its commit
        workers.send(FAN_OUT, kind=str(NotificationKind.ALERT_NOTICE), object_id=notice.pk)  # a retry…
        workers.send(FAN_OUT, kind=str(NotificationKind.ALERT_NOTICE), object_id=notice.pk)  # …and another
        wait_until(lambda: Delivery.objects.filter(kind=NotificationKind.ALERT_NOTICE).count() >= 12, timeout=90)
        workers.wait_idle()
    finally:
        before_task_publish.disconnect(record)
    sent = [m for m in read_mail_dir(workers.mail_dir) if m["X-Portal-Kind"] == NotificationKind.ALERT_NOTICE]
    assert sorted(m["To"] for m in sent) == sorted(emails)
    assert all("/tin/huy/" in m.as_string() for m in sent)
    assert Delivery.objects.filter(kind=NotificationKind.ALERT_NOTICE).count() == 12
    # What reached the broker: the kind and the notice's id, no address.
    assert len(published) == 3
    assert all("@" not in body and str(notice.pk) in body for body in published)
