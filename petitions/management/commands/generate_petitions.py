"""`manage.py generate_petitions --count N [--conferences M] [--seed S]`: synthetic data for benchmarks.

Spreads petitions (and conferences) over the commune-level units that existed on each date —
historical and current — with categories, kinds, channels and statuses whose dates agree
(accepted after received, due dates in working days on the holiday calendar, answered before
resolved, abolished units without open petitions). Petitioners are synthetic.

On PostgreSQL petitions are written with COPY FROM STDIN in batches (1 million rows in a few
minutes on two cores); elsewhere with `bulk_create`. Conferences use `bulk_create`. The rows
bypass the services on purpose: no audit events, no history rows, no notifications.
"""

import bisect
import datetime
import io
import random
import time
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from conferences.models import Conference, ConferenceFormat, ConferenceKind, ConferenceStatus, MinutesStatus
from petitions.codes import ALPHABET, LENGTH
from petitions.models import (
    Category,
    Channel,
    Petition,
    PetitionKind,
    PetitionStatus,
    RejectionReason,
    Verdict,
)
from rules.workdays import WorkCalendar
from units.models import AdministrativeUnit, Organisation, OrganisationKind, UnitLevel

HISTORY_START = datetime.date(2021, 1, 1)
ACK_DAYS, ANSWER_DAYS = 10, 30

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Quang", "Thu", "Hữu", "Ngọc", "Đức", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc"]
STREETS = ["Xuân Đỉnh", "Phạm Văn Đồng", "Tân Xuân", "Đông Ngạc", "Phú Diễn", "Văn Tiến Dũng", "Hoàng Quốc Việt"]
SUBJECTS = [
    ("Đề nghị sửa chữa mặt đường ngõ {n}", "Mặt đường ngõ {n} hư hỏng, nhiều ổ gà, đi lại khó khăn."),
    ("Rác thải tồn đọng tại tổ dân phố {n}", "Rác không được thu gom đúng giờ, bốc mùi ảnh hưởng sinh hoạt."),
    ("Công trình xây dựng không phép tại số {n}", "Công trình xây vượt tầng, lấn chiếm lối đi chung."),
    ("Ngập úng khi mưa lớn tại ngõ {n}", "Mỗi trận mưa lớn nước ngập sâu, tràn vào nhà dân."),
    ("Đèn chiếu sáng ngõ {n} bị hỏng", "Đèn hỏng nhiều tuần, đi lại buổi tối không an toàn."),
    ("Tiến độ chi trả bồi thường GPMB", "Đề nghị công khai tiến độ chi trả bồi thường cho các hộ đã bàn giao."),
    ("Tiếng ồn karaoke sau 22 giờ tại số {n}", "Quán karaoke hoạt động quá giờ, gây mất trật tự."),
    ("Đề nghị bổ sung dụng cụ thể thao tại vườn hoa", "Vườn hoa tổ {n} chưa có dụng cụ tập thể dục."),
    ("Thủ tục cấp giấy chứng nhận quyền sử dụng đất", "Hồ sơ nộp đã quá hạn nhưng chưa được trả kết quả."),
    ("Nước sinh hoạt yếu vào giờ cao điểm", "Nước máy rất yếu vào buổi tối, có hôm mất nước."),
]
KINDS = [
    (PetitionKind.REPORT, 40),
    (PetitionKind.RECOMMENDATION, 35),
    (PetitionKind.PROPOSAL, 10),
    (PetitionKind.COMMENT, 8),
    (PetitionKind.COMPLAINT, 5),
    (PetitionKind.DENUNCIATION, 2),
]
CHANNELS = [
    (Channel.ONLINE, 45),
    (Channel.CONFERENCE, 30),
    (Channel.RECEPTION, 12),
    (Channel.MAIL, 5),
    (Channel.MTTQ, 8),
]
# Statuses of a petition whose unit still exists, and of one whose unit was abolished.
STATUSES_OPEN_UNIT = [
    (PetitionStatus.SUBMITTED, 4),
    (PetitionStatus.ACCEPTED, 5),
    (PetitionStatus.IN_PROGRESS, 10),
    (PetitionStatus.TRANSFERRED, 3),
    (PetitionStatus.ANSWERED, 22),
    (PetitionStatus.RESOLVED, 46),
    (PetitionStatus.REJECTED, 10),
]
STATUSES_CLOSED_UNIT = [(PetitionStatus.ANSWERED, 25), (PetitionStatus.RESOLVED, 65), (PetitionStatus.REJECTED, 10)]
OPEN = {PetitionStatus.SUBMITTED, PetitionStatus.ACCEPTED, PetitionStatus.IN_PROGRESS, PetitionStatus.TRANSFERRED}


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    cumulative, total = [], 0
    for w in weights:
        total += w
        cumulative.append(total)
    return list(values), cumulative


