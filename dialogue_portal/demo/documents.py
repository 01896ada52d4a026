"""The demo's documents: Decision 2200-QĐ/TU and the Bắc Từ Liêm implementation plan 85-KH/QU."""

import datetime

from django.core.files.base import ContentFile

from conferences.models import Document, DocumentType
from dialogue_portal.demo.world import DemoWorld

D = datetime.date


def demo_pdf(lines: list[str]) -> bytes:
    """Return a one-page PDF showing `lines` (ASCII, Helvetica): a stand-in file for a demo document."""
    text = "\n".join(
        f"BT /F1 {14 if i == 0 else 11} Tf 60 {780 - 22 * i} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET"
        for i, line in enumerate(lines)
    ).encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# Who signed: the position of the signatory (the names are not in the sources at hand).
DOCUMENT_SIGNERS = {
    "2200-QĐ/TU": "T/M Ban Thường vụ Thành ủy — Bí thư Thành ủy Hà Nội",
    "85-KH/QU": "T/M Ban Thường vụ Quận ủy — Bí thư Quận ủy Bắc Từ Liêm",
}
DOCUMENT_PDF_LINES = {
    "2200-QĐ/TU": [
        "Thanh uy Ha Noi - Quyet dinh so 2200-QD/TU ngay 25/5/2017",
        "Quy che tiep xuc, doi thoai truc tiep giua nguoi dung dau cap uy, chinh quyen cac cap",
        "voi MTTQ, cac to chuc chinh tri - xa hoi va Nhan dan (3 chuong, 12 dieu).",
        "Ban minh hoa cua du lieu demo - khong phai van ban chinh thuc.",
    ],
    "85-KH/QU": [
        "Quan uy Bac Tu Liem - Ke hoach so 85-KH/QU ngay 10/7/2017",
        "Thuc hien Quyet dinh 2200-QD/TU cua Thanh uy Ha Noi.",
        "Ban minh hoa cua du lieu demo - khong phai van ban chinh thuc.",
    ],
}


def _complete_document(document) -> None:
    """Fill the signer and a stand-in PDF of a demo document, once (a re-run changes nothing)."""
    changed = []
    if not document.signer:
        document.signer = DOCUMENT_SIGNERS[document.number]
        changed.append("signer")
    if not document.file:
        name = document.number.replace("/", "-").replace("Đ", "D") + ".pdf"
        document.file.save(name, ContentFile(demo_pdf(DOCUMENT_PDF_LINES[document.number])), save=False)
        changed.append("file")
    if changed:
        document.save(update_fields=changed)


def install_documents(world: DemoWorld) -> None:
    """Create Decision 2200-QĐ/TU and the Bắc Từ Liêm implementation plan 85-KH/QU, signed, with a file."""
    decision, _c = Document.objects.get_or_create(
        number="2200-QĐ/TU",
        issued_on=D(2017, 5, 25),
        issuer="Thành ủy Hà Nội",
        defaults={
            "doc_type": DocumentType.DIRECTIVE,
            "title": (
                "Quy chế tiếp xúc, đối thoại trực tiếp giữa người đứng đầu cấp ủy, chính quyền các cấp với "
                "MTTQ, các tổ chức chính trị - xã hội và Nhân dân"
            ),
        },
    )
    plan, _c = Document.objects.get_or_create(
        number="85-KH/QU",
        issued_on=D(2017, 7, 10),
        issuer="Quận ủy Bắc Từ Liêm",
        defaults={
            "doc_type": DocumentType.PLAN,
            "title": "Kế hoạch thực hiện Quyết định 2200-QĐ/TU của Thành ủy Hà Nội",
            "unit": world.district,
            "parent": decision,
        },
    )
    _complete_document(decision)
    _complete_document(plan)
    world.documents.update(decision=decision, plan_85=plan)
