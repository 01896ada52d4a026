"""The Open311 GeoReport v2 API: a third-party client lists services, submits a petition and follows it."""

import json
from xml.etree import ElementTree

import pytest

from audit.models import AuditEvent
from opendata.models import ApiClient, ApiSubmission
from opendata.openapi import openapi_schema
from opendata.services import issue_api_client, revoke_api_client
from petitions.models import Category, Petition, PetitionStatus
from tests import factories as f
from tests.opendata.conftest import NAME_FIRST, NAME_LAST, PERSONAL

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def parse_xml(content: bytes):
    return ElementTree.fromstring(content)  # noqa: S314 - our own server's answer, in a test


def post(client, data, fmt="json"):
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_discovery_names_the_specification_and_both_formats(client, world):
    body = client.get(f"{BASE}/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


def test_services_are_the_active_categories_in_json_and_xml(client, world):
    retired = f.CategoryFactory(name="Khác (cũ)", is_active=False)
    active = [str(pk) for pk in Category.objects.filter(is_active=True).values_list("pk", flat=True)]
    services = client.get(f"{BASE}/services.json", {"jurisdiction_id": world.ward_a.code}).json()
    assert [s["service_code"] for s in services] == active and str(retired.pk) not in active
    mine = next(s for s in services if s["service_code"] == str(world.category.pk))
    assert mine["service_name"] == world.category.name and mine["metadata"] is True
    xml = parse_xml(client.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services"
    assert [s.findtext("service_code") for s in xml.findall("service")] == active


def test_services_of_a_unit_not_in_force_is_a_404_error_list(client, world):
    abolished = f.UnitFactory(code="00598", valid_from="2013-12-27", valid_to="2025-06-30")
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": abolished.code})
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404 and response.json()[0]["description"]


def test_service_definition_asks_for_consent_and_offers_no_complaint_kind(client, world):
    body = client.get(f"{BASE}/services/{world.category.pk}.json").json()
    attributes = {a["code"]: a for a in body["attributes"]}
    assert attributes["consent"]["required"] is True
    kinds = {v["key"] for v in attributes["kind"]["values"]}
    assert kinds == {"phan_anh", "kien_nghi", "de_xuat", "gop_y"}
    xml = parse_xml(client.get(f"{BASE}/services/{world.category.pk}.xml").content)
    assert xml.tag == "service_definition"
    assert len(xml.findall("attributes/attribute")) == 4
    assert xml.find("attributes/attribute/values/value/key").text == "true"
    assert client.get(f"{BASE}/services/99999.json").status_code == 404


def test_client_submits_a_petition_and_gets_its_tracking_code(client, world, open311_data):
    response = post(client, open311_data())
    assert response.status_code == 201
    [created] = response.json()
    petition = Petition.objects.get()
    assert created["service_request_id"] == petition.display_code
    assert petition.unit == world.ward_a and petition.category == world.category
    # Vietnamese order: the family name first.
    assert petition.petitioner_name == f"{NAME_LAST} {NAME_FIRST}"
    assert petition.petitioner_phone == "+84912345678" and petition.consent_given_at is not None
    assert petition.status == PetitionStatus.SUBMITTED and petition.due_on is not None
    client_app = ApiClient.objects.get()
    assert ApiSubmission.objects.get().client == client_app
    assert AuditEvent.objects.for_object(petition).filter(action="submitted").exists()
    assert AuditEvent.objects.for_object(client_app).filter(action="api_request_submitted").exists()


def test_submission_in_xml_answers_xml(client, world, open311_data):
    response = post(client, open311_data(), fmt="xml")
    assert response.status_code == 201 and response["Content-Type"].startswith("text/xml")
    xml = parse_xml(response.content)
    assert xml.find("request/service_request_id").text == Petition.objects.get().display_code


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"attribute[consent]": None}, "attribute[consent]"),
        ({"phone": "12"}, "phone"),
        ({"description": ""}, "description"),
        ({"service_code": "abc"}, "service_code"),
        ({"jurisdiction_id": "00000"}, "jurisdiction_id"),
        ({"first_name": None, "last_name": None}, "first_name/last_name"),
    ],
)
def test_the_web_forms_validation_refuses_with_a_400_error_list(client, world, open311_data, overrides, field):
    response = post(client, open311_data(**overrides))
    assert response.status_code == 400
    descriptions = [e["description"] for e in response.json()]
    assert all(e["code"] == 400 for e in response.json())
    assert any(d.startswith(field) for d in descriptions), descriptions
    assert not Petition.objects.exists()


