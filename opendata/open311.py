"""What the Open311 GeoReport v2 API says, in its published shapes (JSON and XML).

Reads only: the services (our categories), their definitions, and the public view of a petition. A request
shows only what the public tracking page shows (`citizens.public`): never the petitioner's name, phone,
e-mail or address, never the place they typed, and for a complaint or a denunciation only the guidance.
"""

import datetime
from xml.etree import ElementTree

from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.public import is_routed_out, public_timelines, routing_guidance
from petitions.models import ROUTED_OUT_KINDS, Category, Petition, PetitionKind

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-04T00:00:00+07:00"
# Kinds a client may submit (complaints and denunciations are recognised and refused with guidance).
SUBMITTABLE_KINDS = [kind for kind in PetitionKind if kind not in ROUTED_OUT_KINDS]
# XML: the element of each item of a list, by the list's name (the specification's names).
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def services() -> list[dict]:
    """Return the services: the active categories, the same in every ward."""
    return [
        {
            "service_code": str(category.pk),
            "service_name": category.name,
            "description": category.name,
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": "",
        }
        for category in Category.objects.filter(is_active=True)
    ]


def service_definition(category: Category) -> dict:
    """Return the definition of a service: the attributes a petition needs beyond Open311's own fields."""
    yes = [{"key": "true", "name": _("Yes")}]
    return {
        "service_code": str(category.pk),
        "attributes": [
            {
                "variable": True,
                "code": "consent",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _("Send true: the petitioner agrees."),
                "order": 1,
                "description": _("I agree that the ward processes my personal data to handle this petition"),
                "values": yes,
            },
            {
                "variable": True,
                "code": "kind",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "Complaints and denunciations follow another procedure and are not filed here."
                ),
                "order": 2,
                "description": _("What kind of message is it?"),
                "values": [{"key": kind.value, "name": str(kind.label)} for kind in SUBMITTABLE_KINDS],
            },
            {
                "variable": True,
                "code": "title",
                "datatype": "string",
                "required": False,
                "datatype_description": _("At most 200 characters; the start of the description when empty."),
                "order": 3,
                "description": _("Title"),
                "values": [],
            },
            {
                "variable": True,
                "code": "show_name_publicly",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "",
                "order": 4,
                "description": _("Show my name on public pages"),
                "values": yes,
            },
        ],
    }


def service_requests(petitions) -> list[dict]:
    """Return the public view of each petition as an Open311 service request, in a fixed number of queries."""
    petitions = list(petitions)
    timelines = public_timelines([p for p in petitions if not is_routed_out(p)])
    return [service_request(p, timelines.get(p.pk, [])) for p in petitions]


def service_request(petition: Petition, steps: list) -> dict:
    """Return the public view of a petition as an Open311 service request (`steps`: its public timeline)."""
    routed_out = is_routed_out(petition)
    if routed_out:
        notes = routing_guidance(petition)
    else:
        last = steps[-1] if steps else None
        notes = " ".join(part for part in (last.title, last.detail) if part) if last else ""
    organisation = petition.handling_org
    expected = None
    if petition.is_open and petition.due_on:
        end_of_day = datetime.datetime.combine(petition.due_on, datetime.time(23, 59, 59))
        expected = iso(timezone.make_aware(end_of_day))
    return {
        "service_request_id": petition.display_code,
        "status": "open" if petition.is_open else "closed",
        "status_notes": notes,
        "service_name": petition.category.name,
        "service_code": str(petition.category_id),
        "description": "" if routed_out else petition.title,
        "agency_responsible": organisation.name if organisation else petition.unit.name,
        "service_notice": "",
        "requested_datetime": iso(petition.submitted_at),
        "updated_datetime": iso(petition.updated_at),
        "expected_datetime": expected,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def errors(status: int, *descriptions: str) -> list[dict]:
    return [{"code": status, "description": description} for description in descriptions]


def to_xml(root: str, items: list | dict) -> bytes:
    """Return the XML of a response: a list becomes `<root><item>…</item></root>`, a dict `<root>…</root>`."""
    element = ElementTree.Element(root)
    _fill(element, root, items)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="utf-8")


def _fill(element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), key, item)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, XML_ITEMS.get(name, "item")), "", item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
