"""Outbox and sent log: written in the change's transaction, sent once, retried, parked."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery, DeliveryStatus, NotificationKind, OutboxMessage, OutboxStatus
from notifications.services import dispatch_due, retry_messages
from petitions import services as petitions
from tests.notifications.conftest import messages_of

K = NotificationKind


def submit(world, **extra):
    fields = {
        "unit": world.ward_a,
        "kind": "kien_nghi",
        "category": world.category,
        "title": "Đèn chiếu sáng ngõ 12 hỏng",
        "content": "Đèn hỏng hơn một tháng.",
        "petitioner_name": "Nguyễn Thị Hoa",
        "petitioner_phone": "0912345678",
        "petitioner_email": "hoa.nguyen@example.vn",
        "petitioner_address": "Số 5 ngõ 12",
        "consent": True,
    }
    fields.update(extra)
    return petitions.submit_petition(**fields)


def test_submitting_a_petition_writes_its_receipt_to_the_outbox_not_the_broker(world, monkeypatch):
    from celery.app.task import Task

    def broker_touched(*args, **kwargs):
        raise AssertionError("the request must not touch the broker")

    monkeypatch.setattr(Task, "apply_async", broker_touched)
    petition = submit(world)
    row = OutboxMessage.objects.get()
    assert (row.kind, row.recipient, row.object_id, row.status) == (
        K.PETITION_RECEIPT,
        "petitioner",
        petition.pk,
        OutboxStatus.PENDING,
    )
    # Ids only: nothing personal is stored in the row.
    stored = f"{row.recipient} {row.due_key} {row.payload}"
    for personal in ("Hoa", "0912345678", "hoa.nguyen", "ngõ 12"):
        assert personal not in stored


def test_outbox_row_is_rolled_back_with_the_change(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(world)
        raise RuntimeError("the service's transaction fails after the signal")
    assert not OutboxMessage.objects.exists()


def test_no_outbox_row_for_a_citizen_without_an_e_mail(world):
    submit(world, petitioner_email="")
    assert not OutboxMessage.objects.exists()


def test_receipt_is_sent_once_when_the_sweeper_runs_twice(world, send_all):
    petition = submit(world)
    first, second = send_all(), send_all()
    assert (first.sent, second.sent) == (1, 0)
    [message] = messages_of(K.PETITION_RECEIPT)
    assert message.to == ["hoa.nguyen@example.vn"]
    assert message.subject.startswith("[Đối thoại 2200] ")
    assert petition.display_code in message.subject
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.language, delivery.object_id) == (DeliveryStatus.SENT, "vi", petition.pk)
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_citizen_e_mails_carry_the_code_and_tracking_link_and_no_personal_data(world, send_all, settings):
    settings.SITE_URL = "https://doithoai.example.vn"
    petition = submit(world)
    petitions.accept_petition(petition=petition, by=world.alice)
    petitions.assign_petition(petition=petition, organisation=world.land_a, by=world.alice)
    petitions.answer_petition(
        petition=petition,
        text="Đã thay bóng đèn.",
        document_number="12/UBND",
        document_date=timezone.localdate(),
        by=world.hana,
    )
    send_all()
    kinds = [m.extra_headers["X-Portal-Kind"] for m in mail.outbox]
    assert kinds == [K.PETITION_RECEIPT, K.PETITION_ACCEPTED, K.PETITION_ASSIGNED, K.PETITION_ANSWERED]
    for message in mail.outbox:
        html = message.alternatives[0][0]
        for body in (message.body, html, message.subject):
            assert "Nguyễn Thị Hoa" not in body and "Hoa" not in body
            assert "0912345678" not in body and "912 345 678" not in body
            assert "Số 5 ngõ 12" not in body
            assert "Đèn hỏng hơn một tháng" not in body
        assert f"https://doithoai.example.vn/tra-cuu/{petition.tracking_code}/" in message.body
        assert f"https://doithoai.example.vn/tra-cuu/{petition.tracking_code}/" in html
        assert petition.display_code in message.body
        assert message.extra_headers["X-Portal-Object"] == f"petitions.petition:{petition.pk}"


def test_verdict_request_goes_a_week_after_the_answer_and_not_after_a_verdict(world, send_all):
    petition = submit(world)
    petitions.accept_petition(petition=petition, by=world.alice)
    petitions.answer_petition(
        petition=petition,
        text="Đã xử lý.",
        document_number="1/UBND",
        document_date=timezone.localdate(),
        by=world.alice,
    )
    send_all()
    request = OutboxMessage.objects.get(kind=K.VERDICT_REQUEST)
    assert request.status == OutboxStatus.PENDING
    assert request.next_attempt_at > timezone.now() + datetime.timedelta(days=6)
    assert not messages_of(K.VERDICT_REQUEST)
    result = dispatch_due(now=timezone.now() + datetime.timedelta(days=7, minutes=1))
    assert result.sent == 1
    assert len(messages_of(K.VERDICT_REQUEST)) == 1

    # A second answered petition whose citizen gives the verdict first: the request is skipped.
    other = submit(world)
    petitions.accept_petition(petition=other, by=world.alice)
    petitions.answer_petition(
        petition=other, text="Đã xử lý.", document_number="2/UBND", document_date=timezone.localdate(), by=world.alice
    )
    petitions.record_verdict(petition=other, verdict="resolved", rating=5)
    dispatch_due(now=timezone.now() + datetime.timedelta(days=7, minutes=1))
    skipped = Delivery.objects.get(kind=K.VERDICT_REQUEST, object_id=other.pk)
    assert (skipped.status, skipped.reason) == (DeliveryStatus.SKIPPED, "verdict already given")
    assert len(messages_of(K.VERDICT_REQUEST)) == 1


def test_not_resolved_alerts_the_unit_and_the_handling_officers(world, send_all):
    petition = submit(world)
    petitions.accept_petition(petition=petition, by=world.alice)
    petitions.assign_petition(petition=petition, organisation=world.land_a, by=world.alice)
    petitions.answer_petition(
        petition=petition, text="Đã xử lý.", document_number="3/UBND", document_date=timezone.localdate(), by=world.hana
    )
    petitions.record_verdict(petition=petition, verdict="not_resolved", comment="Đèn vẫn hỏng.")
    send_all()
    alerts = messages_of(K.NOT_RESOLVED_ALERT)
    assert sorted(m.to[0] for m in alerts) == ["alice@example.vn", "hana@example.vn"]
    assert petition.display_code in alerts[0].subject
    # Officials see the petition's title but never the petitioner's contacts.
    assert "0912345678" not in alerts[0].body and "hoa.nguyen" not in alerts[0].body


def test_official_without_an_e_mail_is_skipped_with_the_reason(world, send_all):
    world.alice.email = ""
    world.alice.save(update_fields=["email"])
    petition = submit(world)
    petitions.accept_petition(petition=petition, by=world.alice)
    petitions.answer_petition(
        petition=petition,
        text="Đã xử lý.",
        document_number="4/UBND",
        document_date=timezone.localdate(),
        by=world.alice,
    )
    petitions.record_verdict(petition=petition, verdict="not_resolved", comment="Chưa xong.")
    send_all()
    delivery = Delivery.objects.get(kind=K.NOT_RESOLVED_ALERT, recipient=f"user:{world.alice.pk}")
    assert (delivery.status, delivery.reason) == (DeliveryStatus.SKIPPED, "no e-mail address")


def test_a_failing_send_backs_off_then_parks_and_the_admin_retry_sends_it(world, monkeypatch, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    submit(world)

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down for hoa.nguyen@example.vn")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    clock = timezone.now()
    waits = []
    for _attempt in range(3):
        result = dispatch_due(now=clock)
        assert result.failed == 1
        row = OutboxMessage.objects.get()
        waits.append(row.next_attempt_at - clock)
        clock = row.next_attempt_at + datetime.timedelta(seconds=1)
    row.refresh_from_db()
    assert row.status == OutboxStatus.PARKED
    assert row.attempts == 3
    assert waits[1] > waits[0]  # exponential back-off
    assert "hoa.nguyen" not in row.last_error and "<address>" in row.last_error
    assert not Delivery.objects.exists()  # the failed attempts left no "sent" record
    assert dispatch_due(now=clock + datetime.timedelta(days=1)).handled == 0  # parked rows wait for a person

    monkeypatch.undo()
    assert retry_messages(ids=[row.pk]) == 1
    assert dispatch_due().sent == 1
    assert len(messages_of(K.PETITION_RECEIPT)) == 1


def test_admin_retry_action_requeues_parked_messages(world, admin_client):
    submit(world)
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.PARKED, attempts=8)
    response = admin_client.post(
        "/admin/notifications/outboxmessage/", {"action": "retry", "_selected_action": [row.pk]}, follow=True
    )
    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)


def test_a_delivery_already_recorded_is_never_sent_again(world, send_all):
    """An outbox row restored by hand after it was sent finds the sent log and sends nothing."""
    submit(world)
    send_all()
    OutboxMessage.objects.update(status=OutboxStatus.PENDING)
    result = send_all()
    assert result.sent == 0
    assert len(messages_of(K.PETITION_RECEIPT)) == 1
    assert OutboxMessage.objects.get().skip_reason == "already delivered"


def test_sweeper_reads_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    """Reads are batched: N messages cost the batch's reads plus the same writes per message."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(count):
        for index in range(count):
            submit(world, title=f"Kiến nghị {index}")
        with CaptureQueriesContext(connection) as captured:
            assert dispatch_due(limit=500).sent == count
        return len(captured)

    one, two, fifty = run(1), run(2), run(50)
    per_message = two - one
    assert per_message <= 7  # lock the row, insert the delivery, mark the row (+ savepoints)
    assert fifty == one + 49 * per_message


def test_embedded_default_sends_the_receipt_right_after_the_commit(world, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker and no beat: send once the change is committed
    with django_capture_on_commit_callbacks(execute=True):
        submit(world)
    assert len(messages_of(K.PETITION_RECEIPT)) == 1


def test_with_a_broker_the_request_leaves_the_sending_to_the_sweeper(
    world, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(world)
    assert callbacks == []
    assert not mail.outbox
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING


@pytest.mark.parametrize("page", ["outboxmessage", "delivery", "notificationpreference"])
def test_admin_lists_load(world, admin_client, send_all, page):
    submit(world)
    send_all()
    assert admin_client.get(f"/admin/notifications/{page}/").status_code == 200
