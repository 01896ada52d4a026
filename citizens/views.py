from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request):
    return render(request, "citizens/home.html")


def rate_limited(request, exception=None):
    """Answer a request over its rate limit with HTTP 429 and a plain Vietnamese message."""
    return HttpResponse(_("Too many requests. Please wait a few minutes and try again."), status=429)
