"""The client's address as the audit log records it."""

from django.test import RequestFactory

from audit.services import client_ip


def test_forwarded_header_is_ignored_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.5")
    assert client_ip(request) == "10.0.0.5"


def test_behind_one_proxy_the_rightmost_hop_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_spoofed_entries_left_of_the_trusted_hops_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_too_few_hops_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
