"""The demo's world: the units, organisations, users and documents every later step refers to."""

import dataclasses

from units.models import AdministrativeUnit


@dataclasses.dataclass
class DemoWorld:
    city: AdministrativeUnit
    district: AdministrativeUnit
    old: dict  # name → unit (valid to 30/6/2025)
    new: dict  # name → unit (from 1/7/2025)
    orgs: dict = dataclasses.field(default_factory=dict)  # (unit name, short key) → Organisation
    users: dict = dataclasses.field(default_factory=dict)
    accounts: list = dataclasses.field(default_factory=list)  # (username, role, unit) for printing
    documents: dict = dataclasses.field(default_factory=dict)
