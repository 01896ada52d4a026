"""The settings module: safe defaults for a newcomer, loud failures for a misconfigured production."""

import os
import subprocess
import sys

from django.conf import settings

BASE = settings.BASE_DIR


def _import_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import dialogue_portal.settings"],
        cwd=BASE,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start():
    result = _import_settings({"DEBUG": "false", "ALLOWED_HOSTS": "x.vn", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = _import_settings({"DEBUG": "false", "SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_production_without_redis_refuses_to_start():
    result = _import_settings({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "x.vn"})
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr


def test_development_starts_with_embedded_defaults():
    result = _import_settings({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_time_zone_and_language_are_vietnamese():
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
