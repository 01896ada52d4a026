"""Every state change of a petition. Views, the admin and tasks call these; nothing else sets a status.

Each function takes keyword-only arguments, runs in one transaction, refuses an actor the
permission matrix (`units.access`) does not allow, checks `PETITION_TRANSITIONS`, writes an audit event (who, when, what, from which address) and sends
`petition_changed`, whose receivers (notifications) write their outbox rows in the same
transaction — so a request never depends on the broker.

The services live in modules by stage of the chain — `intake`, `handling`, `citizen`, `succession` —
over what they share (`common`); callers use this package: `petitions.services.<verb>`.
"""

from petitions.services.citizen import (
    REDACTED,
    anonymise_petitioner,
    record_verdict,
    redact_petition_text,
)
from petitions.services.common import (
    CITIZEN,
    acknowledgement_due_date,
    answer_due_date,
    petition_changed,
)
from petitions.services.handling import (
    ASSIGNABLE_STATUSES,
    answer_petition,
    answer_templates_for,
    assign_petition,
    bulk_assign,
    extend_deadline,
    handling_units_for,
    mark_resolved,
    reopen_petition,
    split_by_service,
    transfer_petition,
)
from petitions.services.intake import (
    PETITION_CONTACT_FIELDS,
    PETITION_EDITABLE_FIELDS,
    ROUTING_GUIDANCE,
    accept_petition,
    answer_on_spot,
    merge_petition,
    record_conference_opinion,
    reject_petition,
    submit_petition,
    update_petition,
)
from petitions.services.succession import (
    transfer_open_petitions,
)

__all__ = [
    "CITIZEN",
    "acknowledgement_due_date",
    "answer_due_date",
    "petition_changed",
    "PETITION_CONTACT_FIELDS",
    "PETITION_EDITABLE_FIELDS",
    "ROUTING_GUIDANCE",
    "accept_petition",
    "answer_on_spot",
    "merge_petition",
    "record_conference_opinion",
    "reject_petition",
    "submit_petition",
    "update_petition",
    "ASSIGNABLE_STATUSES",
    "answer_petition",
    "answer_templates_for",
    "assign_petition",
    "bulk_assign",
    "extend_deadline",
    "handling_units_for",
    "mark_resolved",
    "reopen_petition",
    "split_by_service",
    "transfer_petition",
    "REDACTED",
    "anonymise_petitioner",
    "record_verdict",
    "redact_petition_text",
    "transfer_open_petitions",
]