@pytest.mark.parametrize("kind", ["khieu_nai", "to_cao"])
def test_complaints_and_denunciations_are_recognised_and_routed_out(client, world, open311_data, kind):
    response = post(client, open311_data(**{"attribute[kind]": kind}))
    assert response.status_code == 400
    assert "Law on" in response.json()[0]["description"]
    assert not Petition.objects.exists()


def test_unknown_or_revoked_key_is_a_403(client, world, open311_data):
    assert post(client, open311_data(api_key="nope")).status_code == 403
    assert post(client, open311_data(api_key=None)).status_code == 403
    client_app, key = issue_api_client(name="Zalo", contact_email="z@example.vn")
    assert post(client, open311_data(api_key=key)).status_code == 201
    revoke_api_client(client=client_app)
    response = post(client, open311_data(api_key=key))
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert AuditEvent.objects.for_object(client_app).filter(action="api_key_revoked").exists()


def test_only_a_hash_of_the_key_is_stored(world, api_key):
    stored = ApiClient.objects.get()
    assert api_key not in (stored.key_hash, stored.key_prefix) and stored.key_prefix == api_key[:8]


def test_each_key_is_rate_limited(client, world, open311_data, settings):
    settings.OPEN311_POSTS_PER_KEY = "2/h"
    assert [post(client, open311_data()).status_code for _ in range(3)] == [201, 201, 429]
    other_client, other_key = issue_api_client(name="Other", contact_email="o@example.vn")
    assert post(client, open311_data(api_key=other_key)).status_code == 201


def test_request_is_followed_by_its_id_with_status_notes_and_agency(client, world, open311_data):
    code = post(client, open311_data()).json()[0]["service_request_id"]
    [request] = client.get(f"{BASE}/requests/{code}.json").json()
    assert request["status"] == "open" and request["status_notes"] == "Received"
    assert request["agency_responsible"] == world.ward_a.name
    petition = Petition.objects.get()
    petition.handling_org = world.land_a
    petition.status = PetitionStatus.ANSWERED
    petition.save(update_fields=["handling_org", "status"])
    [request] = client.get(f"{BASE}/requests/{code.replace('-', '').lower()}.json").json()
    assert request["status"] == "closed" and request["agency_responsible"] == world.land_a.name
    xml = parse_xml(client.get(f"{BASE}/requests/{code}.xml").content)
    assert xml.tag == "service_requests" and xml.find("request/status").text == "closed"


