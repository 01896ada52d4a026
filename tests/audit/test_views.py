"""The one confirmed-action shape: GET confirms, POST calls the service, refusals are one message."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from audit import views
from audit.forms import ReasonForm
from audit.transitions import TransitionNotAllowed
from tests import factories as f

pytestmark = pytest.mark.django_db


class Thing:
    def __str__(self):
        return "The thing"


def make_request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/things/1/act/", data or {}, REMOTE_ADDR="10.1.2.3")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = f.UserFactory()
    return request


def act(request, perform, **kwargs):
    options = {"title": "Do the thing", "success": "Done.", "back_url": "/things/1/", **kwargs}
    return views.confirmed_action(request, Thing(), perform=perform, **options)


def levels(request):
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_get_shows_the_confirmation_and_calls_nothing():
    calls = []
    response = act(make_request(), lambda data, **kw: calls.append(data), question="It will be done.")
    html = response.content.decode()
    assert response.status_code == 200 and calls == []
    assert "Do the thing" in html and "It will be done." in html and "The thing" in html
    assert 'action="/things/1/act/"' in html and 'id="confirm"' in html and 'href="/things/1/"' in html


def test_post_calls_the_service_with_actor_and_address_then_redirects():
    calls = []
    request = make_request("post")
    response = act(request, lambda data, **kw: calls.append((data, kw)))
    assert response.status_code == 302 and response.url == "/things/1/"
    assert calls == [({}, {"by": request.user, "ip": "10.1.2.3"})]
    assert levels(request) == [("success", "Done.")]


def test_a_returned_text_is_shown_as_a_warning_and_success_url_may_follow_the_result():
    request = make_request("post")
    response = act(request, lambda data, **kw: "Late invitation.", success_url=lambda result: f"/r/{len(result)}/")
    assert response.url == "/r/16/"
    assert levels(request) == [("success", "Done."), ("warning", "Late invitation.")]


@pytest.mark.parametrize(
    "error",
    [TransitionNotAllowed("Not from here."), ValidationError("Not from here.")],
    ids=["transition", "validation"],
)
def test_a_refusal_is_one_error_message_on_the_same_page_with_the_input_kept(error):
    def perform(data, **kw):
        raise error

    request = make_request("post", {"reason": "Kept reason"})
    response = act(request, perform, form_class=ReasonForm)
    assert response.status_code == 200
    assert levels(request) == [("error", "Not from here.")]
    assert "Kept reason" in response.content.decode()


def test_an_invalid_form_is_shown_again_without_calling_the_service():
    calls = []
    response = act(
        make_request("post", {"reason": "   "}), lambda data, **kw: calls.append(data), form_class=ReasonForm
    )
    assert response.status_code == 200 and calls == []
    assert "This field is required." in response.content.decode()


def test_a_forbidden_actor_raised_by_the_service_is_a_403():
    def perform(data, **kw):
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        act(make_request("post"), perform)


def test_other_domain_errors_can_be_added_to_the_refusals(monkeypatch):
    class Refused(Exception):
        pass

    def perform(data, **kw):
        raise Refused("Refused by the rule.")

    monkeypatch.setattr(views, "REFUSED_ERRORS", (*views.REFUSED_ERRORS, Refused))
    request = make_request("post")
    assert act(request, perform).status_code == 200
    assert levels(request) == [("error", "Refused by the rule.")]
