import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The demo creates seven accounts; hash their passwords quickly in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
