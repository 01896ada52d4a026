"""The settings module: safe defaults for a newcomer, loud failures for a misconfigured production."""

import os
import subprocess
import sys

from django.conf import settings

BASE = settings.BASE_DIR


def _import_settings(env: dict, module: str = "dialogue_portal.wsgi") -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
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


def test_maintenance_commands_run_without_production_settings():
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE,
        env={**clean, "DEBUG": "false", "DATABASE_URL": "sqlite:////tmp/never-created.sqlite3"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_deploy_check_reports_what_production_lacks():
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE,
        env={**clean, "DEBUG": "false", "ALLOWED_HOSTS": "x.vn", "REDIS_URL": "redis://127.0.0.1:6379/0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "dialogue_portal.E001" in result.stderr and "SECRET_KEY is not set" in result.stderr


def test_filemail_url_with_three_slashes_is_an_absolute_folder():
    from dialogue_portal.settings import email_config

    config = email_config("filemail:///var/mail/portal")
    assert config["EMAIL_FILE_PATH"] == "/var/mail/portal"
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert email_config("consolemail://")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_rate_limits_and_windows_are_read_from_the_environment():
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.CITIZENS_RATE_SEND_PER_IP, s.CITIZENS_RATE_TRACK_PER_IP, s.RATELIMIT_ENABLE, s.AXES_COOLOFF_TIME)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CITIZENS_RATE_", "RATELIMIT_", "AXES_"))}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "dialogue_portal.settings",
        "DEBUG": "true",
        "CITIZENS_RATE_SEND_PER_IP": "200/h",
        "CITIZENS_RATE_TRACK_PER_IP": "7/5m",
        "RATELIMIT_ENABLE": "false",
        "AXES_COOLOFF_HOURS": "2",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200/h", "7/5m", "False", "2.0"]


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    import re

    source = (BASE / "dialogue_portal" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (BASE / ".env.example").read_text(), re.M))
    assert read - documented == set()


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "x.vn",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_on_sqlite_refuses_to_serve_and_fails_the_deploy_check():
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", *PRODUCTION)}
    served = subprocess.run(
        [sys.executable, "-c", "import dialogue_portal.wsgi"],
        cwd=BASE,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode != 0 and "Production needs PostgreSQL" in served.stderr
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode != 0
    assert "dialogue_portal.E001" in checked.stderr and "Production needs PostgreSQL" in checked.stderr
