"""Write audit events. Called by every service that changes state, inside its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from audit.models import AuditEvent

if TYPE_CHECKING:
    from typing import Any

    from django.contrib.auth.models import User
    from django.db import models
    from django.http import HttpRequest


def record_event(
    *,
    obj: models.Model,
    action: str,
    by: User | None = None,
    ip: str | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Record that `action` was done to `obj` by `by` (a user, or None for a citizen or the system)."""
    user = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        from_status=from_status or "",
        to_status=to_status or "",
        note=note or "",
        data=data or {},
        actor=user,
        actor_label=actor_label or (user.get_username() if user else "system"),
        ip_address=ip,
    )


def client_ip(request: HttpRequest | None) -> str | None:
    """Return the client's address.

    Behind TRUSTED_PROXY_COUNT reverse proxies, the client is that many hops from the right of
    X-Forwarded-For (the entries further left are whatever the client chose to send). With no
    trusted proxy, X-Forwarded-For is ignored and REMOTE_ADDR is the client.
    """
    from django.conf import settings

    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies] or None
    return request.META.get("REMOTE_ADDR") or None


@receiver(pre_create_historical_record)
def _stamp_history_ip(
    sender: type[models.Model], history_instance: models.Model, history_user: Any, **kwargs: Any
) -> None:
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    if hasattr(history_instance, "ip_address"):
        history_instance.ip_address = client_ip(request)
