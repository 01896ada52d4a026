"""E-mail alerts without an account: double opt-in, exactly once per item and subscriber, an unsubscribe
link in every message, ids only in the fan-out task."""

import datetime
import io
import logging
import re

import pytest
from celery.signals import task_prerun
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from conferences.models import ConferenceStatus
from conferences.services import announce_conference, postpone_conference
from followup.services import approve_notice, publish_notice
from notifications import alerts
from notifications.models import AlertSubscription, Delivery, NotificationKind, OutboxMessage, SkipReason
from notifications.services import dispatch_all
from notifications.tasks import fan_out_alerts
from tests import factories as f
from tests.notifications.conftest import messages_of

pytestmark = pytest.mark.django_db
K = NotificationKind
HOA = "hoa.nguyen@example.vn"
MINH = "minh.tran@example.vn"


def held_conference(ward):
    return f.ConferenceFactory(
        unit=ward,
        status=ConferenceStatus.HELD,
        planned_start=timezone.now() - datetime.timedelta(days=5),
        held_on=timezone.localdate() - datetime.timedelta(days=5),
    )


@pytest.fixture
def publish(world, django_capture_on_commit_callbacks):
    """Publish a new follow-up notice of `ward` through the services (the fan-out runs after the commit)."""

    def go(ward=None, number="5/TB-UBND"):
        ward = ward or world.ward_a
        notice = f.NoticeFactory(
            unit=ward, conference=held_conference(ward), number=number, issued_on=timezone.localdate()
        )
        with django_capture_on_commit_callbacks(execute=True):
            approve_notice(notice=notice, by=world.chris)
            publish_notice(notice=notice, by=world.chris)
        return notice

    return go


def browser_client(**kwargs) -> Client:
    """A citizen's browser with the language switch set to English (the tests read the source strings)."""
    client = Client(**kwargs)
    client.cookies["django_language"] = "en"
    return client


def confirm_link(message) -> str:
    (link,) = re.findall(r"http\S+/tin/xac-nhan/\S+/", message.body)
    return link


def unsubscribe_link(message) -> str:
    (link,) = re.findall(r"http\S+/tin/huy/\S+/", message.body)
    return link


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def subscribed(world, django_capture_on_commit_callbacks):
    """Subscribe and confirm `email` for `ward` through the confirmation link; return the subscription."""

    def go(email=HOA, ward=None):
        with django_capture_on_commit_callbacks(execute=True):
            subscription = alerts.subscribe(email=email, unit=ward or world.ward_a)
        (confirmation,) = [m for m in messages_of(K.ALERT_CONFIRM) if m.to == [email]]
        response = browser_client().post(path_of(confirm_link(confirmation)))
        assert response.status_code == 200
        subscription.refresh_from_db()
        assert subscription.confirmed_at is not None
        mail.outbox.clear()
        return subscription

    return go


# --- Double opt-in ------------------------------------------------------------------------------


