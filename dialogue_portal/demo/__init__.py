"""The demo data: Hà Nội, Bắc Từ Liêm and its wards before and after 1/7/2025, and a year of dialogue.

This is wiring for `manage.py load_demo` (dialogue_portal/management/commands/load_demo.py): it
sits above every app and may import any of them; no app imports it.

`load_demo()` is idempotent: reference data (units, successions, organisations, documents, rules,
holidays, groups, accounts) is created with get-or-create, and the year of activity — built
through the services, each step dated on the story's day (see `clock`) — is created once, inside
one transaction, only when it is absent. The demo accounts share one password (`DEMO_PASSWORD`),
documented in the README.

One module per domain, none importing this package:
- `world`: the `DemoWorld` every step refers to; `clock`: the story's clock (no patching);
- `places` (units, successions, organisations), `people` (accounts), `documents` (Decision
  2200-QĐ/TU and plan 85-KH/QU), rules and holidays from `rules`;
- the verbs over the services, by domain: `plans_and_conferences`, `petition_handling` (with the
  answer templates), `supervision` (notices, the Front's findings, commendations), gathered by
  `story.Story`;
- the chapters of the year, one verb a line: `history` (2024–2025), `year_2026`,
  `year_2026_phu_dien`; `activity` tells them in order and `loader.load_demo` installs it all.
"""

from dialogue_portal.demo.documents import DOCUMENT_PDF_LINES, demo_pdf
from dialogue_portal.demo.loader import load_demo
from dialogue_portal.demo.people import ACCOUNTS, DEMO_PASSWORD
from dialogue_portal.demo.places import NEW_WARDS, OLD_WARDS

__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "DOCUMENT_PDF_LINES", "NEW_WARDS", "OLD_WARDS", "demo_pdf", "load_demo"]
