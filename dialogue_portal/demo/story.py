"""The demo's storyteller: one object holding the world and the clock, with the verbs of each domain.

The verbs live beside their domain (`plans_and_conferences`, `petition_handling`, `supervision`);
each calls one or a few services inside `self.clock.on(day, hour)`, so the rows it writes are
dated on the simulated day (see `dialogue_portal.demo.clock`). The chapters (`history`,
`year_2026_*`) read as the year's events, one verb a line.
"""

import datetime
import itertools

from dialogue_portal.demo.clock import DemoClock
from dialogue_portal.demo.petition_handling import PetitionVerbs
from dialogue_portal.demo.plans_and_conferences import ConferenceVerbs
from dialogue_portal.demo.supervision import FollowUpVerbs
from dialogue_portal.demo.world import DemoWorld

# The demo's "today": nothing is recorded after it (later conferences are only planned or announced).
LAST_DAY = datetime.date(2026, 11, 25)

PETITIONER_NAMES = [
    "Nguyễn Văn Bình",
    "Trần Thị Hương",
    "Lê Minh Tuấn",
    "Phạm Thị Ngọc",
    "Hoàng Văn Nam",
    "Đỗ Thị Thu",
    "Bùi Quang Huy",
    "Vũ Thị Hạnh",
    "Đặng Văn Long",
    "Ngô Thị Yến",
]


class Story(ConferenceVerbs, PetitionVerbs, FollowUpVerbs):
    """Small verbs over the services, each run on the simulated clock."""

    last_day = LAST_DAY

    def __init__(self, world: DemoWorld, clock: DemoClock | None = None):
        self.w = world
        self.admin = world.users["admin"]
        self.clock = clock or DemoClock()
        self._names = itertools.cycle(PETITIONER_NAMES)
        self._serial = itertools.count(101)

    def org(self, unit, key):
        return self.w.orgs[(unit.pk, key)]

    def user(self, username: str):
        return self.w.users[username]

    def petitioner(self) -> dict:
        """Return the next made-up petitioner (name, phone, address)."""
        n = next(self._serial)
        return {
            "petitioner_name": next(self._names),
            "petitioner_phone": f"+8491200{n:04d}",
            "petitioner_address": f"Số {n % 90 + 1}, tổ dân phố {n % 12 + 1}",
        }