def test_nothing_but_the_confirmation_is_sent_before_confirming(world, publish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alerts.subscribe(email=HOA, unit=world.ward_a)
    (confirmation,) = mail.outbox
    assert confirmation.to == [HOA]
    assert confirmation.extra_headers["X-Portal-Kind"] == K.ALERT_CONFIRM
    assert "/tin/xac-nhan/" in confirmation.body and "/tin/huy/" in confirmation.body
    # Vietnamese, whatever the page's language: citizens' e-mails always are.
    assert confirmation.subject == f"[Đối thoại 2200] Xác nhận đăng ký nhận tin của {world.ward_a}"
    assert "Liên kết có hiệu lực trong 7 ngày." in confirmation.body
    mail.outbox.clear()
    publish()
    dispatch_all()
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(kind=K.ALERT_NOTICE).exists()


def test_the_confirmation_link_confirms_once(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alerts.subscribe(email=HOA, unit=world.ward_a)
    path = path_of(confirm_link(mail.outbox[0]))
    # Opening the link (a mail scanner does) only asks.
    page = client.get(path)
    assert page.status_code == 200 and b'method="post"' in page.content
    assert AlertSubscription.objects.get().confirmed_at is None
    confirmed = client.post(path)
    assert "your address is confirmed" in confirmed.content.decode()
    first = AlertSubscription.objects.get().confirmed_at
    again = client.post(path)
    assert again.status_code == 200 and "already confirmed" in again.content.decode()
    assert AlertSubscription.objects.get().confirmed_at == first
    assert "already confirmed" in client.get(path).content.decode()


def test_a_bad_or_expired_confirmation_link_says_so(world, client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscription = alerts.subscribe(email=HOA, unit=world.ward_a)
    path = path_of(confirm_link(mail.outbox[0]))
    tampered = client.post(path[:-3] + "x/")
    assert tampered.status_code == 404 and "not valid" in tampered.content.decode()
    # A link made for unsubscribing is no confirmation link (salts differ).
    wrong_kind = client.post(f"/tin/xac-nhan/{alerts.unsubscribe_token(subscription)}/")
    assert wrong_kind.status_code == 404
    settings.ALERTS_CONFIRM_MAX_AGE_DAYS = 0
    expired = client.post(path)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert AlertSubscription.objects.get().confirmed_at is None


def test_vietnamese_pages_for_bad_links(world, vi_client):
    page = vi_client.get("/tin/xac-nhan/khong-hop-le/").content.decode()
    assert "Liên kết xác nhận này không hợp lệ" in page
    page = vi_client.get("/tin/huy/khong-hop-le/").content.decode()
    assert "Liên kết hủy đăng ký này không hợp lệ" in page


def test_asking_again_after_confirming_sends_nothing(world, subscribed, django_capture_on_commit_callbacks):
    subscribed()
    with django_capture_on_commit_callbacks(execute=True):
        alerts.subscribe(email=" Hoa.Nguyen@Example.VN ", unit=world.ward_a)
    assert mail.outbox == []
    assert AlertSubscription.objects.count() == 1


# --- Exactly once ---------------------------------------------------------------------------------


def test_a_published_notice_reaches_each_confirmed_subscriber_of_its_ward_once(world, subscribed, publish):
    subscribed(HOA)
    subscribed(MINH)
    subscribed("other.ward@example.vn", ward=world.ward_b)
    notice = publish()
    alerts_sent = messages_of(K.ALERT_NOTICE)
    assert sorted(m.to[0] for m in alerts_sent) == [HOA, MINH]
    assert all(notice.title in m.body and f"/thong-bao/{notice.pk}/" in m.body for m in alerts_sent)
    # The task run again (a retried or duplicated task), and the sweeper again: no second mail.
    fan_out_alerts(str(K.ALERT_NOTICE), notice.pk)
    fan_out_alerts.delay(str(K.ALERT_NOTICE), notice.pk)
    dispatch_all()
    assert len(messages_of(K.ALERT_NOTICE)) == 2
    assert Delivery.objects.filter(kind=K.ALERT_NOTICE, object_id=notice.pk).count() == 2


def test_the_database_refuses_a_second_alert_of_one_item_to_one_subscriber(world, subscribed, publish):
    subscription = subscribed()
    notice = publish()
    row = Delivery.objects.get(kind=K.ALERT_NOTICE, object_id=notice.pk)
    assert row.recipient == alerts.subscriber_ref(subscription.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            kind=row.kind, recipient=row.recipient, object_type=row.object_type, object_id=row.object_id, status="sent"
        )


def test_a_conference_announced_twice_is_announced_once(world, subscribed, django_capture_on_commit_callbacks):
    subscribed()
    conference = f.ConferenceFactory(unit=world.ward_a, planned_start=timezone.now() + datetime.timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        announce_conference(conference=conference, invitation_sent_on=timezone.localdate(), by=world.alice)
    (sent,) = messages_of(K.ALERT_CONFERENCE)
    assert conference.title in sent.body and f"/lich/hoi-nghi/su-kien/{conference.pk}.ics" in sent.body
    new_start = timezone.now() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        postpone_conference(conference=conference, reason="Mưa bão", new_start=new_start, by=world.alice)
        conference.refresh_from_db()
        announce_conference(conference=conference, invitation_sent_on=timezone.localdate(), by=world.alice)
    assert len(messages_of(K.ALERT_CONFERENCE)) == 1


def test_a_publication_rolled_back_sends_nothing(world, subscribed, django_capture_on_commit_callbacks):
    subscribed()
    notice = f.NoticeFactory(unit=world.ward_a, conference=held_conference(world.ward_a), number="6/TB")
    notice.issued_on = timezone.localdate()
    notice.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                approve_notice(notice=notice, by=world.chris)
                publish_notice(notice=notice, by=world.chris)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []


# --- Unsubscribe ----------------------------------------------------------------------------------


def test_every_alert_has_a_one_click_unsubscribe_link(world, subscribed, publish, client):
    subscription = subscribed()
    publish()
    (sent,) = messages_of(K.ALERT_NOTICE)
    link = unsubscribe_link(sent)
    assert link in sent.alternatives[0][0]  # the HTML part too
    assert "Hủy đăng ký (một lần bấm)" in sent.body and sent.subject.startswith(
        "[Đối thoại 2200] Thông báo kết luận mới"
    )
    assert sent.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page = client.get(path_of(link))
    assert page.status_code == 200 and "You are unsubscribed" in page.content.decode()
    assert not AlertSubscription.objects.filter(pk=subscription.pk).exists()
    again = client.get(path_of(link))
    assert again.status_code == 200 and "already cancelled" in again.content.decode()
    mail.outbox.clear()
    publish(number="7/TB-UBND")
    assert mail.outbox == []


def test_the_mail_programs_one_click_post_unsubscribes_without_a_csrf_token(world, subscribed, publish):
    subscribed()
    publish()
    link = unsubscribe_link(messages_of(K.ALERT_NOTICE)[0])
    response = browser_client(enforce_csrf_checks=True).post(path_of(link), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not AlertSubscription.objects.exists()


def test_an_alert_queued_before_unsubscribing_is_skipped(
    world, subscribed, publish, django_capture_on_commit_callbacks
):
    subscription = subscribed()
    notice = f.NoticeFactory(
        unit=world.ward_a, conference=held_conference(world.ward_a), status="published", published_at=timezone.now()
    )
    alerts.write_alerts(kind=K.ALERT_NOTICE, object_id=notice.pk)
    browser_client().get(f"/tin/huy/{alerts.unsubscribe_token(subscription)}/")
    dispatch_all()
    assert mail.outbox == []
    assert Delivery.objects.get(kind=K.ALERT_NOTICE).reason == SkipReason.UNSUBSCRIBED


def test_a_link_of_a_deleted_subscription_never_works_for_a_new_one(world, subscribed):
    old = subscribed()
    token = alerts.unsubscribe_token(old)
    browser_client().get(f"/tin/huy/{token}/")
    new = subscribed()
    # Same id reused or not, the secret differs: the old link cannot cancel the new subscription.
    forged = signing.dumps({"i": new.pk, "s": old.secret}, salt=alerts.UNSUBSCRIBE_SALT)
    assert "already cancelled" in browser_client().get(f"/tin/huy/{forged}/").content.decode()
    assert AlertSubscription.objects.filter(pk=new.pk).exists()


# --- Privacy of the task --------------------------------------------------------------------------


def test_the_fan_out_task_receives_ids_only_and_logs_no_address(world, subscribed, publish, caplog):
    subscribed()
    seen = []

    def record(sender=None, task=None, args=None, kwargs=None, **extra):
        if task.name == "notifications.tasks.fan_out_alerts":
            seen.append((tuple(args or ()), dict(kwargs or {})))

    task_prerun.connect(record)
    try:
        with caplog.at_level(logging.DEBUG):
            notice = publish()
    finally:
        task_prerun.disconnect(record)
    assert seen == [((str(K.ALERT_NOTICE), notice.pk), {})]
    assert len(messages_of(K.ALERT_NOTICE)) == 1
    assert HOA not in caplog.text and "@example.vn" not in caplog.text
    row = OutboxMessage.objects.get(kind=K.ALERT_NOTICE)
    assert "@" not in row.recipient and row.payload == {}


def test_the_fan_out_costs_the_same_queries_for_1_or_50_subscribers(world):
    notice = f.NoticeFactory(
        unit=world.ward_a, conference=held_conference(world.ward_a), status="published", published_at=timezone.now()
    )
    AlertSubscription.objects.create(email="a@example.vn", unit=world.ward_a, confirmed_at=timezone.now())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        alerts.write_alerts(kind=K.ALERT_NOTICE, object_id=notice.pk)
    other = f.NoticeFactory(
        unit=world.ward_a, conference=held_conference(world.ward_a), status="published", published_at=timezone.now()
    )
    AlertSubscription.objects.bulk_create(
        AlertSubscription(email=f"s{i}@example.vn", unit=world.ward_a, confirmed_at=timezone.now()) for i in range(49)
    )
    with CaptureQueriesContext(connection) as fifty:
        fan_out = alerts.write_alerts(kind=K.ALERT_NOTICE, object_id=other.pk)
    assert fan_out.subscribers == fan_out.written == 50
    assert len(fifty) == len(one)


def test_requests_never_confirmed_are_deleted_once_their_link_has_expired(world):
    from django.core.management import call_command

    old = timezone.now() - datetime.timedelta(days=8)
    AlertSubscription.objects.create(email="cu@example.vn", unit=world.ward_a, created_at=old)
    confirmed = AlertSubscription.objects.create(
        email="da.xac.nhan@example.vn", unit=world.ward_a, created_at=old, confirmed_at=old
    )
    recent = AlertSubscription.objects.create(email="moi@example.vn", unit=world.ward_a)
    out = io.StringIO()
    call_command("purge_citizen_drafts", stdout=out)
    assert "Removed 1 e-mail alert request(s) never confirmed." in out.getvalue()
    assert set(AlertSubscription.objects.all()) == {confirmed, recent}
