"""The demo's year 2026, continued: Phú Diễn's conferences (concluded, postponed, cancelled, held with an
overdue notice), petitions received online and by other channels in every status, and a commendation."""

import datetime

from conferences.models import ConferenceFormat, ConferenceKind, Document, DocumentType
from dialogue_portal.demo.clock import at
from dialogue_portal.demo.story import Story
from dialogue_portal.demo.year_2026 import CHAIR
from followup.models import CommendationKind
from petitions.models import Channel, PetitionKind
from petitions.models import RejectionReason as Why

D = datetime.date
F, K = ConferenceFormat, ConferenceKind


def tell_2026_phu_dien(s: Story, pd_items: list) -> None:
    admin, minh = s.admin, s.user("canbo.phudien")
    pd = s.w.new["Phú Diễn"]
    pd_econ = s.org(pd, "kinh_te")
    chair = CHAIR

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
    # Phú Diễn's chair has no account: the administrator records the approval (the matrix: only the chair approves).
    s.minutes(c7, by=s.admin, approve_on=D(2026, 4, 13), lock_on=D(2026, 4, 16))
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
    s.postpone(
        c8,
        D(2026, 10, 12),
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
    s.cancel(c9, D(2026, 8, 10), by=minh, reason="Các hộ dân đã thống nhất phương án, không còn kiến nghị.")
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


def tell_2026_other_channels(s: Story) -> None:
    w, admin = s.w, s.admin
    lan, minh = s.user("canbo.xuandinh"), s.user("canbo.phudien")
    xd, pd = w.new["Xuân Đỉnh"], w.new["Phú Diễn"]

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


def tell_2026_commendation(s: Story) -> None:
    xd = s.w.new["Xuân Đỉnh"]
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
    s.commend(
        D(2026, 11, 20),
        unit=xd,
        kind=CommendationKind.INDIVIDUAL,
        recipient="Đồng chí Nguyễn Thị Lan",
        reason="Tham mưu tổ chức đầy đủ các hội nghị đối thoại, theo dõi trả lời kiến nghị đúng hạn.",
        year=2026,
        by=s.user("giamsat.thanhpho"),  # a supervising official records commendations (permission matrix)
        decision=decision,
        decision_number=decision.number,
    )
