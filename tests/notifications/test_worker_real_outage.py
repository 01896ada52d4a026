"""Against real processes: a Redis server that is really stopped and started again, and two real beats.

`test_worker.py` simulates the outage with a dead port and the second beat with a second
`send_task`; here a private `redis-server` is terminated while citizens submit petitions, and two
`celery beat` processes (DatabaseScheduler) fire `send_reminders` every 2 seconds at one worker.
Every subprocess is started in its own process group and killed in a `finally`.
"""

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import redis
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks
from kombu import pools
from kombu.exceptions import OperationalError

from notifications.models import Delivery, NotificationKind, OutboxMessage, OutboxStatus
from petitions import services as petitions
from petitions.models import Petition
from tests import factories as f
from tests.notifications.conftest import ROOT, at, read_mail_dir, wait_until
from tests.notifications.test_worker import DISPATCH, SEND_REMINDERS, sent_keys, settled

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.slow,
]

REDIS_SERVER = "/usr/bin/redis-server"
PRIVATE_PORTS = range(6391, 6400)


def _free_port() -> int:
    for port in PRIVATE_PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PRIVATE_PORTS}")


def _stop_group(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a process started with start_new_session=True and everything in its group."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # stragglers in the group (none expected)
    except ProcessLookupError:
        pass
    if process.poll() is None:
        process.wait(timeout=5)


class PrivateRedis:
    """A throw-away `redis-server` on its own port that can really be stopped and started again."""

    def __init__(self, port: int, log_dir):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.log_dir = log_dir
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(self.log_dir / f"redis-{self.port}-{self.starts}.log", "wb")  # noqa: SIM115 - closed below
        try:
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
                + ["--appendonly", "no", "--daemonize", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not answer within 10 s")

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process)
            self.process = None

    def is_up(self) -> bool:
        try:
            return bool(redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5).ping())
        except redis.ConnectionError:
            return False


@pytest.fixture
def private_redis(requires_redis, tmp_path):
    server = PrivateRedis(_free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _reset_connections(app) -> None:
    """Forget the app's cached connection and producer pools so the next use reads conf.broker_url.

    The pools themselves stay in kombu's registry (keyed by broker URL): the real broker's pool
    is found again, unclosed, when the URL is put back.
    """
    app._pool = None
    app.amqp._producer_pool = None


def _close_pools_of(port: int) -> None:
    """Close and unregister kombu's pools for the private Redis (the server is about to go away)."""
    for group in (pools.producers, pools.connections):
        for key in list(group):  # a key is the connection's (transport, hostname or URL, …, port, …)
            if port in key or any(f":{port}/" in str(item) for item in key):
                group.pop(key).force_close_all()


@pytest.fixture
def web_on_private_redis(private_redis, workers, settings):
    """Point the web side's Celery app (and setting) at the private Redis; put it back before the workers stop."""
    app = workers.app
    previous = app.conf.broker_url
    settings.CELERY_BROKER_URL = private_redis.url
    app.conf.broker_url = private_redis.url
    _reset_connections(app)
    try:
        yield private_redis
    finally:
        app.conf.broker_url = previous
        _reset_connections(app)
        _close_pools_of(private_redis.port)


def _broker_reachable(app) -> bool:
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0, timeout=1)
        return True
    except (OperationalError, OSError):
        return False


