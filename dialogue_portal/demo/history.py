"""The demo's history, 2024–2025 in Bắc Từ Liêm: a district conference, ward conferences, an ad-hoc
dialogue on land clearance, an open petition of old Xuân Tảo carried over to the new Xuân Đỉnh ward
on 1/7/2025, and the new Đông Ngạc ward's completed plan for the rest of 2025."""

import datetime

from conferences import services as conf
from conferences.models import ConferenceFormat, ConferenceKind
from dialogue_portal.demo.story import Story
from petitions import services as pet

D = datetime.date
F, K = ConferenceFormat, ConferenceKind


def tell_2024_2025(s: Story) -> None:
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
    with s.clock.on(D(2024, 7, 25)) as now:
        conf.mark_conclusion_done(item=item, by=admin, done_on=now.date())
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
    s.close(c, D(2024, 12, 30), by=admin)

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
    s.carry_over(xuan_tao, new_xd, D(2025, 7, 1), by=admin)
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
    with s.clock.on(D(2025, 12, 30)):
        conf.close_conference(conference=c, by=admin)
        conf.complete_plan(plan=plan, by=admin)
