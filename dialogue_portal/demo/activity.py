"""The demo's year of dialogue: plans, conferences, petitions, notices, supervision and a commendation.

Everything goes through the services on a simulated clock (`dialogue_portal.demo.clock`), so
the audit trail, deadlines in working days and history read as if the year had really happened:
2024–2025 in Bắc Từ Liêm and its old wards (with an open petition carried over to the new
ward on 1/7/2025), then 2026 in the new wards, with every status of plans, conferences,
minutes, petitions and notices represented. Created once: skipped when Xuân Đỉnh's 2026 plan
exists.
"""

import datetime
import itertools

from django.db import transaction

from conferences import services as conf
from conferences.models import ConferenceFormat, ConferenceKind, DialoguePlan, Document, DocumentType, PlanItem
from dialogue_portal.demo import DemoWorld, at, clock
from followup import services as follow
from followup.models import CommendationKind, Finding, FollowUpNotice
from petitions import services as pet
from petitions.models import Answer, Category, Channel, CitizenVerdict, Extension, Petition, PetitionKind
from petitions.models import RejectionReason as Why

D = datetime.date
F, K = ConferenceFormat, ConferenceKind
# The demo's "today": nothing is recorded after it (later conferences are only planned or announced).
LAST_DAY = D(2026, 11, 25)
POSTED = "Bảng tin UBND phường; hệ thống loa truyền thanh; Cổng đối thoại trực tuyến"