def test_petitions_sent_while_redis_is_really_stopped_are_saved_and_receipted_once_after_it_returns(
    world, workers, web_on_private_redis
):
    server = web_on_private_redis
    app = workers.app
    assert app.conf.broker_url == server.url and _broker_reachable(app)

    server.stop()  # Redis is stopped: the process is gone, the port refuses connections
    assert not server.is_up()
    _reset_connections(app)
    assert not _broker_reachable(app)

    started = time.monotonic()
    codes = []
    for index in range(10):
        petition = petitions.submit_petition(
            unit=world.ward_a,
            kind="kien_nghi",
            category=world.category,
            title=f"Kiến nghị khi Redis dừng số {index}",
            content="Nội dung kiến nghị.",
            petitioner_name="Trần Văn Nam",
            petitioner_phone="0987654321",
            petitioner_email=f"nam{index}@example.vn",
            consent=True,
        )
        codes.append(petition.tracking_code)
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"the requests waited for the broker ({elapsed:.1f} s)"
    assert Petition.objects.filter(tracking_code__in=codes).count() == 10
    receipts = OutboxMessage.objects.filter(kind=NotificationKind.PETITION_RECEIPT)
    assert receipts.filter(status=OutboxStatus.PENDING).count() == 10
    assert not server.is_up()  # nothing brought it back behind our back
    assert read_mail_dir(workers.mail_dir) == []

    server.start()  # Redis returns, empty (no persistence), on the same port
    _reset_connections(app)
    assert _broker_reachable(app)
    workers.start(REDIS_URL=server.url)  # the worker only knows the private Redis
    workers.send(DISPATCH)  # the sweeper's beat
    workers.send(DISPATCH)  # and the next one
    settled(10)
    workers.wait_idle()  # the second sweep has finished: it must have found nothing to send

    keys = sent_keys(workers.mail_dir)
    assert sum(keys.values()) == 10 and set(keys.values()) == {1}
    assert {k[0] for k in keys} == {NotificationKind.PETITION_RECEIPT}
    assert {k[3] for k in keys} == {f"nam{index}@example.vn" for index in range(10)}
    assert receipts.filter(status=OutboxStatus.SENT).count() == 10
    assert Delivery.objects.count() == 10
    bodies = "\n".join(
        part.get_payload(decode=True).decode()
        for message in read_mail_dir(workers.mail_dir)
        for part in message.walk()
        if not part.is_multipart()
    )
    for code in codes:
        assert f"/tra-cuu/{code}/" in bodies


BEAT_TASK_NAME = "test: conference reminders every 2 seconds"


def _start_beat(workers, tmp_path, index: int) -> subprocess.Popen:
    log = open(tmp_path / f"beat-{index}.log", "wb")  # noqa: SIM115 - closed right after the start
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "dialogue_portal", "beat"]
            + ["--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"]
            + ["--pidfile", str(tmp_path / f"beat-{index}.pid"), "-s", str(tmp_path / f"beat-{index}-schedule")]
            + ["--max-interval", "1", "-l", "INFO"],
            cwd=ROOT,
            env=workers.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        log.close()


def _fired(tmp_path, index: int) -> int:
    """Return how many times beat `index` has sent the test's periodic task so far."""
    path = tmp_path / f"beat-{index}.log"
    text = path.read_text() if path.exists() else ""
    return text.count(f"Sending due task {BEAT_TASK_NAME} ({SEND_REMINDERS})")


def test_two_real_beats_firing_every_two_seconds_send_each_reminder_once(world, workers, tmp_path):
    week = timezone.localdate() + datetime.timedelta(days=7)
    for index in range(5):  # each reminds its chair and the ward's official (stage D-7): 10 messages
        f.ConferenceFactory(unit=world.ward_a, chair_user=world.chris, planned_start=at(week, 8 + index))
    every_2s, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name=BEAT_TASK_NAME,
        task=SEND_REMINDERS,
        interval=every_2s,
        kwargs=json.dumps({"kind": "conference_upcoming"}),
    )
    PeriodicTasks.update_changed()
    expected = 10

    workers.start(send_delay=0.05)
    beats = []
    try:
        beats = [_start_beat(workers, tmp_path, 1), _start_beat(workers, tmp_path, 2)]
        # Until both beats have fired the task several times (bounded: a loaded machine is slower).
        wait_until(lambda: all(_fired(tmp_path, index) >= 3 for index in (1, 2)), timeout=90, interval=0.5)
        for index, beat in enumerate(beats, 1):
            assert beat.poll() is None, (tmp_path / f"beat-{index}.log").read_text()
    finally:
        for beat in beats:
            _stop_group(beat)

    logs = [(tmp_path / f"beat-{index}.log").read_text() for index in (1, 2)]
    for log in logs:  # both beats really fired the task, several times each
        assert log.count(f"Sending due task {BEAT_TASK_NAME} ({SEND_REMINDERS})") >= 3, log
    settled(expected)
    workers.wait_idle()  # every run the beats sent has finished (the last ones must have found nothing to send)

    keys = sent_keys(workers.mail_dir)
    assert sum(keys.values()) == expected, keys
    assert set(keys.values()) == {1}
    assert {k[0] for k in keys} == {NotificationKind.CONFERENCE_UPCOMING}
    assert {k[2] for k in keys} == {f"D-7:{week}"}
    assert len(read_mail_dir(workers.mail_dir)) == expected
    deliveries = list(Delivery.objects.values_list("kind", "recipient", "object_id", "due_key"))
    assert len(deliveries) == expected == len(set(deliveries))
    assert not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()
