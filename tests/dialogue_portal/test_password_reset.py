"""Password reset: rate-limited per address and per account, the same answer whether the account exists."""

import statistics
import time

import pytest
from django.core import mail

from dialogue_portal import tasks

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"


@pytest.fixture
def queued(monkeypatch):
    """Record the reset mails queued instead of handing them to the worker."""
    calls = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda **kwargs: calls.append(kwargs))
    return calls


def test_the_answer_is_the_same_whether_the_account_exists(client, world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": "alice@example.vn"})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(RESET, {"email": "nobody@example.vn"}, REMOTE_ADDR="192.0.2.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [call["email"] for call in queued] == ["alice@example.vn", "nobody@example.vn"]
    # The page itself sends nothing: the worker looks the account up.
    assert mail.outbox == []


def test_the_answer_takes_about_the_same_time_whether_the_account_exists(client, world, queued, settings):
    settings.RATELIMIT_ENABLE = False

    def timed(email):
        start = time.perf_counter()
        client.post(RESET, {"email": email})
        return time.perf_counter() - start

    known = statistics.median(timed("alice@example.vn") for _ in range(7))
    unknown = statistics.median(timed("nobody@example.vn") for _ in range(7))
    assert abs(known - unknown) < 0.05


def test_the_worker_sends_the_link_only_to_an_existing_account(world):
    tasks.send_password_reset(email="nobody@example.vn", domain="doithoai.vn", use_https=True)
    assert mail.outbox == []
    tasks.send_password_reset(email="alice@example.vn", domain="doithoai.vn", use_https=True)
    assert [m.to for m in mail.outbox] == [["alice@example.vn"]]
    assert "https://doithoai.vn/accounts/reset/" in mail.outbox[0].body


def test_reset_requests_are_limited_per_account_across_addresses(client, world, queued):
    statuses = [
        client.post(RESET, {"email": "alice@example.vn"}, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert client.post(RESET, {"email": "bob@example.vn"}, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_reset_requests_are_limited_per_address(client, world, queued):
    statuses = [client.post(RESET, {"email": f"person{n}@example.vn"}).status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
