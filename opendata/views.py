"""The Open311 GeoReport v2 endpoints: plain views answering JSON or XML (the URL's extension).

Every answer is shaped by the specification; errors are lists of {code, description} (400, 403, 404, 429),
and any unexpected input is a 400, never a 500.
"""

import csv
import datetime
import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from audit.services import client_ip
from citizens.ratelimits import ALERTS, CAPTCHA, TRACK, count, exhausted, rate_limited
from notifications.alerts import (
    AlertLinkExpired,
    AlertLinkInvalid,
    AlertSubscriptionGone,
    confirm_subscription,
    subscribe,
    subscription_for_confirm,
    unsubscribe,
)
from opendata import calendars, open311, statistics
from opendata.feeds import ward_or_404
from opendata.forms import AlertSubscribeForm
from opendata.openapi import openapi_schema
from opendata.services import ServiceRequestInvalid, client_for_key, official_for_token, submit_service_request
from petitions.codes import normalise_tracking_code
from petitions.models import OPEN_STATUSES, Category, Petition
from units.models import AdministrativeUnit


def _answer(fmt: str, root: str, payload, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(open311.to_xml(root, payload), content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(payload, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    return _answer(fmt, "errors", open311.errors(status, *descriptions), status=status)


def _public_petitions():
    return Petition.objects.select_related("category", "unit", "handling_org")


@require_GET
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("opendata:discovery", kwargs={"fmt": "json"})).rsplit("/", 1)[0] + "/"
    payload = {
        "changeset": open311.CHANGESET,
        "contact": _("Write to the administrator of the portal."),
        "key_service": _("API keys for submitting petitions are issued by the portal's administrator."),
        "endpoints": [
            {
                "specification": open311.SPECIFICATION,
                "url": base,
                "changeset": open311.CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return _answer(fmt, "discovery", payload)


def _jurisdiction_missing(request) -> bool:
    """Return True if a `jurisdiction_id` was given that is no ward or commune in force today."""
    code = request.GET.get("jurisdiction_id")
    return bool(code) and not AdministrativeUnit.objects.current().communes().filter(code=code).exists()


@require_GET
def service_list(request, fmt):
    if _jurisdiction_missing(request):
        return _error(fmt, 404, _("jurisdiction_id: no ward or commune in force has this code."))
    return _answer(fmt, "services", open311.services())


@require_GET
def service_definition(request, fmt, service_code):
    category = None
    if service_code.isdecimal() and len(service_code) < 10:
        category = Category.objects.filter(is_active=True, pk=int(service_code)).first()
    if category is None or _jurisdiction_missing(request):
        return _error(fmt, 404, _("service_code: no such service."))
    return _answer(fmt, "service_definition", open311.service_definition(category))


@csrf_exempt  # clients authenticate with their API key, never with a session cookie
@require_http_methods(["GET", "POST"])
def requests(request, fmt):
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


def _post_request(request, fmt):
    client = client_for_key(str(request.POST.get("api_key", "")))
    if client is None:
        return _error(fmt, 403, _("api_key: missing, unknown or revoked."))
    over = is_ratelimited(
        request,
        group="opendata:post",
        key=lambda group, req: f"client:{client.pk}",
        rate=settings.OPEN311_POSTS_PER_KEY,
        increment=True,
    )
    if over:
        return _error(fmt, 429, _("Too many requests with this api_key: try again later."))
    try:
        petition = submit_service_request(client=client, data=request.POST, ip=client_ip(request))
    except ServiceRequestInvalid as exc:
        return _error(fmt, 400, *exc.errors)
    payload = [
        {
            "service_request_id": petition.display_code,
            "service_notice": _("Received. Answer due by %(date)s.")
            % {"date": petition.due_on.strftime("%d/%m/%Y") if petition.due_on else "—"},
            "account_id": None,
        }
    ]
    return _answer(fmt, "service_requests", payload, status=201)


def _moment(value: str, *, end: bool) -> datetime.datetime | None:
    """Parse an ISO 8601 date or date-time; raise ValueError when it is neither."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    if moment.tzinfo is None:
        moment = timezone.make_aware(moment)
    return moment


def _list_requests(request, fmt):
    page_size = settings.OPEN311_PAGE_SIZE
    ids = [part for part in request.GET.get("service_request_id", "").split(",") if part.strip()]
    if ids:
        # Like the tracking page: anyone holding codes may read them; guessing is limited per address.
        if exhausted(request, TRACK):
            return _error(fmt, 429, _("Too many unknown codes from this address: try again later."))
        if len(ids) > page_size:
            return _error(fmt, 400, _("service_request_id: at most %(n)s codes at once.") % {"n": page_size})
        codes = {code for code in (normalise_tracking_code(part) for part in ids) if code}
        petitions = list(_public_petitions().filter(tracking_code__in=codes))
        if len(petitions) < len(ids):
            count(request, TRACK)
        return _answer(fmt, "service_requests", open311.service_requests(petitions))
    # Listing by filters reveals tracking codes, which are the citizens' keys to their petitions: a client
    # lists only the petitions it submitted itself.
    client = client_for_key(str(request.GET.get("api_key", "")))
    if client is None:
        return _error(
            fmt, 403, _("api_key: list by service_request_id, or give your api_key to list the requests you sent.")
        )
    petitions = _public_petitions().filter(api_submission__client=client)
    try:
        if value := request.GET.get("start_date"):
            petitions = petitions.filter(submitted_at__gte=_moment(value, end=False))
        if value := request.GET.get("end_date"):
            petitions = petitions.filter(submitted_at__lte=_moment(value, end=True))
        page = int(request.GET.get("page") or 1)
    except (ValueError, OverflowError):
        return _error(fmt, 400, _("start_date, end_date and page must be ISO 8601 dates and a page number."))
    if page < 1 or page > 10_000:
        return _error(fmt, 400, _("page: a number from 1."))
    if value := request.GET.get("service_code"):
        petitions = (
            petitions.filter(category_id=int(value)) if value.isdecimal() and len(value) < 10 else petitions.none()
        )
    statuses = {part.strip() for part in request.GET.get("status", "").split(",") if part.strip()}
    if statuses - {"open", "closed"}:
        return _error(fmt, 400, _("status: open or closed."))
    if statuses == {"open"}:
        petitions = petitions.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        petitions = petitions.exclude(status__in=OPEN_STATUSES)
    window = petitions.order_by("-submitted_at", "-pk")[(page - 1) * page_size : page * page_size]
    return _answer(fmt, "service_requests", open311.service_requests(window))


@require_GET
def request_detail(request, fmt, request_id):
    if exhausted(request, TRACK):
        return _error(fmt, 429, _("Too many unknown codes from this address: try again later."))
    code = normalise_tracking_code(request_id)
    petition = _public_petitions().filter(tracking_code=code).first() if code else None
    if petition is None:
        count(request, TRACK)
        return _error(fmt, 404, _("service_request_id: no such request."))
    return _answer(fmt, "service_requests", open311.service_requests([petition]))


@require_GET
def conference_calendar(request, ward_id=None):
    """Answer the iCalendar of the public conferences: a ward's, or the whole city's."""
    ward = ward_or_404(ward_id) if ward_id is not None else None
    if ward is None:
        name = _("Dialogue conferences")
    else:
        name = _("Dialogue conferences of %(ward)s") % {"ward": ward}
    body = calendars.ics(
        calendars.feed_conferences(ward), name=name, build_url=request.build_absolute_uri, host=request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hoi-nghi.ics"'
    return response


@require_GET
def official_calendar(request, secret):
    """Answer an official's own calendar, at the secret address the administrator issued (404 once revoked)."""
    user = official_for_token(secret)
    if user is None:
        raise Http404
    body = calendars.ics(
        calendars.feed_conferences(user=user),
        name=_("My units' conferences"),
        build_url=request.build_absolute_uri,
        host=request.get_host(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def conference_event(request, pk):
    """Answer the iCalendar of one public conference: the page's "add to calendar"."""
    conferences = list(calendars.feed_conferences(pk=pk))
    if not conferences:
        raise Http404
    body = calendars.ics(
        conferences, name=conferences[0].title, build_url=request.build_absolute_uri, host=request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hoi-nghi-{pk}.ics"'
    return response


@require_GET
def openapi(request):
    schema = openapi_schema(request.build_absolute_uri("/open311/v2"))
    return HttpResponse(json.dumps(schema, ensure_ascii=False), content_type="application/json")


def _year(value) -> int:
    today = timezone.localdate()
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= today.year else today.year


@require_GET
def open_data(request):
    """The open-data page: each ward's figures for a year, and the downloads of the same table."""
    year = _year(request.GET.get("year"))
    rows = statistics.ward_figures(year)
    context = {
        "year": year,
        "years": range(timezone.localdate().year, 2016, -1),
        "table": [statistics.displayed(row) for row in rows],
        "chart_data": statistics.chart_data(rows),
        "charts": statistics.CHARTS,
        "headers": statistics.HEADERS,
        "licence": statistics.LICENCE,
        "licence_url": statistics.LICENCE_URL,
        "min_sample": settings.PORTAL_MIN_SAMPLE_SIZE,
    }
    return render(request, "opendata/open_data.html", context)


@require_GET
def open_data_download(request, year, fmt):
    year = _year(year)
    rows = statistics.ward_figures(year)
    if fmt == "json":
        payload = {
            "year": year,
            "licence": statistics.LICENCE,
            "licence_url": statistics.LICENCE_URL,
            "suppressed_below": settings.PORTAL_MIN_SAMPLE_SIZE,
            "rows": rows,
        }
        return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-mo-{year}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with Vietnamese letters only with a BOM
    writer = csv.DictWriter(response, fieldnames=statistics.COLUMNS)
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    return response


# --- E-mail alerts (no account) -------------------------------------------------------------------

ALERT_ASKED_KEY = "opendata_alert_asked"


def _ward_id(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdecimal() and len(value) < 12 else None


@never_cache
@sensitive_post_parameters("email")
@require_http_methods(["GET", "POST"])
def alert_subscribe(request):
    """Ask for a ward's e-mail alerts: the address gets a confirmation e-mail, and nothing else until then."""
    form = AlertSubscribeForm(request.POST or None, initial={"ward": _ward_id(request.GET.get("ward"))})
    if request.method == "POST":
        # Wrong CAPTCHAs have their own budget; only subscriptions asked count against the address and e-mail.
        if exhausted(request, CAPTCHA + ALERTS):
            return rate_limited(request)
        if form.is_valid():
            subscribe(email=form.cleaned_data["email"], unit=form.cleaned_data["ward"])
            count(request, ALERTS)
            request.session[ALERT_ASKED_KEY] = form.cleaned_data["ward"].pk
            return redirect("opendata:alert_requested")
        count(request, CAPTCHA)
    return render(request, "opendata/alert_subscribe.html", {"form": form})


@never_cache
def alert_requested(request):
    ward = AdministrativeUnit.objects.filter(pk=request.session.get(ALERT_ASKED_KEY) or 0).first()
    if ward is None:
        return redirect("opendata:alert_subscribe")
    return render(request, "opendata/alert_requested.html", {"ward": ward})


@never_cache
@require_http_methods(["GET", "POST"])
def alert_confirm(request, token):
    """The confirmation link: GET asks (mail scanners that open links confirm nothing), POST confirms."""
    try:
        subscription = subscription_for_confirm(token)
    except AlertLinkExpired:
        return render(request, "opendata/alert_confirm.html", {"state": "expired"}, status=410)
    except AlertLinkInvalid:
        return render(request, "opendata/alert_confirm.html", {"state": "invalid"}, status=404)
    if request.method == "POST":
        subscription, newly = confirm_subscription(token=token)
        state = "confirmed" if newly else "already"
    else:
        state = "already" if subscription.confirmed_at else "ask"
    return render(request, "opendata/alert_confirm.html", {"state": state, "ward": subscription.unit})


@never_cache
@csrf_exempt  # the mail program's one-click POST (RFC 8058) carries no CSRF token; the signed link is the key
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token):
    """The unsubscribe link of every alert: one click (GET, or the mail program's POST) cancels it."""
    try:
        ward = unsubscribe(token=token)
    except AlertSubscriptionGone:
        return render(request, "opendata/alert_unsubscribe.html", {"state": "gone"})
    except AlertLinkInvalid:
        return render(request, "opendata/alert_unsubscribe.html", {"state": "invalid"}, status=404)
    return render(request, "opendata/alert_unsubscribe.html", {"state": "done", "ward": ward})
