"""The Open311 GeoReport v2 API under /open311/v2/: each endpoint in JSON or XML, by its extension."""

from django.urls import path, re_path

from opendata import views

app_name = "opendata"

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    re_path(rf"^discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", views.service_list, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+)\.{FMT}$", views.service_definition, name="service_definition"),
    re_path(rf"^requests\.{FMT}$", views.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+)\.{FMT}$", views.request_detail, name="request_detail"),
]