def test_unknown_request_is_a_404_error_list(client, world):
    response = client.get(f"{BASE}/requests/AAAAA-AAAAA.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_a_complaint_filed_at_the_ward_shows_only_the_guidance(client, world):
    petition = f.PetitionFactory(unit=world.ward_a, category=world.category, kind="khieu_nai", channel="reception")
    [request] = client.get(f"{BASE}/requests/{petition.tracking_code}.json").json()
    assert request["description"] == "" and "Law on Complaints" in request["status_notes"]


def test_list_by_ids_and_by_own_submissions_with_filters(client, world, open311_data, api_key):
    mine = [post(client, open311_data()).json()[0]["service_request_id"] for _ in range(2)]
    other = f.PetitionFactory(unit=world.ward_a, category=world.category)
    by_ids = client.get(f"{BASE}/requests.json", {"service_request_id": f"{mine[0]},{other.display_code}"}).json()
    assert {r["service_request_id"] for r in by_ids} == {mine[0], other.display_code}
    own = client.get(f"{BASE}/requests.json", {"api_key": api_key}).json()
    assert {r["service_request_id"] for r in own} == set(mine)
    Petition.objects.filter(tracking_code=mine[0].replace("-", "")).update(status=PetitionStatus.RESOLVED)
    closed = client.get(f"{BASE}/requests.json", {"api_key": api_key, "status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [mine[0]]
    later = client.get(f"{BASE}/requests.json", {"api_key": api_key, "start_date": "2999-01-01"}).json()
    assert later == []
    assert client.get(f"{BASE}/requests.json", {"api_key": api_key, "service_code": "0"}).json() == []


def test_listing_without_ids_or_key_is_a_403_so_tracking_codes_are_not_enumerable(client, world):
    f.PetitionFactory(unit=world.ward_a, category=world.category)
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 403 and response.json()[0]["code"] == 403


@pytest.mark.parametrize(
    "query", [{"start_date": "yesterday"}, {"status": "pending"}, {"page": "0"}, {"end_date": "2025-13-01"}]
)
def test_bad_filters_are_a_400_not_a_500(client, world, api_key, query):
    response = client.get(f"{BASE}/requests.json", {"api_key": api_key, **query})
    assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_page_size_is_bounded(client, world, open311_data, api_key, settings):
    settings.OPEN311_PAGE_SIZE = 2
    for _ in range(3):
        post(client, open311_data())
    assert len(client.get(f"{BASE}/requests.json", {"api_key": api_key}).json()) == 2
    assert len(client.get(f"{BASE}/requests.json", {"api_key": api_key, "page": 2}).json()) == 1
    codes = ",".join(["AAAAA-AAAAA"] * 3)
    assert client.get(f"{BASE}/requests.json", {"service_request_id": codes}).status_code == 400


def test_guessing_codes_is_limited_per_address(client, world, settings):
    settings.CITIZENS_RATE_TRACK_PER_IP = "2/h"
    statuses = [client.get(f"{BASE}/requests/AAAAA-AAAA{n}.json").status_code for n in range(3)]
    assert statuses == [404, 404, 429]


def test_no_personal_data_in_any_answer(client, world, open311_data, api_key):
    post(client, open311_data(**{"attribute[show_name_publicly]": "true"}))
    code = Petition.objects.get().display_code
    bodies = [
        client.get(f"{BASE}/requests/{code}.json").content,
        client.get(f"{BASE}/requests/{code}.xml").content,
        client.get(f"{BASE}/requests.json", {"service_request_id": code}).content,
        client.get(f"{BASE}/requests.xml", {"api_key": api_key}).content,
    ]
    for body in bodies:
        text = json.dumps(body.decode(), ensure_ascii=False) + body.decode()
        for value in PERSONAL:
            assert value not in text


def test_openapi_description_is_served_and_valid(client, world):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    body = client.get(f"{BASE}/openapi.json").json()
    assert body == openapi_schema("http://testserver/open311/v2")
    assert set(body["paths"]) == {
        "/discovery.json",
        "/services.json",
        "/services/{service_code}.json",
        "/requests.json",
        "/requests/{service_request_id}.json",
    }
    # Each component schema is a valid JSON Schema.
    for schema in body["components"]["schemas"].values():
        jsonschema_rs.validator_for({**schema, "components": body["components"]})


def as_schemathesis(response):
    import requests
    from schemathesis import Response

    headers = {name.lower(): [value] for name, value in response.headers.items()}
    prepared = requests.Request("GET", "http://testserver/").prepare()
    return Response(response.status_code, headers, response.content, request=prepared, elapsed=0.0, verify=False)


def test_answers_match_the_openapi_description(client, world, open311_data, api_key):
    from schemathesis.openapi import from_dict

    schema = from_dict(openapi_schema("http://testserver/open311/v2"))
    code = post(client, open311_data()).json()[0]["service_request_id"]
    cases = [
        ("GET", "/discovery.json", {}, None),
        ("GET", "/services.json", {}, None),
        ("GET", "/services/{service_code}.json", {"service_code": str(world.category.pk)}, None),
        ("GET", "/requests/{service_request_id}.json", {"service_request_id": code}, None),
        ("GET", "/requests/{service_request_id}.json", {"service_request_id": "nope"}, None),
        ("GET", "/requests.json", {}, {"api_key": api_key}),
        ("GET", "/requests.json", {}, {}),
    ]
    for method, path, path_parameters, query in cases:
        operation = schema[path][method]
        case = operation.Case(path_parameters=path_parameters, query=query)
        url = path.format(**path_parameters)
        response = client.get(f"{BASE}{url}", query or {})
        operation.validate_response(as_schemathesis(response), case=case)


def test_listing_takes_the_same_number_of_queries_for_1_and_20_requests(client, world, open311_data, api_key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{BASE}/requests.json", {"api_key": api_key}).status_code == 200
        return len(captured)

    post(client, open311_data())
    one = queries()
    for _ in range(19):
        post(client, open311_data())
    assert queries() == one
