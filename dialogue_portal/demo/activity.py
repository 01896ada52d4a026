"""The demo's year of dialogue: plans, conferences, petitions, notices, supervision and a commendation.

Everything goes through the services, each step dated on the story's day by
`dialogue_portal.demo.clock.DemoClock`, so the audit trail, deadlines in working days and history
read as if the year had really happened: 2024–2025 in Bắc Từ Liêm and its old wards (with an open
petition carried over to the new ward on 1/7/2025), then 2026 in the new wards, with every status
of plans, conferences, minutes, petitions and notices represented. Created once: skipped when Xuân
Đỉnh's 2026 plan exists.
"""

from django.db import transaction

from conferences.models import DialoguePlan
from dialogue_portal.demo.history import tell_2024_2025
from dialogue_portal.demo.story import Story
from dialogue_portal.demo.world import DemoWorld
from dialogue_portal.demo.year_2026 import tell_2026_plans, tell_2026_xuan_dinh
from dialogue_portal.demo.year_2026_phu_dien import (
    tell_2026_commendation,
    tell_2026_other_channels,
    tell_2026_phu_dien,
)


def install_activity(world: DemoWorld) -> bool:
    """Create the year of activity once; return False when it was already there."""
    if DialoguePlan.objects.filter(unit=world.new["Xuân Đỉnh"], year=2026).exists():
        return False
    with transaction.atomic():
        story = Story(world)
        tell_2024_2025(story)
        items = tell_2026_plans(story)
        tell_2026_xuan_dinh(story, items["Xuân Đỉnh"])
        tell_2026_phu_dien(story, items["Phú Diễn"])
        tell_2026_other_channels(story)
        tell_2026_commendation(story)
    return True