class Generator:
    def __init__(self, *, seed: int | None, today: datetime.date):
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data)
        self.today = today
        self.calendar = WorkCalendar(HISTORY_START - datetime.timedelta(days=10), today + datetime.timedelta(days=400))
        self.units = list(
            AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, valid_from__lte=today).values_list(
                "pk", "valid_from", "valid_to"
            )
        )
        if not self.units:
            raise CommandError("No commune-level units: run `manage.py import_units` or `manage.py load_demo` first.")
        self.intervals = defaultdict(list)
        for pk, start, end in self.units:
            self.intervals[(start, end)].append(pk)
        self._on_cache = {}
        self.categories = list(Category.objects.filter(is_active=True).values_list("pk", flat=True))
        if not self.categories:
            raise CommandError("No categories: run `manage.py migrate` first.")
        self.orgs = defaultdict(list)
        for pk, unit_id in Organisation.objects.filter(kind=OrganisationKind.HANDLING_UNIT).values_list(
            "pk", "unit_id"
        ):
            self.orgs[unit_id].append(pk)
        self.kinds = _weighted(KINDS)
        self.channels = _weighted(CHANNELS)
        self.statuses_open = _weighted(STATUSES_OPEN_UNIT)
        self.statuses_closed = _weighted(STATUSES_CLOSED_UNIT)
        self.conferences = []  # (id, unit_id, held_on, valid_to of unit)
        self.seen_codes = set()

    def pick(self, weighted):
        values, cumulative = weighted
        return values[bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])]

    def units_on(self, day):
        key = day
        found = self._on_cache.get(key)
        if found is None:
            found = []
            for (start, end), pks in self.intervals.items():
                if start <= day and (end is None or day <= end):
                    found.extend(pks)
            self._on_cache[key] = found
        return found

    def random_day(self, start=HISTORY_START, end=None):
        end = end or self.today
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def unit_on(self, day):
        for _attempt in range(20):
            candidates = self.units_on(day)
            if candidates:
                return self.rng.choice(candidates), day
            day = self.random_day()
        raise CommandError("No unit is valid on the dates generated.")

    def code(self):
        while True:
            code = "".join(self.rng.choice(ALPHABET) for _ in range(LENGTH))
            if code not in self.seen_codes:
                self.seen_codes.add(code)
                return code

    def aware(self, day, hour=None):
        hour = self.rng.randrange(7, 22) if hour is None else hour
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60))))

    # --- conferences ---
    def conference(self):
        day = self.random_day(end=self.today + datetime.timedelta(days=60))
        unit_id, day = self.unit_on(day)
        kind = ConferenceKind.PERIODIC if self.rng.random() < 0.4 else ConferenceKind.ADHOC
        fmt = self.rng.choice(
            [ConferenceFormat.THEMATIC, ConferenceFormat.COMMUNE_CHAIR]
            if kind == ConferenceKind.ADHOC
            else [c for c in ConferenceFormat.values if c != ConferenceFormat.THEMATIC]
        )
        fields = {"held_on": None, "attendance": None, "minutes_status": MinutesStatus.NONE, "invitation_sent_on": None}
        if day > self.today:
            status = ConferenceStatus.ANNOUNCED if self.rng.random() < 0.5 else ConferenceStatus.PLANNED
        else:
            r = self.rng.random()
            status = (
                ConferenceStatus.CANCELLED
                if r < 0.03
                else ConferenceStatus.POSTPONED
                if r < 0.05
                else ConferenceStatus.HELD
                if r < 0.15 or (self.today - day).days < 10
                else ConferenceStatus.CONCLUDED
                if r < 0.35
                else ConferenceStatus.CLOSED
            )
        if status in (ConferenceStatus.HELD, ConferenceStatus.CONCLUDED, ConferenceStatus.CLOSED):
            fields.update(
                held_on=day,
                attendance=self.rng.randrange(40, 400),
                minutes_status=MinutesStatus.LOCKED if status == ConferenceStatus.CLOSED else MinutesStatus.APPROVED,
            )
        if status != ConferenceStatus.PLANNED:
            fields["invitation_sent_on"] = day - datetime.timedelta(days=self.rng.randrange(5, 15))
        return Conference(
            unit_id=unit_id,
            kind=kind,
            format=fmt,
            title=f"Hội nghị đối thoại {'định kỳ' if kind == ConferenceKind.PERIODIC else 'chuyên đề'} {day:%m/%Y}",
            status=status,
            planned_start=self.aware(day, 8),
            venue="Hội trường UBND",
            status_reason="Thay đổi lịch công tác"
            if status in (ConferenceStatus.CANCELLED, ConferenceStatus.POSTPONED)
            else "",
            **fields,
        )

    # --- petitions ---
    def petition(self, unit_valid_to) -> dict:
        rng = self.rng
        channel = self.pick(self.channels)
        conference_id = None
        if channel == Channel.CONFERENCE and self.conferences:
            conference_id, unit_id, day = rng.choice(self.conferences)
            submitted = self.aware(day, 9)
        else:
            if channel == Channel.CONFERENCE:
                channel = Channel.ONLINE
            unit_id, day = self.unit_on(self.random_day())
            submitted = self.aware(day)
        kind = self.pick(self.kinds)
        end = unit_valid_to[unit_id]
        abolished = end is not None and end < self.today
        status = self.pick(self.statuses_closed if abolished else self.statuses_open)
        if kind in (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION):
            status = PetitionStatus.REJECTED
        if channel == Channel.CONFERENCE and status not in (PetitionStatus.REJECTED,) and rng.random() < 0.35:
            status = PetitionStatus.ANSWERED_ON_SPOT
        if channel == Channel.CONFERENCE and status == PetitionStatus.SUBMITTED:
            status = PetitionStatus.ACCEPTED  # opinions raised at a conference are accepted at once
        age = (self.today - day).days
        if status in OPEN and age > 400 and rng.random() < 0.9:
            status = PetitionStatus.RESOLVED  # old petitions are mostly settled
        title, content = rng.choice(SUBJECTS)
        n = rng.randrange(1, 200)
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        row = {
            "tracking_code": self.code(),
            "unit_id": unit_id,
            "kind": kind,
            "category_id": rng.choice(self.categories),
            "channel": channel,
            "title": title.format(n=n),
            "content": content.format(n=n),
            "location": f"Ngõ {n} đường {rng.choice(STREETS)}",
            "status": status,
            "petitioner_name": name,
            "petitioner_phone": f"+849{rng.randrange(10**7, 10**8)}",
            "petitioner_email": f"congdan{rng.randrange(10**6)}@example.vn" if rng.random() < 0.4 else "",
            "petitioner_address": f"Số {rng.randrange(1, 300)}, tổ dân phố {rng.randrange(1, 30)}",
            "show_name_publicly": rng.random() < 0.1,
            "consent_given_at": submitted,
            "conference_id": conference_id,
            "submitted_at": submitted,
            "updated_at": submitted,
        }
        cal = self.calendar
        ack_due = cal.add_working_days(day, ACK_DAYS)
        row["acknowledgement_due_on"] = ack_due
        if status == PetitionStatus.SUBMITTED:
            row["due_on"] = ack_due
            return row
        accepted = (
            day if channel == Channel.CONFERENCE else min(self.today, day + datetime.timedelta(rng.randrange(0, 6)))
        )
        row["accepted_at"] = (
            submitted + datetime.timedelta(minutes=rng.randrange(0, 240))
            if accepted == day
            else self.aware(accepted, 9)
        )
        if status == PetitionStatus.REJECTED:
            row["rejection_reason"] = (
                RejectionReason.COMPLAINT
                if kind == PetitionKind.COMPLAINT
                else RejectionReason.DENUNCIATION
                if kind == PetitionKind.DENUNCIATION
                else rng.choice([RejectionReason.NOT_COMPETENT, RejectionReason.UNCLEAR, RejectionReason.DUPLICATE])
            )
            row["rejection_note"] = "Đã hướng dẫn công dân gửi đến cơ quan có thẩm quyền."
            return row
        if status == PetitionStatus.ANSWERED_ON_SPOT:
            row["answered_on"] = day
            return row
        due = cal.add_working_days(accepted, ANSWER_DAYS)
        row["original_due_on"] = row["due_on"] = due
        if status != PetitionStatus.ACCEPTED:
            orgs = self.orgs.get(unit_id)
            if orgs:
                row["handling_org_id"] = rng.choice(orgs)
        if status in OPEN:
            if rng.random() < 0.1:
                row["due_on"] = cal.add_working_days(due, 20)  # extended
            return row
        answered = accepted + datetime.timedelta(days=max(1, int(rng.gauss(30, 15))))
        answered = min(answered, self.today)
        row["answered_on"] = answered
        row["updated_at"] = self.aware(answered, 15)
        if status == PetitionStatus.RESOLVED:
            resolved = min(self.today, answered + datetime.timedelta(days=rng.randrange(0, 20)))
            row["resolved_at"] = self.aware(resolved, 16)
            if rng.random() < 0.6:
                row.update(verdict=Verdict.RESOLVED, rating=rng.choice([3, 4, 4, 5, 5]), verdict_at=row["resolved_at"])
            row["updated_at"] = row["resolved_at"]
        return row


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class Command(BaseCommand):
    help = "Generate N synthetic petitions (and M conferences) spread over current and historical units."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Number of petitions to create.")
        parser.add_argument("--conferences", type=int, default=None, help="Number of conferences (default N/50).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")
        parser.add_argument("--batch-size", type=int, default=50_000, help="Rows per COPY / bulk_create batch.")
        parser.add_argument(
            "--no-copy", action="store_true", help="Use bulk_create even on PostgreSQL (for comparison)."
        )

    def handle(self, *args, count, conferences, seed, batch_size, no_copy, **options):
        if count < 0:
            raise CommandError("--count must not be negative.")
        started = time.perf_counter()
        if not AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).exists():
            from units.importers import import_units, rows_from_package

            self.stdout.write("No units yet: importing Hà Nội's units from vietnamadminunits.")
            import_units(*rows_from_package("01"))
        gen = Generator(seed=seed, today=timezone.localdate())
        unit_valid_to = dict(AdministrativeUnit.objects.values_list("pk", "valid_to"))

        n_conf = count // 50 if conferences is None else conferences
        created_conf = Conference.objects.bulk_create([gen.conference() for _ in range(n_conf)], batch_size=2000)
        from conferences.models import HELD_STATUSES

        gen.conferences = [(c.pk, c.unit_id, c.held_on) for c in created_conf if c.status in HELD_STATUSES and c.pk]
        t_conf = time.perf_counter() - started

        use_copy = connection.vendor == "postgresql" and not no_copy
        write = self._copy if use_copy else self._bulk_create
        done = 0
        while done < count:
            size = min(batch_size, count - done)
            rows = [gen.petition(unit_valid_to) for _ in range(size)]
            for _attempt in range(5):
                try:
                    with transaction.atomic():
                        write(rows)
                    break
                except IntegrityError:  # a tracking code already in the database: draw new ones
                    for row in rows:
                        row["tracking_code"] = gen.code()
            else:
                raise CommandError("Could not draw unique tracking codes.")
            done += size
            if count > batch_size:
                self.stdout.write(f"  {done:>10,} petitions ({time.perf_counter() - started:.1f}s)")
        if use_copy:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Petition._meta.db_table}; ANALYZE {Conference._meta.db_table}")
        elapsed = time.perf_counter() - started
        rate = count / (elapsed - t_conf) if elapsed > t_conf and count else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(created_conf):,} conferences and {count:,} petitions in {elapsed:.1f}s "
                f"({'COPY' if use_copy else 'bulk_create'}, {rate:,.0f} petitions/s)."
            )
        )

    @staticmethod
    def _fields():
        return [f for f in Petition._meta.concrete_fields if not f.primary_key]

    def _bulk_create(self, rows):
        Petition.objects.bulk_create([Petition(**row) for row in rows], batch_size=2000)

    def _copy(self, rows):
        fields = self._fields()
        defaults = {}
        for f in fields:
            if f.has_default() and not callable(f.default):
                defaults[f.attname] = f.default
            elif f.null:
                defaults[f.attname] = None
            else:
                defaults[f.attname] = ""
        columns = [f.column for f in fields]
        attnames = [f.attname for f in fields]
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_value(row.get(a, defaults[a])) for a in attnames))
            buffer.write("\n")
        buffer.seek(0)
        sql = f"COPY {Petition._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError on a taken code
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, buffer)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    copy.write(buffer.getvalue())
