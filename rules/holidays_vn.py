"""Vietnamese public holidays, swapped days off and make-up working days, 2025–2027.

The government decides Tết and the swapped days each year, so these are data, loaded into the
`Holiday` table (editable in the admin) by a data migration and by `load_demo`. Sources:
Labour Code 2019 Art. 112 (fixed holidays), the Prime Minister's yearly decisions on days off
for civil servants (2025: 2/5 swapped with Saturday 26/4; 2026: 2/1 swapped with Saturday
10/1 under 12729/VPCP-KGVX, Tết 14/2–22/2). Days marked "derived" follow the usual pattern
but were not yet decided when this list was written: an administrator corrects them.

Weekend days inside a holiday span are listed too, so that the calendar reads like the
official notice; they change no arithmetic (weekends are days off anyway).
"""

import datetime

from rules.models import HolidayKind

H, OFF, WORK = HolidayKind.HOLIDAY, HolidayKind.DAY_OFF, HolidayKind.WORKING_DAY


def _span(first: datetime.date, last: datetime.date, name: str) -> list[tuple[datetime.date, str, str]]:
    days = (last - first).days
    return [(first + datetime.timedelta(days=i), H, name) for i in range(days + 1)]


D = datetime.date
TET = "Tết Nguyên đán"

# (date, kind, name)
HOLIDAYS: list[tuple[datetime.date, str, str]] = [
    # 2025
    (D(2025, 1, 1), H, "Tết Dương lịch"),
    *_span(D(2025, 1, 25), D(2025, 2, 2), f"{TET} Ất Tỵ"),
    (D(2025, 4, 7), H, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (D(2025, 4, 26), WORK, "Làm bù cho ngày nghỉ 2/5/2025"),
    (D(2025, 4, 30), H, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2025, 5, 1), H, "Ngày Quốc tế Lao động"),
    (D(2025, 5, 2), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)"),
    (D(2025, 9, 1), H, "Quốc khánh (ngày liền kề)"),
    (D(2025, 9, 2), H, "Quốc khánh"),
    # 2026
    (D(2026, 1, 1), H, "Tết Dương lịch"),
    (D(2026, 1, 2), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 10/1/2026)"),
    (D(2026, 1, 10), WORK, "Làm bù cho ngày nghỉ 2/1/2026"),
    *_span(D(2026, 2, 14), D(2026, 2, 22), f"{TET} Bính Ngọ"),
    (D(2026, 4, 26), H, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (D(2026, 4, 27), H, "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật)"),
    (D(2026, 4, 30), H, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2026, 5, 1), H, "Ngày Quốc tế Lao động"),
    (D(2026, 8, 22), WORK, "Làm bù cho ngày nghỉ 31/8/2026"),
    (D(2026, 8, 31), OFF, "Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)"),
    (D(2026, 9, 1), H, "Quốc khánh (ngày liền kề)"),
    (D(2026, 9, 2), H, "Quốc khánh"),
    (D(2026, 11, 24), H, "Ngày Văn hóa Việt Nam"),
    # 2027 (derived: Tết and the days adjacent to 2/9 are decided late in 2026)
    (D(2027, 1, 1), H, "Tết Dương lịch"),
    *_span(D(2027, 2, 4), D(2027, 2, 10), f"{TET} Đinh Mùi"),
    (D(2027, 4, 16), H, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (D(2027, 4, 30), H, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (D(2027, 5, 1), H, "Ngày Quốc tế Lao động"),
    (D(2027, 5, 3), H, "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy)"),
    (D(2027, 9, 2), H, "Quốc khánh"),
    (D(2027, 9, 3), H, "Quốc khánh (ngày liền kề)"),
    (D(2027, 11, 24), H, "Ngày Văn hóa Việt Nam"),
]


def install_holidays(holiday_model=None) -> int:
    """Create the holidays above that are missing; return how many were created.

    Idempotent: a date already in the table is left alone, so an administrator's correction
    survives re-running. `holiday_model` lets a data migration pass its historical model.
    """
    if holiday_model is None:
        from rules.models import Holiday as holiday_model
    existing = set(holiday_model.objects.filter(date__in=[d for d, _k, _n in HOLIDAYS]).values_list("date", flat=True))
    missing = [holiday_model(date=d, kind=str(k), name=n) for d, k, n in HOLIDAYS if d not in existing]
    holiday_model.objects.bulk_create(missing)
    return len(missing)
