"""The receipt e-mail a citizen gets after sending: the code, the link and the acknowledgement deadline."""

from django.core import mail

from notifications.models import NotificationKind
from notifications.services import dispatch_all


def receipt():
    (message,) = [m for m in mail.outbox if m.extra_headers.get("X-Portal-Kind") == NotificationKind.PETITION_RECEIPT]
    return message


def test_receipt_gives_the_acknowledgement_deadline(world, submitted):
    petition = submitted()
    dispatch_all(limit=50)
    message = receipt()
    date = f"{petition.acknowledgement_due_on:%d/%m/%Y}"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert petition.display_code in body
        assert date in body, body
    assert "Nguyễn Thị Hoa" not in message.body and "0912345678" not in message.body