_names = itertools.cycle(
    [
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
)
_serial = itertools.count(101)


def _petitioner():
    n = next(_serial)
    return {
        "petitioner_name": next(_names),
        "petitioner_phone": f"+8491200{n:04d}",
        "petitioner_address": f"Số {n % 90 + 1}, tổ dân phố {n % 12 + 1}",
    }


def _category(name: str) -> Category:
    category, _c = Category.objects.get_or_create(name=name, defaults={"order": 500})
    return category


def _stamp(model, pk, **fields):
    """Date a row that a service stamped with the real clock (fields whose default is `timezone.now`)."""
    model.objects.filter(pk=pk).update(**fields)


class Story:
    """Small verbs over the services, each run on the simulated clock."""

    def __init__(self, world: DemoWorld):
        self.w = world
        self.admin = world.users["admin"]

    def org(self, unit, key):
        return self.w.orgs[(unit.pk, key)]

    # plans
    def plan(self, unit, year, *, by, document=None, items=(), submit_on=None, approve_on=None, created_on=None):
        with clock(created_on or D(year, 1, 8)):
            plan = conf.create_plan(
                unit=unit, year=year, title=f"Kế hoạch tiếp xúc, đối thoại năm {year}", by=by, document=document
            )
            plan_items = [
                conf.add_plan_item(
                    plan=plan, by=by, topic=topic, format=fmt, kind=kind, quarter=q, month=m, chair=chair
                )
                for q, m, kind, fmt, topic, chair in items
            ]
        if submit_on or approve_on:
            with clock(submit_on or approve_on, 9):
                conf.submit_plan(plan=plan, by=by)
        if approve_on:
            with clock(approve_on, 15):
                conf.approve_plan(plan=plan, by=by)
        return plan, plan_items

    # conferences
    def conference(self, unit, title, when, *, by, kind=K.PERIODIC, fmt=F.WORKING_SESSION_MTTQ, item=None, **fields):
        if item is not None:  # schedule_conference reads the plan's status through the item: read it fresh
            item = PlanItem.objects.select_related("plan").get(pk=item.pk)
        with clock(min(when - datetime.timedelta(days=21), LAST_DAY)):
            return conf.schedule_conference(
                unit=unit,
                kind=kind,
                format=fmt,
                title=title,
                planned_start=at(when, 8, 30),
                planned_end=at(when, 11, 30),
                plan_item=item,
                by=by,
                venue=fields.pop("venue", f"Hội trường UBND {unit}"),
                co_organisers=[self.org(unit, "mttq")] if (unit.pk, "mttq") in self.w.orgs else [],
                **fields,
            )

    def announce(self, c, when, *, by, lead=10):
        with clock(when - datetime.timedelta(days=lead)) as now:
            conf.announce_conference(conference=c, invitation_sent_on=now.date(), by=by)

    def hold(self, c, when, *, by, attendance, minutes=""):
        with clock(when, 17):
            conf.record_conference_held(
                conference=c, held_on=when, attendance=attendance, actual_start=at(when, 8, 30), by=by
            )
            conf.update_minutes(conference=c, by=by, text=minutes or f"Biên bản hội nghị: {c.title}.")
        c.refresh_from_db()
        return c

    def opinion(self, c, category, title, content, *, by, kind=PetitionKind.RECOMMENDATION, on_spot=""):
        with clock(c.held_on, 10):
            return pet.record_conference_opinion(
                conference=c,
                kind=kind,
                category=_category(category),
                title=title,
                content=content,
                by=by,
                answer_on_spot=on_spot,
                **_petitioner(),
            )

    def conclude(self, c, text, *, by, assignee, deadline, petitions=()):
        with clock(c.held_on, 16):
            return conf.add_conclusion_item(
                conference=c, text=text, by=by, assignee=assignee, deadline=deadline, petitions=list(petitions)
            )

    def minutes(self, c, *, by, approve_on=None, lock_on=None):
        if approve_on:
            with clock(approve_on, 10):
                conf.set_minutes_status(conference=c, status="approved", by=by)
        if lock_on:
            with clock(lock_on, 10):
                conf.set_minutes_status(conference=c, status="locked", by=by)

    def notice(self, c, *, by, chair, number, draft_on, approve_on=None, publish_on=None):
        with clock(draft_on, 14):
            notice = follow.draft_notice_from_conference(conference=c, by=by)
        FollowUpNotice.objects.filter(pk=notice.pk).update(number=number, issued_on=approve_on or draft_on)
        if approve_on:
            with clock(approve_on, 15):
                follow.approve_notice(notice=notice, by=chair)
        if publish_on:
            with clock(publish_on, 8):
                follow.publish_notice(notice=notice, by=by, posted_at=POSTED)
        return notice

    # petitions
    def online(self, unit, day, category, title, content, *, kind=PetitionKind.REPORT, channel=Channel.ONLINE, by=None):
        with clock(day, 20 if channel == Channel.ONLINE else 9):
            return pet.submit_petition(
                unit=unit,
                kind=kind,
                category=_category(category),
                title=title,
                content=content,
                consent=True,
                channel=channel,
                by=by,
                location=unit.name,
                petitioner_email="",
                **_petitioner(),
            )

    def accept(self, p, day, *, by):
        with clock(day, 9):
            return pet.accept_petition(petition=p, by=by)

    def assign(self, p, day, org, *, by, assignee=None, note="Đề nghị kiểm tra, trả lời công dân đúng hạn."):
        with clock(day, 10):
            return pet.assign_petition(petition=p, organisation=org, by=by, assignee=assignee, note=note)

    def transfer(self, p, day, org, *, by, note):
        with clock(day, 10):
            return pet.transfer_petition(petition=p, organisation=org, by=by, note=note)

    def extend(self, p, day, new_due, *, by, reason):
        with clock(day, 11) as now:
            pet.extend_deadline(petition=p, new_due_on=new_due, reason=reason, by=by)
        _stamp(Extension, Extension.objects.filter(petition=p).latest("pk").pk, extended_at=now)

    def answer(self, p, day, text, number, *, by):
        with clock(day, 14) as now:
            answer = pet.answer_petition(petition=p, text=text, document_number=number, document_date=day, by=by)
        _stamp(Answer, answer.pk, answered_at=now)
        return answer

    def resolve(self, p, day, *, by):
        with clock(day, 16):
            return pet.mark_resolved(petition=p, by=by, note="Đã kiểm tra thực tế, công dân đồng ý.")

    def verdict(self, p, day, verdict, rating, comment=""):
        with clock(day, 19) as now:
            given = pet.record_verdict(petition=p, verdict=verdict, rating=rating, comment=comment)
        _stamp(CitizenVerdict, given.pk, given_at=now)
        Petition.objects.filter(pk=p.pk).update(verdict_at=now)

    def reject(self, p, day, reason, *, by, note="", duplicate_of=None):
        with clock(day, 10):
            return pet.reject_petition(petition=p, reason=reason, by=by, note=note, duplicate_of=duplicate_of)


def install_activity(world: DemoWorld) -> bool:
    """Create the year of activity once; return False when it was already there."""
    if DialoguePlan.objects.filter(unit=world.new["Xuân Đỉnh"], year=2026).exists():
        return False
    with transaction.atomic():
        story = Story(world)
        _history(story)
        _year_2026(story)
    return True


def _history(s: Story) -> None:
    """2024–2025 in Bắc Từ Liêm: a district conference, ward conferences, the carry-over on 1/7/2025."""
    w, admin = s.w, s.admin
    district = w.district
    c = s.conference(
        district,
        "Hội nghị đối thoại giữa Bí thư Quận ủy, Chủ tịch UBND quận với MTTQ và Nhân dân năm 2024",
        D(2024, 5, 16),
        by=admin,
        chair="Bí thư Quận ủy Bắc Từ Liêm",
        topics="Trật tự xây dựng\nVệ sinh môi trường\nGiải phóng mặt bằng",
    )
    s.announce(c, D(2024, 5, 16), by=admin)
    s.hold(c, D(2024, 5, 16), by=admin, attendance=260)
    p1 = s.opinion(
        c,
        "Môi trường, vệ sinh, rác thải",
        "Rác thải tồn đọng tại điểm tập kết đường Văn Tiến Dũng",
        "Điểm tập kết rác thường xuyên quá tải, bốc mùi ảnh hưởng đến các hộ dân xung quanh.",
        by=admin,
        on_spot="Giao Công ty Môi trường đô thị tăng tần suất thu gom lên 2 lần/ngày từ tháng 6/2024.",
    )
    p2 = s.opinion(
        c,
        "Giải phóng mặt bằng",
        "Tiến độ chi trả bồi thường dự án đường Tây Thăng Long",
        "Đề nghị quận công khai tiến độ chi trả tiền bồi thường cho các hộ dân đã bàn giao mặt bằng.",
        by=admin,
    )
    s.assign(p2, D(2024, 5, 17), s.org(district, "gpmb"), by=admin)
    s.answer(
        p2,
        D(2024, 6, 20),
        "Đã chi trả cho 42/45 hộ; 3 hộ còn lại chi trả trong tháng 7/2024.",
        "215/BBT-GPMB",
        by=admin,
    )
    item = s.conclude(
        c,
        "Giao Ban Bồi thường GPMB quận công khai tiến độ chi trả bồi thường tại trụ sở các phường.",
        by=admin,
        assignee=s.org(district, "gpmb"),
        deadline=D(2024, 7, 31),
        petitions=[p2],
    )
    s.minutes(c, by=admin, approve_on=D(2024, 5, 20), lock_on=D(2024, 5, 24))
    s.notice(
        c,
        by=admin,
        chair=admin,
        number="312-TB/QU",
        draft_on=D(2024, 5, 20),
        approve_on=D(2024, 5, 23),
        publish_on=D(2024, 5, 24),
    )
    with clock(D(2024, 7, 25)):
        conf.mark_conclusion_done(item=item, by=admin)
        pet.mark_resolved(petition=p2, by=admin)
        conf.close_conference(conference=c, by=admin)
    s.verdict(p1, D(2024, 6, 15), "resolved", 5)

    old_xd = w.old["Xuân Đỉnh"]
    c = s.conference(
        old_xd,
        "Hội nghị tiếp xúc cử tri trước kỳ họp HĐND phường cuối năm 2024",
        D(2024, 11, 28),
        by=admin,
        fmt=F.VOTER_BEFORE_PC,
        chair="Chủ tịch UBND phường Xuân Đỉnh",
    )
    s.announce(c, D(2024, 11, 28), by=admin)
    s.hold(c, D(2024, 11, 28), by=admin, attendance=140)
    s.opinion(
        c,
        "An ninh trật tự",
        "Tụ tập đua xe trên đường Xuân La kéo dài",
        "Buổi tối thường có thanh niên tụ tập.",
        by=admin,
        on_spot="Công an phường tăng cường tuần tra khung giờ 22h–1h.",
    )
    s.minutes(c, by=admin, approve_on=D(2024, 12, 2), lock_on=D(2024, 12, 5))
    s.notice(
        c,
        by=admin,
        chair=admin,
        number="45-TB/ĐU",
        draft_on=D(2024, 12, 2),
        approve_on=D(2024, 12, 4),
        publish_on=D(2024, 12, 5),
    )
    with clock(D(2024, 12, 30)):
        conf.close_conference(conference=c, by=admin)

    lien_mac = w.old["Liên Mạc"]
    c = s.conference(
        lien_mac,
        "Đối thoại chuyên đề về GPMB dự án đường Tây Thăng Long",
        D(2025, 3, 20),
        by=admin,
        kind=K.ADHOC,
        fmt=F.THEMATIC,
        related_project="Đường Tây Thăng Long",
    )
    s.announce(c, D(2025, 3, 20), by=admin, lead=8)
    s.hold(c, D(2025, 3, 20), by=admin, attendance=65)
    s.opinion(
        c,
        "Bồi thường, hỗ trợ, tái định cư",
        "Đơn giá bồi thường đất nông nghiệp",
        "Đề nghị áp dụng đơn giá bồi thường theo bảng giá đất mới.",
        by=admin,
        on_spot="Áp dụng bảng giá đất do UBND Thành phố ban hành tại thời điểm thu hồi đất.",
    )
    s.notice(
        c,
        by=admin,
        chair=admin,
        number="12-TB/ĐU",
        draft_on=D(2025, 3, 24),
        approve_on=D(2025, 3, 26),
        publish_on=D(2025, 3, 27),
    )

    # An open petition of old Xuân Tảo, carried over to the new Xuân Đỉnh ward on 1/7/2025.
    xuan_tao = w.old["Xuân Tảo"]
    carried = s.online(
        xuan_tao,
        D(2025, 6, 10),
        "Thoát nước, ngập úng",
        "Ngập úng ngõ 68 Xuân Tảo khi mưa lớn",
        "Mỗi trận mưa lớn ngõ ngập sâu 30–40 cm, nước tràn vào nhà dân.",
    )
    s.accept(carried, D(2025, 6, 12), by=admin)
    s.assign(carried, D(2025, 6, 13), s.org(xuan_tao, "dia_chinh"), by=admin)
    new_xd = w.new["Xuân Đỉnh"]
    with clock(D(2025, 7, 1), 8):
        pet.transfer_open_petitions(old_unit=xuan_tao, new_unit=new_xd, by=admin)
    s.transfer(
        carried,
        D(2025, 7, 2),
        s.org(new_xd, "kinh_te"),
        by=admin,
        note="Chuyển theo sắp xếp đơn vị hành chính từ 1/7/2025.",
    )
    s.answer(
        carried, D(2025, 8, 5), "Đã nạo vét tuyến cống ngõ 68 và lắp thêm 2 hố ga thu nước.", "35/UBND-KTHTĐT", by=admin
    )
    s.verdict(carried, D(2025, 9, 10), "resolved", 4, "Đã hết ngập.")

    # The new Đông Ngạc ward's plan for the rest of 2025: completed.
    dong_ngac = w.new["Đông Ngạc"]
    plan, items = s.plan(
        dong_ngac,
        2025,
        by=admin,
        created_on=D(2025, 7, 15),
        approve_on=D(2025, 7, 25),
        items=[(4, None, K.PERIODIC, F.WORKING_SESSION_MTTQ, "Ra mắt chính quyền hai cấp, lắng nghe Nhân dân", "")],
    )
    c = s.conference(
        dong_ngac,
        "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền phường với Nhân dân",
        D(2025, 10, 16),
        by=admin,
        item=items[0],
    )
    s.announce(c, D(2025, 10, 16), by=admin)
    s.hold(c, D(2025, 10, 16), by=admin, attendance=210)
    s.opinion(
        c,
        "Cải cách hành chính",
        "Thủ tục cấp giấy chứng nhận sau sáp nhập",
        "Người dân chưa rõ nơi nộp hồ sơ đất đai sau khi sáp nhập phường.",
        by=admin,
        on_spot="Hồ sơ nộp tại Trung tâm Phục vụ hành chính công phường, số 1 Đông Ngạc.",
    )
    s.minutes(c, by=admin, approve_on=D(2025, 10, 20), lock_on=D(2025, 10, 22))
    s.notice(
        c,
        by=admin,
        chair=admin,
        number="08-TB/ĐU",
        draft_on=D(2025, 10, 20),
        approve_on=D(2025, 10, 23),
        publish_on=D(2025, 10, 24),
    )
    with clock(D(2025, 12, 30)):
        conf.close_conference(conference=c, by=admin)
        conf.complete_plan(plan=plan, by=admin)


def _year_2026(s: Story) -> None:
    w, admin = s.w, s.admin
    lan, hung, tuan, mai = (
        w.users[u] for u in ("canbo.xuandinh", "chutich.xuandinh", "xuly.xuandinh", "mttq.thanhpho")
    )
    minh = w.users["canbo.phudien"]
    xd, pd = w.new["Xuân Đỉnh"], w.new["Phú Diễn"]
    xd_econ, pd_econ = s.org(xd, "kinh_te"), s.org(pd, "kinh_te")
    city_gpmb = s.org(w.city, "gpmb")

    # --- Plans: in progress (Xuân Đỉnh, Phú Diễn), approved (Tây Tựu), draft (Thượng Cát). ---
    plan_doc, _c = Document.objects.get_or_create(
        number="05-KH/ĐU",
        issued_on=D(2026, 1, 12),
        issuer="Đảng ủy phường Xuân Đỉnh",
        defaults={
            "doc_type": DocumentType.PLAN,
            "title": "Kế hoạch tiếp xúc, đối thoại trực tiếp năm 2026",
            "unit": xd,
            "parent": w.documents["decision"],
            "signer": "Bí thư Đảng ủy phường",
        },
    )
    chair = "Bí thư Đảng ủy, Chủ tịch UBND phường"
    _plan, xd_items = s.plan(
        xd,
        2026,
        by=lan,
        document=plan_doc,
        approve_on=D(2026, 1, 20),
        items=[
            (1, 3, K.PERIODIC, F.WORKING_SESSION_MTTQ, "Làm việc với MTTQ và các đoàn thể về kết quả năm 2025", chair),
            (2, 6, K.PERIODIC, F.VOTER_BEFORE_PC, "Tiếp xúc cử tri trước kỳ họp giữa năm HĐND phường", chair),
            (3, 9, K.ADHOC, F.THEMATIC, "Bồi thường, hỗ trợ, tái định cư dự án Hoàng Quốc Việt kéo dài", chair),
            (4, 11, K.PERIODIC, F.COMMUNE_CHAIR, "Chủ tịch UBND phường đối thoại với Nhân dân", chair),
            (4, 12, K.PERIODIC, F.VOTER_AFTER_PC, "Tiếp xúc cử tri sau kỳ họp cuối năm HĐND phường", chair),
        ],
    )
    _plan, pd_items = s.plan(
        pd,
        2026,
        by=minh,
        approve_on=D(2026, 1, 26),
        items=[
            (2, 4, K.PERIODIC, F.WORKING_SESSION_MTTQ, "Làm việc với MTTQ và các đoàn thể phường", chair),
            (4, 10, K.ADHOC, F.THEMATIC, "Trật tự xây dựng tại các khu dân cư mới", chair),
            (4, 11, K.PERIODIC, F.VOTER_BEFORE_PC, "Tiếp xúc cử tri trước kỳ họp cuối năm HĐND phường", chair),
        ],
    )
    s.plan(
        w.new["Tây Tựu"],
        2026,
        by=admin,
        approve_on=D(2026, 2, 3),
        items=[(3, None, K.PERIODIC, F.WORKING_SESSION_MTTQ, "Phát triển làng hoa Tây Tựu", "")],
    )
    s.plan(
        w.new["Thượng Cát"],
        2026,
        by=admin,
        items=[(4, None, K.PERIODIC, F.COMMUNE_CHAIR, "Đối thoại về trật tự xây dựng ven đê", "")],
    )
    # Next year's plan of Xuân Đỉnh, submitted and waiting for the chair's approval.
    s.plan(
        xd,
        2027,
        by=lan,
        created_on=D(2026, 11, 16),
        submit_on=D(2026, 11, 20),
        items=[
            (1, 3, K.PERIODIC, F.WORKING_SESSION_MTTQ, "Làm việc với MTTQ và các đoàn thể về kết quả năm 2026", chair),
            (2, 6, K.PERIODIC, F.VOTER_BEFORE_PC, "Tiếp xúc cử tri trước kỳ họp giữa năm HĐND phường", chair),
        ],
    )

    # --- Xuân Đỉnh, March: closed (notice published, conclusions done, minutes locked, supervision met). ---
    c1 = s.conference(
        xd,
        "Hội nghị làm việc với MTTQ và các tổ chức chính trị - xã hội phường quý I/2026",
        D(2026, 3, 12),
        by=lan,
        item=xd_items[0],
        chair=chair,
        chair_user=hung,
        invited_groups="Ủy ban MTTQ phường; Hội Cựu chiến binh; Hội Phụ nữ; Đoàn Thanh niên; "
        "Hội Nông dân; đại diện 25 tổ dân phố",
        agenda="1. Báo cáo kết quả năm 2025\n2. Ý kiến của các đoàn thể và Nhân dân\n3. Kết luận",
        topics="Chiếu sáng công cộng\nTrật tự xây dựng\nKhiếu nại đất đai",
    )
    s.announce(c1, D(2026, 3, 12), by=lan)
    s.hold(c1, D(2026, 3, 12), by=lan, attendance=180)
    p_light = s.opinion(
        c1,
        "Quản lý đô thị, hạ tầng giao thông",
        "Đèn chiếu sáng ngõ 12 Xuân Đỉnh bị hỏng",
        "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng, đi lại buổi tối nguy hiểm.",
        by=lan,
        on_spot="Giao Phòng Kinh tế - Hạ tầng và Đô thị thay bóng đèn trong tuần này.",
    )
    p_build = s.opinion(
        c1,
        "Trật tự xây dựng",
        "Công trình xây dựng sai phép tại tổ dân phố 7",
        "Công trình xây vượt tầng, lấn chiếm ngõ đi chung.",
        by=lan,
    )
    s.opinion(
        c1,
        "Đất đai",
        "Khiếu nại quyết định thu hồi đất năm 2019",
        "Ông đề nghị xem xét lại quyết định thu hồi đất của UBND quận cũ.",
        by=lan,
        kind=PetitionKind.COMPLAINT,
    )
    s.assign(p_build, D(2026, 3, 13), xd_econ, by=lan, assignee=tuan)
    item1 = s.conclude(
        c1,
        "Giao Phòng Kinh tế - Hạ tầng và Đô thị kiểm tra, xử lý dứt điểm công trình sai phép "
        "tại tổ dân phố 7, báo cáo trước 30/4/2026.",
        by=lan,
        assignee=xd_econ,
        deadline=D(2026, 4, 30),
        petitions=[p_build],
    )
    s.minutes(c1, by=hung, approve_on=D(2026, 3, 16), lock_on=D(2026, 3, 20))
    s.notice(
        c1,
        by=lan,
        chair=hung,
        number="18-TB/ĐU",
        draft_on=D(2026, 3, 13),
        approve_on=D(2026, 3, 18),
        publish_on=D(2026, 3, 19),
    )
    s.verdict(p_light, D(2026, 3, 20), "resolved", 5, "Đèn đã sáng lại, cảm ơn phường.")
    s.answer(
        p_build,
        D(2026, 4, 10),
        "Đã lập biên bản, buộc tháo dỡ phần vượt tầng; chủ đầu tư đã tự tháo dỡ.",
        "112/UBND-KTHTĐT",
        by=tuan,
    )
    s.resolve(p_build, D(2026, 4, 20), by=lan)
    with clock(D(2026, 4, 25)):
        conf.mark_conclusion_done(item=item1, by=tuan)
    with clock(D(2026, 5, 5)):
        follow.record_supervision(
            unit=xd,
            by=mai,
            subject="Việc xử lý công trình sai phép tại tổ dân phố 7",
            finding=Finding.MET,
            conclusion_item=item1,
            organisation=s.org(w.city, "mttq"),
        )
    with clock(D(2026, 5, 10)):
        conf.close_conference(conference=c1, by=lan)

    # --- Xuân Đỉnh, June: concluded; a reopened petition, a transferred one with an extension. ---
    c2 = s.conference(
        xd,
        "Hội nghị tiếp xúc cử tri trước kỳ họp giữa năm 2026 HĐND phường Xuân Đỉnh",
        D(2026, 6, 18),
        by=lan,
        item=xd_items[1],
        fmt=F.VOTER_BEFORE_PC,
        chair=chair,
        chair_user=hung,
    )
    s.announce(c2, D(2026, 6, 18), by=lan)
    s.hold(c2, D(2026, 6, 18), by=lan, attendance=150)
    p_drain = s.opinion(
        c2,
        "Thoát nước, ngập úng",
        "Ngập úng đường Xuân Đỉnh đoạn trước trường THCS",
        "Mưa lớn là ngập, học sinh đi lại khó khăn.",
        by=lan,
    )
    p_comp = s.opinion(
        c2,
        "Bồi thường, hỗ trợ, tái định cư",
        "Hỗ trợ tái định cư cho hộ bị thu hồi hết đất ở",
        "Đề nghị bố trí tái định cư tại chỗ.",
        by=lan,
    )
    s.opinion(
        c2,
        "Văn hóa, thể thao",
        "Bổ sung dụng cụ thể thao tại vườn hoa tổ dân phố 3",
        "Vườn hoa chưa có dụng cụ tập thể dục.",
        by=lan,
        on_spot="Phường bố trí kinh phí lắp đặt trong quý III/2026.",
    )
    s.assign(p_drain, D(2026, 6, 19), xd_econ, by=lan, assignee=tuan)
    s.assign(p_comp, D(2026, 6, 19), xd_econ, by=lan)
    s.transfer(
        p_comp,
        D(2026, 6, 25),
        city_gpmb,
        by=lan,
        note="Thuộc thẩm quyền Ban Bồi thường, GPMB Thành phố (chủ đầu tư dự án).",
    )
    s.extend(
        p_comp,
        D(2026, 7, 30),
        D(2026, 12, 18),
        by=lan,
        reason="Chờ UBND Thành phố phê duyệt phương án bố trí tái định cư.",
    )
    item2 = s.conclude(
        c2,
        "Giao Phòng Kinh tế - Hạ tầng và Đô thị cải tạo rãnh thoát nước đường Xuân Đỉnh trước mùa mưa bão.",
        by=lan,
        assignee=xd_econ,
        deadline=D(2026, 9, 30),
        petitions=[p_drain],
    )
    s.minutes(c2, by=hung, approve_on=D(2026, 6, 22))
    s.notice(
        c2,
        by=lan,
        chair=hung,
        number="41-TB/ĐU",
        draft_on=D(2026, 6, 22),
        approve_on=D(2026, 6, 25),
        publish_on=D(2026, 6, 26),
    )
    s.answer(
        p_drain,
        D(2026, 7, 10),
        "Đã nạo vét rãnh thoát nước và lắp đặt thêm cửa thu nước mưa.",
        "158/UBND-KTHTĐT",
        by=tuan,
    )
    s.verdict(p_drain, D(2026, 7, 20), "not_resolved", 2, "Mưa ngày 18/7 vẫn ngập sâu.")
    with clock(D(2026, 10, 8)):
        follow.record_supervision(
            unit=xd,
            by=mai,
            subject="Việc chống ngập đường Xuân Đỉnh",
            finding=Finding.NOT_MET,
            recommendation="Đề nghị UBND phường báo cáo Thành phố bổ sung tuyến cống chính.",
            recheck_on=D(2026, 12, 15),
            conclusion_item=item2,
            petition=p_drain,
            organisation=s.org(w.city, "mttq"),
        )

    # --- Xuân Đỉnh, September: ad-hoc land-clearance dialogue; notice approved, not yet published. ---
    c3 = s.conference(
        xd,
        "Đối thoại về bồi thường, hỗ trợ, tái định cư dự án đường Hoàng Quốc Việt kéo dài",
        D(2026, 9, 10),
        by=lan,
        item=xd_items[2],
        kind=K.ADHOC,
        fmt=F.THEMATIC,
        chair=chair,
        chair_user=hung,
        related_project="Đường Hoàng Quốc Việt kéo dài",
    )
    s.announce(c3, D(2026, 9, 10), by=lan, lead=7)
    s.hold(c3, D(2026, 9, 10), by=lan, attendance=85)
    p_price = s.opinion(
        c3,
        "Bồi thường, hỗ trợ, tái định cư",
        "Đơn giá bồi thường công trình phụ",
        "Đề nghị xem xét lại đơn giá bồi thường công trình phụ, vật kiến trúc.",
        by=lan,
    )
    p_land = s.opinion(
        c3,
        "Giải phóng mặt bằng",
        "Thời gian bàn giao mặt bằng",
        "Đề nghị lùi thời hạn bàn giao mặt bằng đến sau Tết.",
        by=lan,
    )
    p_dup = s.opinion(
        c3,
        "Giải phóng mặt bằng",
        "Lùi thời hạn bàn giao mặt bằng",
        "Cùng nội dung đề nghị lùi thời hạn bàn giao mặt bằng.",
        by=lan,
    )
    s.assign(p_price, D(2026, 9, 11), xd_econ, by=lan, assignee=tuan)
    s.answer(
        p_price,
        D(2026, 10, 5),
        "Đơn giá áp dụng theo Quyết định của UBND Thành phố; đã phúc tra lại 3 hộ.",
        "201/UBND-KTHTĐT",
        by=tuan,
    )
    s.assign(p_land, D(2026, 9, 11), city_gpmb, by=lan)
    s.reject(p_dup, D(2026, 9, 11), Why.DUPLICATE, by=lan, duplicate_of=p_land)
    s.conclude(
        c3,
        "Giao Ban Bồi thường, GPMB Thành phố rà soát, trả lời từng hộ về đơn giá và thời hạn bàn giao.",
        by=lan,
        assignee=city_gpmb,
        deadline=D(2026, 10, 31),
        petitions=[p_price, p_land],
    )
    s.minutes(c3, by=hung, approve_on=D(2026, 9, 15))
    s.notice(c3, by=lan, chair=hung, number="63-TB/ĐU", draft_on=D(2026, 9, 14), approve_on=D(2026, 9, 18))

    # --- Xuân Đỉnh, November: held, notice in draft; December: announced and planned. ---
    c4 = s.conference(
        xd,
        "Chủ tịch UBND phường Xuân Đỉnh đối thoại với Nhân dân năm 2026",
        D(2026, 11, 19),
        by=lan,
        item=xd_items[3],
        fmt=F.COMMUNE_CHAIR,
        chair="Chủ tịch UBND phường",
        chair_user=hung,
    )
    s.announce(c4, D(2026, 11, 19), by=lan, lead=5)  # late invitation: the service records a warning
    s.hold(c4, D(2026, 11, 19), by=lan, attendance=120)
    s.opinion(
        c4,
        "Nhà chung cư",
        "Phí dịch vụ nhà chung cư HH Xuân Đỉnh",
        "Ban quản trị tăng phí dịch vụ mà không lấy ý kiến cư dân.",
        by=lan,
    )
    s.notice(c4, by=lan, chair=hung, number="", draft_on=D(2026, 11, 21))
    c5 = s.conference(
        xd,
        "Hội nghị tiếp xúc cử tri sau kỳ họp cuối năm 2026 HĐND phường",
        D(2026, 12, 10),
        by=lan,
        item=xd_items[4],
        fmt=F.VOTER_AFTER_PC,
        chair=chair,
        chair_user=hung,
    )
    s.announce(c5, D(2026, 12, 10), by=lan, lead=16)
    s.conference(
        xd,
        "Hội nghị làm việc với MTTQ phường về kết quả thực hiện kết luận năm 2026",
        D(2026, 12, 22),
        by=lan,
        chair=chair,
        chair_user=hung,
    )

    # --- Phú Diễn: concluded, postponed, cancelled, held with an overdue notice. ---
    c7 = s.conference(
        pd,
        "Hội nghị làm việc với MTTQ và các đoàn thể phường Phú Diễn quý II/2026",
        D(2026, 4, 9),
        by=minh,
        item=pd_items[0],
        chair=chair,
    )
    s.announce(c7, D(2026, 4, 9), by=minh)
    s.hold(c7, D(2026, 4, 9), by=minh, attendance=160)
    s.opinion(
        c7,
        "An toàn giao thông",
        "Lắp gương cầu lồi tại ngã ba ngõ 62 Phú Diễn",
        "Khúc cua khuất tầm nhìn.",
        by=minh,
        on_spot="Đồng ý, giao Phòng Kinh tế - Hạ tầng và Đô thị lắp trong tháng 4/2026.",
    )
    p_market = s.opinion(
        c7,
        "Quản lý đô thị, hạ tầng giao thông",
        "Chợ tạm lấn chiếm lòng đường Phú Diễn",
        "Chợ họp tràn ra lòng đường gây ùn tắc giờ cao điểm.",
        by=minh,
    )
    s.assign(p_market, D(2026, 4, 10), pd_econ, by=minh)
    s.answer(
        p_market,
        D(2026, 5, 12),
        "Đã ra quân giải tỏa, bố trí lực lượng duy trì trật tự hằng ngày.",
        "87/UBND-KTHTĐT",
        by=minh,
    )
    s.minutes(c7, by=minh, approve_on=D(2026, 4, 13), lock_on=D(2026, 4, 16))
    s.notice(
        c7,
        by=minh,
        chair=admin,
        number="22-TB/ĐU",
        draft_on=D(2026, 4, 13),
        approve_on=D(2026, 4, 15),
        publish_on=D(2026, 4, 16),
    )
    c8 = s.conference(
        pd,
        "Đối thoại về trật tự xây dựng tại các khu dân cư mới",
        D(2026, 10, 15),
        by=minh,
        item=pd_items[1],
        kind=K.ADHOC,
        fmt=F.THEMATIC,
        chair=chair,
    )
    s.announce(c8, D(2026, 10, 15), by=minh)
    with clock(D(2026, 10, 12)):
        conf.postpone_conference(
            conference=c8,
            by=minh,
            new_start=at(D(2027, 1, 14), 8, 30),
            reason="Trùng lịch kỳ họp chuyên đề HĐND phường.",
        )
    c9 = s.conference(
        pd,
        "Đối thoại với các hộ dân ngõ 20 về dự án cải tạo mương thoát nước",
        D(2026, 8, 20),
        by=minh,
        kind=K.ADHOC,
        fmt=F.THEMATIC,
        related_project="Cải tạo mương Phú Diễn",
    )
    with clock(D(2026, 8, 10)):
        conf.cancel_conference(
            conference=c9, by=minh, reason="Các hộ dân đã thống nhất phương án, không còn kiến nghị."
        )
    c10 = s.conference(
        pd,
        "Hội nghị tiếp xúc cử tri trước kỳ họp cuối năm 2026 HĐND phường Phú Diễn",
        D(2026, 11, 12),
        by=minh,
        item=pd_items[2],
        fmt=F.VOTER_BEFORE_PC,
        chair=chair,
    )
    s.announce(c10, D(2026, 11, 12), by=minh)
    s.hold(c10, D(2026, 11, 12), by=minh, attendance=135)
    p_school = s.opinion(
        c10,
        "Giáo dục",
        "Thiếu chỗ học mầm non cho trẻ trong khu đô thị mới",
        "Đề nghị sớm xây dựng trường mầm non theo quy hoạch.",
        by=minh,
    )
    s.assign(p_school, D(2026, 11, 13), s.org(pd, "van_hoa"), by=minh)

    # --- Online and other channels: submitted, accepted, rejected, in progress, resolved. ---
    s.online(
        xd,
        D(2026, 11, 23),
        "Môi trường, vệ sinh, rác thải",
        "Đổ trộm phế thải xây dựng tại bãi đất trống",
        "Ban đêm có xe đổ trộm phế thải tại bãi đất trống cạnh tổ dân phố 9.",
    )
    s.online(
        pd,
        D(2026, 10, 20),
        "Điện, nước sạch",
        "Nước sinh hoạt yếu vào giờ cao điểm",
        "Từ tháng 9 nước máy rất yếu vào buổi tối.",
    )  # never accepted: acknowledgement overdue
    p_acc = s.online(
        xd,
        D(2026, 11, 9),
        "An toàn giao thông",
        "Đề nghị lắp biển hạn chế tốc độ gần trường tiểu học",
        "Xe tải đi tốc độ cao trên đường Tân Xuân.",
        kind=PetitionKind.PROPOSAL,
    )
    s.accept(p_acc, D(2026, 11, 10), by=lan)
    p_out = s.online(
        xd,
        D(2026, 8, 3),
        "Tài chính, thuế",
        "Hoàn thuế thu nhập cá nhân năm 2025",
        "Đề nghị hướng dẫn hoàn thuế TNCN.",
        kind=PetitionKind.RECOMMENDATION,
    )
    s.reject(
        p_out,
        D(2026, 8, 5),
        Why.NOT_COMPETENT,
        by=lan,
        note="Thuộc thẩm quyền của Thuế cơ sở; phường đã hướng dẫn công dân liên hệ trực tiếp.",
    )
    p_mttq = s.online(
        xd,
        D(2026, 5, 4),
        "Chính sách xã hội, người có công",
        "Chế độ cho thân nhân liệt sĩ",
        "Gia đình chưa nhận được trợ cấp thờ cúng liệt sĩ năm 2026.",
        channel=Channel.MTTQ,
        by=lan,
    )
    s.accept(p_mttq, D(2026, 5, 5), by=lan)
    s.assign(p_mttq, D(2026, 5, 5), s.org(xd, "van_hoa"), by=lan)
    s.answer(
        p_mttq, D(2026, 5, 28), "Đã chi trả trợ cấp thờ cúng liệt sĩ năm 2026 cho gia đình.", "96/UBND-VHXH", by=lan
    )
    s.verdict(p_mttq, D(2026, 6, 2), "resolved", 4)
    p_recv = s.online(
        pd,
        D(2026, 11, 2),
        "Y tế, BHYT",
        "Cấp lại thẻ BHYT cho người cao tuổi",
        "Thẻ BHYT của cụ bị mất, đề nghị hướng dẫn cấp lại.",
        channel=Channel.RECEPTION,
        by=minh,
        kind=PetitionKind.RECOMMENDATION,
    )
    s.accept(p_recv, D(2026, 11, 3), by=minh)
    s.assign(p_recv, D(2026, 11, 3), s.org(pd, "hcc"), by=minh)
    s.online(
        w.new["Đông Ngạc"],
        D(2026, 11, 18),
        "An ninh trật tự",
        "Karaoke gây ồn sau 22 giờ",
        "Quán karaoke tổ dân phố Đông Ngạc 5 hát đến 1 giờ sáng.",
        channel=Channel.MAIL,
        by=admin,
    )

    # --- A commendation. ---
    decision, _c = Document.objects.get_or_create(
        number="25-QĐ/ĐU",
        issued_on=D(2026, 11, 20),
        issuer="Đảng ủy phường Xuân Đỉnh",
        defaults={
            "doc_type": DocumentType.COMMENDATION,
            "unit": xd,
            "signer": "Bí thư Đảng ủy phường",
            "title": "Quyết định khen thưởng tập thể, cá nhân thực hiện tốt Quy chế 2200 năm 2026",
        },
    )
    with clock(D(2026, 11, 20), 15):
        follow.record_commendation(
            unit=xd,
            kind=CommendationKind.INDIVIDUAL,
            recipient="Đồng chí Nguyễn Thị Lan",
            reason="Tham mưu tổ chức đầy đủ các hội nghị đối thoại, theo dõi trả lời kiến nghị đúng hạn.",
            year=2026,
            by=hung,
            decision=decision,
            decision_number=decision.number,
        )
