"""Open data at the site root: the Open311 GeoReport v2 API under /open311/v2/ (each endpoint in JSON or XML,
by its extension), the conferences' calendars (iCalendar) and the news feeds (Atom), city-wide and per ward."""

from django.urls import path, re_path

from opendata import views
from opendata.feeds import ConferenceFeed, NoticeFeed

app_name = "opendata"

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    path("lich/hoi-nghi.ics", views.conference_calendar, name="conference_ics"),
    path("lich/hoi-nghi/<int:ward_id>.ics", views.conference_calendar, name="ward_conference_ics"),
    path("lich/hoi-nghi/su-kien/<int:pk>.ics", views.conference_event, name="conference_event_ics"),
    path("lich/can-bo/<str:secret>.ics", views.official_calendar, name="official_ics"),
    path("tin/thong-bao.atom", NoticeFeed(), name="notice_feed"),
    path("tin/thong-bao/<int:ward_id>.atom", NoticeFeed(), name="ward_notice_feed"),
    path("tin/hoi-nghi.atom", ConferenceFeed(), name="conference_feed"),
    path("tin/hoi-nghi/<int:ward_id>.atom", ConferenceFeed(), name="ward_conference_feed"),
    path("tin/dang-ky/", views.alert_subscribe, name="alert_subscribe"),
    path("tin/dang-ky/da-gui/", views.alert_requested, name="alert_requested"),
    path("tin/xac-nhan/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("tin/huy/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    re_path(r"^du-lieu-mo/(?P<year>[0-9]{4})\.(?P<fmt>json|csv)$", views.open_data_download, name="open_data_download"),
    path("open311/v2/openapi.json", views.openapi, name="openapi"),
    re_path(rf"^open311/v2/discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^open311/v2/services\.{FMT}$", views.service_list, name="services"),
    re_path(
        rf"^open311/v2/services/(?P<service_code>[^/]+)\.{FMT}$", views.service_definition, name="service_definition"
    ),
    re_path(rf"^open311/v2/requests\.{FMT}$", views.requests, name="requests"),
    re_path(rf"^open311/v2/requests/(?P<request_id>[^/]+)\.{FMT}$", views.request_detail, name="request_detail"),
]
