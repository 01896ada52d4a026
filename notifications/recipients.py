"""Who receives what: officials found through their memberships, loaded once per run.

A `Directory` reads the active memberships of the roles a run needs in one query and answers
"who are the chairs of this unit", "who handles this petition", "who supervises this unit"
from memory, so a reminder scan costs the same number of queries for 1 or 5,000 objects.
Recipients are references (`user:<id>`, `org:<id>`), never addresses.
"""

from collections import defaultdict

from units.models import AdministrativeUnit, Membership, Role


def user_ref(user_id: int) -> str:
    return f"user:{user_id}"


def org_ref(org_id: int) -> str:
    return f"org:{org_id}"


def parse_ref(ref: str) -> tuple[str, int | None]:
    """Return ("user", 12) for "user:12", ("petitioner", None) for "petitioner"."""
    kind, _sep, value = ref.partition(":")
    return kind, (int(value) if value.isdecimal() else None)


class Directory:
    """The active memberships of `roles`, indexed by unit, organisation and tree path."""

    def __init__(self, roles=(Role.UNIT_OFFICIAL, Role.CHAIR, Role.HANDLING_OFFICER, Role.SUPERVISOR)):
        self.by_unit_role: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.by_org: dict[int, list[int]] = defaultdict(list)
        self.subtree: dict[str, list[tuple[str, int]]] = defaultdict(list)  # role -> [(unit path, user id)]
        rows = (
            Membership.objects.active()
            .filter(role__in=list(roles), user__is_active=True)
            .values_list("user_id", "unit_id", "unit__path", "role", "organisation_id")
            .order_by("pk")
        )
        for user_id, unit_id, path, role, org_id in rows:
            self.by_unit_role[(unit_id, role)].append(user_id)
            if org_id and role == Role.HANDLING_OFFICER:
                self.by_org[org_id].append(user_id)
            if role in (Role.SUPERVISOR, Role.FRONT_SUPERVISOR):
                self.subtree[role].append((path, user_id))

    def in_unit(self, unit_id: int, *roles: str) -> list[int]:
        """Return the ids of the users holding one of `roles` in the unit itself."""
        found: list[int] = []
        for role in roles:
            found += self.by_unit_role.get((unit_id, role), [])
        return _unique(found)

    def organisers(self, unit_id: int, chair_user_id: int | None = None) -> list[int]:
        """Return a conference's chair (its own account, else the unit's chairs) and the unit's officials."""
        chairs = [chair_user_id] if chair_user_id else self.in_unit(unit_id, Role.CHAIR)
        return _unique(chairs + self.in_unit(unit_id, Role.UNIT_OFFICIAL))

    def responsible_for(self, *, unit_id: int, handling_org_id: int | None, assignee_id: int | None) -> list[int]:
        """Return who must answer a petition: its officer in charge, else its handling unit's officers,
        else the unit's officials (an accepted petition not yet assigned)."""
        if assignee_id:
            return [assignee_id]
        if handling_org_id and self.by_org.get(handling_org_id):
            return _unique(self.by_org[handling_org_id])
        return self.in_unit(unit_id, Role.UNIT_OFFICIAL)

    def above(self, unit_path: str, role: str = Role.SUPERVISOR) -> list[int]:
        """Return the users holding subtree `role` on the unit at `unit_path` or on a unit above it."""
        return _unique([user_id for path, user_id in self.subtree.get(role, []) if unit_path.startswith(path)])


def supervisors_of(unit: AdministrativeUnit) -> list[int]:
    """Return the ids of the active supervisors of `unit` or of a unit above it (one query)."""
    return Directory(roles=(Role.SUPERVISOR,)).above(unit.path, Role.SUPERVISOR)


def _unique(ids):
    seen, result = set(), []
    for value in ids:
        if value and value not in seen:
            seen.add(value)
            result.append(value)
    return result
