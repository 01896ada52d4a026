"""The demo's year 2026 in the new wards: the plans, and Xuân Đỉnh's conferences — one closed, one
concluded with a reopened petition and an extended one, an ad-hoc land-clearance dialogue whose
notice is approved but not published, one held with its notice in draft, one announced and one
planned."""

import datetime

from conferences.models import ConferenceFormat, ConferenceKind, Document, DocumentType
from dialogue_portal.demo.story import Story
from followup.models import Finding
from petitions.models import PetitionKind
from petitions.models import RejectionReason as Why

D = datetime.date
F, K = ConferenceFormat, ConferenceKind
CHAIR = "Bí thư Đảng ủy, Chủ tịch UBND phường"


def tell_2026_plans(s: Story) -> dict:
    """Create the 2026 plans (and Xuân Đỉnh's 2027 one); return the plan items by ward."""
    w, admin = s.w, s.admin
    lan, minh = s.user("canbo.xuandinh"), s.user("canbo.phudien")
    xd, pd = w.new["Xuân Đỉnh"], w.new["Phú Diễn"]
    chair = CHAIR

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
    _plan, xd_items = s.plan(
        xd,
        2026,
        by=lan,
        approver=s.user("chutich.xuandinh"),
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

    return {"Xuân Đỉnh": xd_items, "Phú Diễn": pd_items}


def tell_2026_xuan_dinh(s: Story, xd_items: list) -> None:
    w = s.w
    lan, hung, tuan, mai = (s.user(u) for u in ("canbo.xuandinh", "chutich.xuandinh", "xuly.xuandinh", "mttq.thanhpho"))
    xd = w.new["Xuân Đỉnh"]
    xd_econ, city_gpmb = s.org(xd, "kinh_te"), s.org(w.city, "gpmb")
    chair = CHAIR

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
    s.conclusion_done(item1, D(2026, 4, 25), by=lan)  # the ward's official records it (permission matrix)
    s.supervise(
        D(2026, 5, 5),
        unit=xd,
        by=mai,
        subject="Việc xử lý công trình sai phép tại tổ dân phố 7",
        finding=Finding.MET,
        conclusion_item=item1,
        organisation=s.org(w.city, "mttq"),
    )
    s.close(c1, D(2026, 5, 10), by=lan)

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
    s.supervise(
        D(2026, 10, 8),
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
