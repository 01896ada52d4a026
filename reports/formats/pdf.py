"""PDF: the report as a Vietnamese *báo cáo*, rendered by WeasyPrint from an HTML template.

The letterhead follows the form of Party documents (Hướng dẫn 36-HD/VPTW): the issuing Party
committee at the left under its superior Party organisation, "ĐẢNG CỘNG SẢN VIỆT NAM" at the
right with the place and date, the number line "Số …-BC/…", then the document type "BÁO CÁO"
and its title. That form is fixed Vietnamese, like a unit's name; every other label is
translated. Fonts: DejaVu (Vietnamese diacritics), which the system's fontconfig provides.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reports.formats import Share, provisional_note, report_sections
from units.models import AdministrativeUnit, OrganisationKind, UnitKind

KIND_WORD = {
    UnitKind.CITY: "THÀNH PHỐ",
    UnitKind.PROVINCE: "TỈNH",
    UnitKind.URBAN_DISTRICT: "QUẬN",
    UnitKind.RURAL_DISTRICT: "HUYỆN",
    UnitKind.TOWN: "THỊ XÃ",
    UnitKind.WARD: "PHƯỜNG",
    UnitKind.COMMUNE: "XÃ",
    UnitKind.TOWNLET: "THỊ TRẤN",
    UnitKind.SPECIAL_ZONE: "ĐẶC KHU",
}
# The Party committee of a unit, and the suffix of its report numbers.
COMMITTEE = {
    UnitKind.CITY: ("THÀNH ỦY", "TU"),
    UnitKind.PROVINCE: ("TỈNH ỦY", "TU"),
    UnitKind.URBAN_DISTRICT: ("QUẬN ỦY", "QU"),
    UnitKind.RURAL_DISTRICT: ("HUYỆN ỦY", "HU"),
    UnitKind.TOWN: ("THỊ ỦY", "ThU"),
}
DECISION_TITLE = (
    "Kết quả thực hiện Quyết định số 2200-QĐ/TU ngày 25/5/2017 của Ban Thường vụ Thành ủy Hà Nội "
    "ban hành Quy chế tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền các cấp "
    "với MTTQ, các tổ chức chính trị - xã hội và Nhân dân"
)


def letterhead(unit_data: dict, today: datetime.date) -> dict:
    """Return the letterhead lines of a report issued by the unit's Party committee."""
    unit = AdministrativeUnit.objects.select_related("parent").get(pk=unit_data["id"])
    own_name = unit.name.upper()
    if unit.kind in COMMITTEE:
        word, suffix = COMMITTEE[unit.kind]
        committee = f"{word} {own_name}" if unit.kind not in (UnitKind.CITY, UnitKind.PROVINCE) else word
    else:
        committee, suffix = f"ĐẢNG ỦY {KIND_WORD.get(unit.kind, '')} {own_name}".replace("  ", " "), "ĐU"
    party_org = unit.organisations.filter(kind=OrganisationKind.PARTY_COMMITTEE, is_active=True).first()
    if party_org:
        committee = party_org.name.upper()
    if unit.parent_id:
        parent = unit.parent
        superior = f"ĐẢNG BỘ {KIND_WORD.get(parent.kind, '')} {parent.name.upper()}"
    else:
        superior = f"ĐẢNG BỘ {KIND_WORD.get(unit.kind, '')} {own_name}"
    top = AdministrativeUnit.objects.filter(pk=unit.ancestor_ids()[0]).first() if unit.path else None
    place = (top or unit).name
    validity = ""
    if unit.valid_to and unit.valid_to < today:
        # The unit was abolished before the report's date (Bắc Từ Liêm, 30/6/2025): say so under its
        # heading, so the document is not mistaken for one of a unit that still exists.
        validity = _("(administrative unit from %(start)s to %(end)s, since abolished)") % {
            "start": unit.valid_from.strftime("%d/%m/%Y"),
            "end": unit.valid_to.strftime("%d/%m/%Y"),
        }
    return {
        "validity": validity,
        "superior": superior,
        "committee": committee,
        "number": f"Số        -BC/{suffix}",
        "place_date": f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        "doc_type": "BÁO CÁO",
        "title": DECISION_TITLE,
    }


def bar_chart_svg(items: list[tuple[str, int]], *, title: str, width: int = 640, bar_height: int = 22) -> str:
    """Return a horizontal bar chart as inline SVG (no script, no external resource)."""
    label_width, gap, top = 230, 8, 28
    biggest = max([v for _l, v in items] + [1])
    height = top + len(items) * (bar_height + gap) + 10
    span = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        length = max(round(span * value / biggest), 1) if value else 0  # zero: no bar at all
        parts.append(f'<text x="0" y="{y + bar_height - 6}" font-size="11">{escape(label)}</text>')
        if length:
            parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="#b71c1c"/>')
        parts.append(f'<text x="{label_width + length + 6}" y="{y + bar_height - 6}" font-size="11">{value}</text>')
    parts.append("</svg>")
    # Reviewed (ruff S308, bandit B308/B703): every label and the title are escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Share):
        return f"{value * 100:.1f} %".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def render_html(data: dict, *, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    sections = report_sections(data)
    tables = [
        {"title": s.title, "headers": s.headers, "rows": [[display(v) for v in row] for row in s.rows], "key": s.key}
        for s in sections
    ]
    conf = data["conferences"]
    chart_items = [
        (_("Periodic, district level"), conf["periodic"]["by_level"].get("district", 0)),
        (_("Periodic, commune level"), conf["periodic"]["by_level"].get("commune", 0)),
        (_("Ad-hoc, district level"), conf["adhoc"]["by_level"].get("district", 0)),
        (_("Ad-hoc, commune level"), conf["adhoc"]["by_level"].get("commune", 0)),
    ]
    category_items = sorted(data["petitions"]["by_category"].items(), key=lambda kv: -kv[1])[:10]
    return render_to_string(
        "reports/report_pdf.html",
        {
            "data": data,
            "head": letterhead(data["unit"], today),
            "tables": tables,
            "note": provisional_note(data),
            "start": datetime.date.fromisoformat(data["period"]["start"]),
            "end": datetime.date.fromisoformat(data["period"]["end"]),
            "conference_chart": bar_chart_svg(chart_items, title=_("Conferences held")),
            "category_chart": bar_chart_svg(category_items, title=_("Petitions by category")) if category_items else "",
        },
    )


def write_pdf(data: dict, out, *, today: datetime.date | None = None) -> None:
    from weasyprint import HTML

    HTML(string=render_html(data, today=today)).write_pdf(out)
