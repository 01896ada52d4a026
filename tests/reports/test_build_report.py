"""The build_report command: the seed article's table, the unit's code on a date, every format."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import builder
from reports.formats.pdf import bar_chart_svg
from reports.formats.xlsx import sheet_title
from units.models import UnitLevel

pytestmark = pytest.mark.django_db


def build(tmp_path, fmt, *, code="021", start="2017-05-25", end="2022-05-19", extra=()):
    out = tmp_path / f"report.{fmt}"
    call_command(
        "build_report", "--unit", code, "--start", start, "--end", end, "--format", fmt, "--output", str(out), *extra
    )
    return out


def test_five_years_of_bac_tu_liem_give_76_periodic_and_137_adhoc(btl, tmp_path):
    data = json.loads(build(tmp_path, "json").read_text(encoding="utf-8"))
    assert data["unit"]["code"] == "021"
    assert data["unit"]["name"] == "Bắc Từ Liêm"
    assert data["period"] == {"start": "2017-05-25", "end": "2022-05-19"}
    periodic, adhoc = data["conferences"]["periodic"], data["conferences"]["adhoc"]
    assert periodic["total"] == 76
    assert periodic["by_level"]["district"] == 5
    assert periodic["by_level"]["commune"] == 71
    assert adhoc["total"] == 137
    assert adhoc["by_level"] == {"city": 0, "district": 37, "commune": 100}
    assert data["conferences"]["not_held"]["periodic"] == {"planned": 0, "postponed": 1, "cancelled": 1}
    assert data["conferences"]["not_held"]["adhoc"] == {"planned": 2, "postponed": 0, "cancelled": 0}
    assert set(data["petitions"]) >= {"total", "by_status", "by_category", "answered_on_time_share"}
    # Five years: each ward and the district had to hold five periodic conferences.
    assert data["periodic_requirement"] == {"units": 14, "required": 70, "held": 76, "units_met": 14}
    assert len(data["compliance"]) == 14


def test_mapped_to_today_units_keeps_the_totals_and_moves_them_to_new_wards(btl, tmp_path):
    data = json.loads(build(tmp_path, "json", extra=["--as-of-today-units"]).read_text(encoding="utf-8"))
    assert data["conferences"]["periodic"]["total"] == 76
    assert data["conferences"]["adhoc"]["total"] == 137
    assert data["mode"] == "today"
    names = {row["unit"]["name"] for row in data["compliance"]}
    assert names == {"Phường Thượng Cát", "Phường Đông Ngạc", "Phường Xuân Đỉnh", "Phường Tây Tựu", "Phường Phú Diễn"}


def test_a_reused_code_names_the_unit_that_bore_it_on_the_end_date_else_the_start_date(btl):
    assert builder.unit_for_code("00598", datetime.date(2025, 1, 1), datetime.date(2026, 1, 1)) == btl.new["Thượng Cát"]
    assert builder.unit_for_code("00598", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)) == btl.old["Liên Mạc"]
    # Bắc Từ Liêm was abolished on 30/6/2025: on the end date no unit bore 021, on the start date it did.
    assert builder.unit_for_code("021", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == btl.district
    with pytest.raises(CommandError):
        call_command(
            "build_report",
            "--unit",
            "77777",
            "--start",
            "2020-01-01",
            "--end",
            "2020-12-31",
            "--format",
            "json",
            "--output",
            "-",
        )


def test_pdf_is_a_vietnamese_bao_cao_with_its_letterhead_and_tables(btl, tmp_path):
    reader = PdfReader(str(build(tmp_path, "pdf")))
    # Table cells wrap: compare on text with every run of white space made one space.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "BÁO CÁO" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "QUẬN ỦY BẮC TỪ LIÊM" in text
    assert "Quyết định số 2200-QĐ/TU" in text
    assert "Thụy Phương" in text and "Cổ Nhuế 2" in text
    with translation.override("vi"):
        heading = gettext("Conferences held")
    assert heading in text
    if heading != "Conferences held":  # once the Vietnamese catalogue is compiled
        assert "Hội nghị" in text


def test_xlsx_has_a_sheet_per_section_with_plain_numbers(btl, tmp_path):
    workbook = load_workbook(build(tmp_path, "xlsx"))
    assert len(workbook.sheetnames) == 11
    first = workbook[workbook.sheetnames[0]]
    rows = [list(r) for r in first.iter_rows(values_only=True)]
    periodic_row = rows[3]
    with translation.override("vi"):
        levels = [str(level.label) for level in (UnitLevel.CITY, UnitLevel.DISTRICT, UnitLevel.COMMUNE)]
    assert rows[2][1:4] == levels
    assert periodic_row[1:] == [0, 5, 71, 76]  # city → district → commune, then the total
    assert rows[4][1:] == [0, 37, 100, 137]
    formulas = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_xlsx_columns_fit_their_cells_and_dates_read_dd_mm_yyyy(btl, tmp_path):
    workbook = load_workbook(build(tmp_path, "xlsx"))
    first = workbook[workbook.sheetnames[0]]
    assert "25/05/2017 … 19/05/2022" in first["A2"].value
    widths = {letter: first.column_dimensions[letter].width for letter in "ABCDE"}
    longest_label = max(len(str(row[0].value or "")) for row in first.iter_rows(min_row=3))
    assert widths["A"] >= longest_label  # "Định kỳ", "Đột xuất", "Tổng cộng" are not cut
    assert all(8 <= width <= 60 for width in widths.values())


def test_a_report_of_a_period_not_yet_ended_says_its_figures_are_provisional(btl, tmp_path):
    today = timezone.localdate()
    end = (today + datetime.timedelta(days=20)).isoformat()
    data = json.loads(
        build(tmp_path, "json", code="01", start=f"{today.year}-01-01", end=end).read_text(encoding="utf-8")
    )
    assert data["provisional"] is True
    sheet = load_workbook(build(tmp_path, "xlsx", code="01", start=f"{today.year}-01-01", end=end)).worksheets[0]
    assert sheet["A3"].value.startswith("Số liệu tạm tính")
    rows = list(
        csv.reader(
            io.StringIO(build(tmp_path, "csv", code="01", start=f"{today.year}-01-01", end=end).read_text("utf-8-sig"))
        )
    )
    assert rows[1][0] == "Ghi chú" and "tạm tính" in rows[1][4]
    pdf = PdfReader(build(tmp_path, "pdf", code="01", start=f"{today.year}-01-01", end=end))
    assert "tạm tính" in " ".join(page.extract_text() for page in pdf.pages)
    ended = json.loads(build(tmp_path, "json").read_text(encoding="utf-8"))
    assert ended["provisional"] is False


def test_csv_has_every_section_as_rows(btl, tmp_path):
    text = build(tmp_path, "csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    # Read by people in a spreadsheet: headers, section names and dates as the portal writes them.
    assert rows[0] == ["Mục", "Mã đơn vị", "Từ ngày", "Đến ngày", "Dòng", "Giá trị…"]
    held = "Hội nghị đã tổ chức"
    conference_rows = [r for r in rows if r[0] == held and r[4] != "tiêu đề cột"]
    assert [int(x) for x in conference_rows[0][5:]] == [0, 5, 71, 76]
    assert conference_rows[0][2:4] == ["25/05/2017", "19/05/2022"]
    assert "Ghi chú" not in {r[0] for r in rows}  # a period that has ended: not provisional
    assert {"Hội nghị đã tổ chức", "Ý kiến, kiến nghị được nêu tại hội nghị"} <= {r[0] for r in rows[1:]}


def test_a_petition_of_an_abolished_ward_counts_on_it_as_it_was_and_on_its_successor_today(btl):
    from tests import factories as f

    lien_mac, new_tc = btl.old["Liên Mạc"], btl.new["Thượng Cát"]
    f.PetitionFactory(unit=lien_mac, submitted_at=datetime.datetime(2024, 9, 3, 9, tzinfo=datetime.UTC))
    start, end = datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)

    as_was = builder.build_report_data(unit=new_tc, start=start, end=end)
    today = builder.build_report_data(unit=new_tc, start=start, end=end, as_of_today_units=True)
    assert as_was["petitions"]["total"] == 0  # the new ward did not exist in 2024
    assert today["petitions"]["total"] == 1  # Liên Mạc's history is carried by Thượng Cát

    old_ward = builder.build_report_data(unit=lien_mac, start=start, end=end)
    assert old_ward["petitions"]["total"] == 1

    # Abolished Thụy Phương was split; its primary successor (Đông Ngạc), not Thượng Cát, carries it.
    f.PetitionFactory(unit=btl.old["Thụy Phương"], submitted_at=datetime.datetime(2024, 9, 3, 9, tzinfo=datetime.UTC))
    today = builder.build_report_data(unit=new_tc, start=start, end=end, as_of_today_units=True)
    assert today["petitions"]["total"] == 1
    dong_ngac = builder.build_report_data(unit=btl.new["Đông Ngạc"], start=start, end=end, as_of_today_units=True)
    assert dong_ngac["petitions"]["total"] == 1


def test_json_generated_at_is_in_vietnam_time(btl, tmp_path):
    data = json.loads(build(tmp_path, "json").read_text(encoding="utf-8"))
    generated = datetime.datetime.fromisoformat(data["generated_at"])
    assert generated.utcoffset() == datetime.timedelta(hours=7)


def test_xlsx_sheet_titles_are_short_whole_words_and_counts_are_numbers(btl, tmp_path):
    workbook = load_workbook(build(tmp_path, "xlsx"))
    with translation.override("vi"):
        expected = [gettext(t) for t in ("Conferences", "Not held", "Opinions", "By status", "Compliance")]
    names = workbook.sheetnames
    assert all(len(name) <= 31 for name in names)
    assert {expected[0], expected[1], expected[2], expected[3], expected[4]} <= {n.split(" (")[0] for n in names}
    obligations = [list(r) for r in workbook[names[8]].iter_rows(values_only=True)]
    values = [row[1] for row in obligations[3:]]
    assert all(isinstance(v, int | float) or v is None for v in values), values
    assert "14/14" not in values and values[2:4] == [14, 14]  # units with a requirement, units that met it


def test_sheet_title_cuts_between_words():
    used = set()
    title = sheet_title("Answers, timeliness and satisfaction of the citizens", used)
    assert title == "Answers, timeliness and"
    again = sheet_title("Answers, timeliness and satisfaction of the citizens", used)
    assert again == "Answers, timeliness and (2)" and len(again) <= 31
    assert sheet_title("Báo cáo: kết quả [tháng 10]", set()) == "Báo cáo kết quả tháng 10"


def test_pdf_bars_of_zero_are_not_drawn():
    svg = str(bar_chart_svg([("Cấp thành phố", 0), ("Cấp quận", 5), ("Cấp phường", 1)], title="Hội nghị"))
    assert svg.count("<rect") == 2


def test_pdf_of_an_abolished_unit_shows_its_validity(btl, tmp_path):
    reader = PdfReader(str(build(tmp_path, "pdf")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "27/12/2013" in text and "30/06/2025" in text  # Bắc Từ Liêm, abolished on 1/7/2025


def test_pdf_rank_labels_wrap_between_words(btl):
    from reports.services import render_report

    data = builder.build_report_data(
        unit=btl.district, start=datetime.date(2017, 5, 25), end=datetime.date(2022, 5, 19)
    )
    for row in data["compliance"]:
        row["judged"] = False  # "too few cases" in every rank cell
    reader = PdfReader(io.BytesIO(render_report(data, "pdf")))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    with translation.override("vi"):
        too_few = gettext("too few cases")
    # The rank column is wide enough for the label on one line ("quá ít trường hợp"), not one word a line.
    assert sum(too_few in line for line in lines) == len(data["compliance"])


def test_a_report_on_an_abolished_ward_says_so_in_its_title_and_letterhead(btl, tmp_path):
    from reports.formats.pdf import render_html
    from reports.formats.xlsx import write_xlsx

    old_xd = btl.old["Xuân Đỉnh"]
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    with translation.override("vi"):
        data = builder.build_report_data(unit=old_xd, start=start, end=end)
        assert data["unit"]["display_name"] == "Phường Xuân Đỉnh (đến 30/06/2025)"
        html = render_html(data, today=datetime.date(2026, 1, 5))
        out = tmp_path / "report.xlsx"
        write_xlsx(data, out.open("wb"))
    assert "<title>" in html and "Phường Xuân Đỉnh (đến 30/06/2025)</title>" in html
    assert "30/06/2025" in html.split("</title>", 1)[1]  # the letterhead too
    first_sheet = load_workbook(out).worksheets[0]
    assert any("(đến 30/06/2025)" in str(cell.value) for row in first_sheet.iter_rows() for cell in row)
    # Its successor of the same name reads as the unit in force.
    new = builder.build_report_data(unit=btl.new["Xuân Đỉnh"], start=start, end=datetime.date(2025, 12, 31))
    assert new["unit"]["display_name"] == "Phường Xuân Đỉnh"
