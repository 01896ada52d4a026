"""Writers of a report's data dict (see `reports.builder`): JSON, CSV, XLSX and PDF.

Every format but JSON is written from the same list of sections (`report_sections`), so the
spreadsheet, the CSV and the PDF show the same tables with the same labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from conferences.models import ConferenceKind
from petitions.models import Channel, PetitionKind, PetitionStatus
from units.models import UnitLevel


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    short: str = ""  # a short title for a spreadsheet tab (Excel allows 31 characters)


class Share(float):
    """A share between 0 and 1: written as a number, shown as a percentage."""


def vn_date(iso: str) -> str:
    """Return an ISO date of the report's data as the portal writes dates: dd/mm/yyyy."""
    import datetime

    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y")


def provisional_note(data: dict) -> str:
    """Return the note a report of a period not yet ended carries in every format, or ""."""
    if not data.get("provisional"):
        return ""
    return _("Provisional figures: the period ends on %(end)s and was counted on %(counted)s.") % {
        "end": vn_date(data["period"]["end"]),
        "counted": vn_date(data["generated_at"][:10]),
    }


def sh(value):
    return None if value is None else Share(value)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def report_sections(data: dict) -> list[Section]:
    """Return the report's tables, in the order of the document."""
    conf = data["conferences"]
    levels = [UnitLevel.CITY, UnitLevel.DISTRICT, UnitLevel.COMMUNE]  # from the top down
    held = Section(
        "conferences",
        _("Conferences held"),
        [_("Kind"), *[str(level.label) for level in levels], _("Total")],
    )
    for kind, key in ((ConferenceKind.PERIODIC, "periodic"), (ConferenceKind.ADHOC, "adhoc")):
        by_level = conf[key]["by_level"]
        held.rows.append([str(kind.label), *[by_level.get(level.value, 0) for level in levels], conf[key]["total"]])
    held.rows.append(
        [
            _("Total"),
            *[sum(conf[k]["by_level"].get(lv.value, 0) for k in ("periodic", "adhoc")) for lv in levels],
            conf["total"],
        ]
    )
    not_held = Section(
        "conferences_not_held", _("Conferences not held"), [_("Kind"), _("Planned"), _("Postponed"), _("Cancelled")]
    )
    for kind, key in ((ConferenceKind.PERIODIC, "periodic"), (ConferenceKind.ADHOC, "adhoc")):
        n = conf["not_held"][key]
        not_held.rows.append([str(kind.label), n["planned"], n["postponed"], n["cancelled"]])

    op, pet = data["opinions"], data["petitions"]
    opinions = Section("opinions", _("Opinions raised at conferences"), [_("Figure"), _("Value")])
    opinions.rows = [
        [_("Opinions raised"), op["raised"]],
        [_("Answered on the spot"), op["answered_on_spot"]],
        [_("Share answered on the spot"), sh(op["on_spot_share"])],
    ]

    def breakdown(key, title, choices=None):
        section = Section(key, title, [_("Item"), _("Petitions")])
        for value, count in pet[key].items():
            section.rows.append([_label(choices, value) if choices else value, count])
        section.rows.append([_("Total"), pet["total"]])
        return section

    by_status = breakdown("by_status", _("Petitions by status"), PetitionStatus)
    by_category = breakdown("by_category", _("Petitions by category"))
    by_kind = breakdown("by_kind", _("Petitions by kind"), PetitionKind)
    by_channel = breakdown("by_channel", _("Petitions by channel"), Channel)

    sat, inv, notices, sup = data["satisfaction"], data["invitations"], data["notices"], data["supervision"]
    req = data["periodic_requirement"]
    timeliness = Section("timeliness", _("Answers, timeliness and satisfaction"), [_("Figure"), _("Value")])
    timeliness.rows = [
        [_("Petitions answered"), pet["answered"]],
        [_("Answered within the original deadline"), pet["answered_on_time"]],
        [_("Share answered within the original deadline"), sh(pet["answered_on_time_share"])],
        [_("Answered within the extended deadline"), pet.get("answered_within_extension")],
        [_("Share answered within the extended deadline"), sh(pet.get("answered_within_extension_share"))],
        [_("Petitions answered whose deadline was extended"), pet.get("answered_after_extension")],
        [_("Deadlines extended in the period"), data.get("extensions", {}).get("extensions")],
        [_("Extensions asked for after the due date"), data.get("extensions", {}).get("after_due")],
        [_("Average working days to an answer"), pet["average_working_days_to_answer"]],
        [_("Citizens' verdicts"), sat["verdicts"]],
        [_("Verdicts “resolved”"), sat["resolved"]],
        [_("Share of citizens satisfied"), sh(sat["share_resolved"])],
        [_("Mean rating (1–5)"), sat["mean_rating"]],
    ]
    obligations = Section("obligations", _("Obligations under the rules in force"), [_("Figure"), _("Value")])
    obligations.rows = [
        [_("Periodic conferences required"), req["required"]],
        [_("Periodic conferences held (units judged)"), req["held"]],
        # Two plain numbers (not "0/14", which a spreadsheet reads as text or a date).
        [_("Units with a periodic requirement"), req["units"]],
        [_("Units that held every required conference"), req["units_met"]],
        [_("Conferences held"), inv["held"]],
        [_("Invitations sent on time"), inv["on_time"]],
        [_("Share of invitations on time"), sh(inv["share"])],
        [_("Notices due"), notices["due"]],
        [_("Notices published on time"), notices["on_time"]],
        [_("Share of notices on time"), sh(notices["share"])],
        [_("Conferences held without a published notice"), notices["without_notice"]],
        [_("Supervision findings"), sup["total"]],
        [_("Findings: met"), sup["met"]],
        [_("Findings: not met"), sup["not_met"]],
    ]
    table_headers = [
        _("Unit"),
        _("Cases"),
        _("Periodic held"),
        _("Periodic required"),
        _("Invitations on time"),
        _("Notices on time"),
        _("Answered on the spot"),
        _("Answered on time"),
        _("Citizens satisfied"),
        _("Rank"),
    ]

    def table(key, title, rows):
        section = Section(key, title, table_headers)
        for row in rows:
            cells = row["cells"]
            section.rows.append(
                [
                    row["unit"]["name"],
                    row["cases"],
                    row["periodic"]["held"],
                    row["periodic"]["required"],
                    sh(cells["invitations"]["value"]),
                    sh(cells["notices"]["value"]),
                    sh(cells["on_spot"]["value"]),
                    sh(cells["on_time"]["value"]),
                    sh(cells["satisfaction"]["value"]),
                    row["rank"] if row["judged"] else _("too few cases"),
                ]
            )
        return section

    sections = [
        held,
        not_held,
        opinions,
        by_status,
        by_category,
        by_kind,
        by_channel,
        timeliness,
        obligations,
        table("compliance", _("Compliance per unit"), data["compliance"]),
        table("commendation", _("Commendation shortlist"), data["commendation_shortlist"]),
    ]
    shorts = {
        "conferences": _("Conferences"),
        "conferences_not_held": _("Not held"),
        "opinions": _("Opinions"),
        "by_status": _("By status"),
        "by_category": _("By category"),
        "by_kind": _("By kind"),
        "by_channel": _("By channel"),
        "timeliness": _("Timeliness"),
        "obligations": _("Obligations"),
        "compliance": _("Compliance"),
        "commendation": _("Commendation"),
    }
    for section in sections:
        section.short = shorts.get(section.key, "")
    return sections


def write_json(data: dict, out) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))


def write(data: dict, fmt: str, out) -> None:
    """Write `data` as `fmt` ('json', 'csv', 'xlsx', 'pdf') to the binary file object `out`."""
    if fmt == "json":
        write_json(data, out)
    elif fmt == "csv":
        from reports.formats.csv import write_csv

        write_csv(data, out)
    elif fmt == "xlsx":
        from reports.formats.xlsx import write_xlsx

        write_xlsx(data, out)
    elif fmt == "pdf":
        from reports.formats.pdf import write_pdf

        write_pdf(data, out)
    else:
        raise ValueError(f"unknown report format {fmt!r}")
