"""The Open311 API's state changes: client keys issued and revoked, petitions submitted by a client.

A petition submitted through the API goes through the citizens' form (the same validation and consent) and
`petitions.services.submit_petition` (the same privacy and routing), so the API can accept nothing the web
form would refuse.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from audit.transitions import TransitionNotAllowed
from citizens.forms import PetitionForm
from opendata.models import ApiClient, ApiSubmission, CalendarToken
from petitions.models import ROUTED_OUT_KINDS, PetitionKind, RejectionReason
from petitions.services import ROUTING_GUIDANCE, submit_petition
from units.models import AdministrativeUnit

KEY_BYTES = 32


class ServiceRequestInvalid(Exception):
    """The request cannot become a petition; `errors` are the messages for the client (HTTP 400)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def hash_key(key: str) -> str:
    """Return the stored form of an API key (the key is 256 random bits, so a plain SHA-256 suffices)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_client(*, name: str, contact_email: str, by=None) -> tuple[ApiClient, str]:
    """Register a client application; return it and its key, which is never stored and shown only now."""
    key = secrets.token_urlsafe(KEY_BYTES)
    client = ApiClient.objects.create(
        name=name, contact_email=contact_email, key_prefix=key[:8], key_hash=hash_key(key)
    )
    record_event(obj=client, action="api_key_issued", by=by)
    return client, key


@transaction.atomic
def revoke_api_client(*, client: ApiClient, by=None) -> None:
    """Refuse the client's key from now on (idempotent)."""
    if client.revoked_at is not None:
        return
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    record_event(obj=client, action="api_key_revoked", by=by)


def client_for_key(key: str) -> ApiClient | None:
    """Return the active client application holding `key`, or None."""
    if not key:
        return None
    return ApiClient.objects.active().filter(key_hash=hash_key(key)).first()


def _ward_for(jurisdiction_id: str) -> AdministrativeUnit | None:
    """Return the commune in force today bearing the official code `jurisdiction_id`, or None."""
    return AdministrativeUnit.objects.current().communes().filter(code=jurisdiction_id).first()


def _form_data(data, ward: AdministrativeUnit) -> dict:
    """Translate the Open311 fields into the citizens' form's fields."""
    description = (data.get("description") or "").strip()
    title = (data.get("attribute[title]") or "").strip() or description[:80]
    location = (data.get("address_string") or "").strip()
    if not location and data.get("lat") and data.get("long"):
        location = f"{data.get('lat')}, {data.get('long')}"
    # Vietnamese order: the family name (Open311's last_name) comes first.
    name = " ".join(part for part in (data.get("last_name", "").strip(), data.get("first_name", "").strip()) if part)
    truthy = ("true", "1", "yes", "on")
    return {
        "unit": ward.pk,
        "kind": data.get("attribute[kind]") or PetitionKind.REPORT,
        "category": data.get("service_code", ""),
        "title": title,
        "content": description,
        "location": location,
        "petitioner_name": name,
        "petitioner_phone": data.get("phone", ""),
        "petitioner_email": data.get("email", ""),
        "show_name_publicly": "on" if str(data.get("attribute[show_name_publicly]", "")).lower() in truthy else "",
        "consent": "on" if str(data.get("attribute[consent]", "")).lower() in truthy else "",
        "requested_conference": "",
        "website": "",
    }


@transaction.atomic
def submit_service_request(*, client: ApiClient, data, ip: str | None = None):
    """Create a petition from an Open311 `POST requests` body; return it. Raise ServiceRequestInvalid.

    A complaint or a denunciation is recognised and refused with the guidance the web form gives (they follow
    other laws); nothing is stored for it.
    """
    ward = _ward_for(str(data.get("jurisdiction_id") or ""))
    if ward is None:
        raise ServiceRequestInvalid([_("jurisdiction_id: give the official code of a ward or commune in force.")])
    kind = data.get("attribute[kind]")
    if kind in ROUTED_OUT_KINDS:
        reason = RejectionReason.COMPLAINT if kind == PetitionKind.COMPLAINT else RejectionReason.DENUNCIATION
        raise ServiceRequestInvalid([str(ROUTING_GUIDANCE[reason])])
    form = PetitionForm(_form_data(data, ward))
    if not form.is_valid():
        fields = {"category": "service_code", "content": "description", "title": "attribute[title]"}
        fields |= {"petitioner_name": "first_name/last_name", "petitioner_phone": "phone", "petitioner_email": "email"}
        fields |= {"location": "address_string", "kind": "attribute[kind]", "consent": "attribute[consent]"}
        errors = [
            f"{fields.get(field, field)}: {message}" for field, messages in form.errors.items() for message in messages
        ]
        raise ServiceRequestInvalid(errors)
    c = form.cleaned_data
    try:
        petition = submit_petition(
            unit=c["unit"],
            kind=c["kind"],
            category=c["category"],
            title=c["title"],
            content=c["content"],
            location=c["location"],
            petitioner_name=c["petitioner_name"],
            petitioner_phone=c["petitioner_phone"].as_e164,
            petitioner_email=c["petitioner_email"],
            show_name_publicly=c["show_name_publicly"],
            consent=c["consent"],
            ip=ip,
        )
    except TransitionNotAllowed as exc:
        raise ServiceRequestInvalid([str(exc)]) from exc
    ApiSubmission.objects.create(client=client, petition=petition)
    record_event(obj=client, action="api_request_submitted", ip=ip, data={"petition": petition.pk})
    return petition


@transaction.atomic
def issue_calendar_token(*, user, by=None) -> tuple[CalendarToken, str]:
    """Give `user` a secret calendar address; return the token row and the secret, shown only now."""
    secret = secrets.token_urlsafe(KEY_BYTES)
    token = CalendarToken.objects.create(user=user, token_hash=hash_key(secret))
    record_event(obj=token, action="calendar_token_issued", by=by)
    return token, secret


@transaction.atomic
def revoke_calendar_token(*, token: CalendarToken, by=None) -> None:
    """Refuse the secret address from now on (idempotent)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(obj=token, action="calendar_token_revoked", by=by)


def official_for_token(secret: str):
    """Return the active official whose calendar address carries `secret`, or None."""
    if not secret or len(secret) > 100:
        return None
    token = CalendarToken.objects.active().select_related("user").filter(token_hash=hash_key(secret)).first()
    return token.user if token else None
