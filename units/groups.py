"""The Django group behind each role, and the model permissions it carries.

A role is a group (what kind of records a person may view, add or change) plus a membership
in a unit (which records: `units.permissions`). The table below is installed by a data
migration and re-synchronised by `load_demo`; administrators may adjust the groups afterwards.
"""

from units.models import ROLE_GROUPS, Role

VIEW, ADD, CHANGE = "view", "add", "change"
V, VA, VAC = (VIEW,), (VIEW, ADD), (VIEW, ADD, CHANGE)

# What every role may read: the reference tables.
_REFERENCE = {
    "units.administrativeunit": V,
    "units.unitsuccession": V,
    "units.organisation": V,
    "rules.rule": V,
    "rules.holiday": V,
    "petitions.category": V,
}

ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.UNIT_OFFICIAL: {
        **_REFERENCE,
        "conferences.document": VAC,
        "conferences.dialogueplan": VAC,
        "conferences.planitem": VAC,
        "conferences.conference": VAC,
        "conferences.conferenceparticipation": VAC,
        "conferences.conferenceattachment": VAC,
        "conferences.conclusionitem": VAC,
        "petitions.petition": VAC,
        "petitions.petitionattachment": VAC,
        "petitions.assignment": VAC,
        "petitions.extension": VAC,
        "petitions.answer": VAC,
        "petitions.citizenverdict": V,
        "petitions.answertemplate": VAC,
        "followup.followupnotice": VAC,
        "followup.supervision": V,
        "followup.commendation": V,
    },
    Role.SUPERVISOR: {
        **_REFERENCE,
        "conferences.document": VAC,
        "conferences.dialogueplan": (VIEW, CHANGE),
        "conferences.planitem": V,
        "conferences.conference": V,
        "conferences.conferenceparticipation": V,
        "conferences.conferenceattachment": V,
        "conferences.conclusionitem": V,
        "petitions.petition": V,
        "petitions.assignment": V,
        "petitions.extension": V,
        "petitions.answer": V,
        "petitions.citizenverdict": V,
        "followup.followupnotice": V,
        "followup.supervision": V,
        "followup.commendation": VAC,
    },
    Role.CHAIR: {
        **_REFERENCE,
        "conferences.document": VAC,
        "conferences.dialogueplan": (VIEW, CHANGE),
        "conferences.planitem": V,
        "conferences.conference": (VIEW, CHANGE),
        "conferences.conclusionitem": VAC,
        "petitions.petition": (VIEW, CHANGE),
        "petitions.assignment": VA,
        "petitions.extension": VA,
        "petitions.answer": VAC,
        "petitions.citizenverdict": V,
        "followup.followupnotice": (VIEW, CHANGE),
        "followup.supervision": V,
        "followup.commendation": V,
    },
    Role.HANDLING_OFFICER: {
        **_REFERENCE,
        "conferences.conference": V,
        "conferences.conclusionitem": (VIEW, CHANGE),
        "petitions.petition": (VIEW, CHANGE),
        "petitions.petitionattachment": VA,
        "petitions.assignment": V,
        "petitions.extension": VA,
        "petitions.answer": VAC,
        "petitions.answertemplate": V,
        "followup.followupnotice": V,
    },
    Role.FRONT_SUPERVISOR: {
        **_REFERENCE,
        "conferences.document": V,
        "conferences.dialogueplan": V,
        "conferences.planitem": V,
        "conferences.conference": V,
        "conferences.conclusionitem": V,
        "petitions.petition": V,
        "petitions.answer": V,
        "petitions.citizenverdict": V,
        "followup.followupnotice": V,
        "followup.supervision": VAC,
        "followup.commendation": V,
    },
}


def sync_role_groups(group_model=None, permission_model=None) -> None:
    """Create each role's group and give it the permissions of the table (adds, never removes).

    Idempotent. Permissions that do not exist (a model not migrated yet) are skipped.
    """
    if group_model is None:
        from django.contrib.auth.models import Group as group_model
        from django.contrib.auth.models import Permission as permission_model
    for role, models in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=ROLE_GROUPS[role])
        wanted = []
        for label, actions in models.items():
            app_label, model = label.split(".")
            wanted += [(app_label, f"{action}_{model}") for action in actions]
        perms = permission_model.objects.filter(
            content_type__app_label__in={a for a, _c in wanted}, codename__in={c for _a, c in wanted}
        ).values_list("pk", "content_type__app_label", "codename")
        wanted_set = set(wanted)
        group.permissions.add(*[pk for pk, app_label, codename in perms if (app_label, codename) in wanted_set])
