"""`load_demo()`: install the demo's reference data, its accounts and (once) its year of activity."""

from django.db import transaction

from dialogue_portal.demo.activity import install_activity
from dialogue_portal.demo.documents import install_documents
from dialogue_portal.demo.people import install_accounts
from dialogue_portal.demo.petition_handling import install_answer_templates
from dialogue_portal.demo.places import install_organisations, install_units
from dialogue_portal.demo.world import DemoWorld
from rules.defaults import install_default_rules
from rules.holidays_vn import install_holidays
from units.groups import sync_role_groups


def load_demo(*, with_activity: bool = True) -> DemoWorld:
    """Install everything the demo needs; return the world (with the account table). Idempotent."""
    with transaction.atomic():
        install_default_rules()
        install_holidays()
        sync_role_groups()
        world = install_units()
        install_organisations(world)
        install_documents(world)
        install_answer_templates()
        install_accounts(world)
    if with_activity:
        install_activity(world)
    return world
