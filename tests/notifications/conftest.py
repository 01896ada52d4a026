"""Fixtures for the notifications tests: run the sweeper, read the locmem mailbox, and (for the
worker tests) start real Celery workers on Redis against the test database."""

import datetime
import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.utils import timezone

from notifications.services import dispatch_all

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def now_day():
    """Today in the portal's time zone: the sweeper checks against the real date."""
    return timezone.localdate()


@pytest.fixture
def send_all():
    """Run the sweeper until nothing is due; return the result."""

    def run():
        return dispatch_all(limit=500)

    return run


def messages_of(kind: str):
    return [m for m in mail.outbox if m.extra_headers.get("X-Portal-Kind") == kind]


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Real workers ---------------------------------------------------------------------------------


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Workers:
    """Start and stop `celery -A dialogue_portal worker --pool=solo` processes on the test database."""

    def __init__(self, mail_dir: Path, log_dir: Path):
        from dialogue_portal.celery import app

        self.app = app
        self.mail_dir = mail_dir
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def env(self, **extra) -> dict:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "DEBUG": "false",
            "SECRET_KEY": "worker-test-only-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "localhost",
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "dialogue_portal.settings",
        }
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def start(self, *, send_delay: float = 0, **env) -> subprocess.Popen:
        """Start a worker. With `send_delay`, it writes each e-mail that many seconds late (a test
        backend, `tests.notifications.backends.SlowFileBackend`), so it can be killed mid-batch."""
        if send_delay:
            env.update(DJANGO_SETTINGS_MODULE="tests.notifications.worker_settings", TEST_EMAIL_SEND_DELAY=send_delay)
        if not self.processes:
            self.app.control.purge()  # nothing left over from an earlier run in this Redis database
        name = f"notify-test-{uuid.uuid4().hex[:8]}@%h"
        log = open(self.log_dir / f"{name.split('@')[0]}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "dialogue_portal",
                "worker",
                "--pool=solo",
                "-n",
                name,
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=self.env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        self.processes.append(process)
        hostname = name.replace("%h", os.uname().nodename)
        process.hostname = hostname
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"worker exited: {(self.log_dir / (name.split('@')[0] + '.log')).read_text()}")
            if self.app.control.ping(destination=[hostname], timeout=0.5):
                return process
        raise RuntimeError("worker did not start within 30 s")

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
            process.log.close()

    def send(self, task: str, **kwargs):
        return self.app.send_task(task, kwargs=kwargs)

    def idle(self) -> bool:
        """Return True when no task waits or runs: the broker's queue and its unacknowledged set are
        empty (tasks are acknowledged late, once they ran), and every live worker answers a ping (a solo
        worker answers only between tasks) — checked again after the ping, for a task taken meanwhile."""
        client = redis.Redis.from_url(self.app.conf.broker_url)

        def drained():
            return client.llen("celery") == 0 and client.hlen("unacked") == 0

        names = [p.hostname for p in self.processes if p.poll() is None]
        if not drained():
            return False
        if names and len(self.app.control.ping(destination=names, timeout=1)) < len(names):
            return False
        return drained()

    def wait_idle(self, timeout: float = 60) -> None:
        """Wait (at most `timeout` seconds) until every task sent so far has run to the end."""
        wait_until(self.idle, timeout=timeout)


@pytest.fixture
def workers(requires_postgres, requires_redis, tmp_path, settings):
    """Real Celery workers on Redis, reading and writing the test database (use with transaction=True)."""
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    pool = Workers(mail_dir, tmp_path)
    eager = pool.app.conf.task_always_eager
    pool.app.conf.task_always_eager = False
    yield pool
    pool.stop_all()
    if pool.processes:
        pool.app.control.purge()
    pool.app.conf.task_always_eager = eager


def read_mail_dir(mail_dir: Path) -> list[email.message.Message]:
    """Return every message the file-based backend wrote (several per file are separated by dashes)."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk))
    return found


def wait_until(predicate, timeout: float = 60, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's accounts are hashed with the fast test hasher (PBKDF2 costs seconds per test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
