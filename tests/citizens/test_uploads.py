"""Citizens' attachments go through the one upload check: a refused file keeps what they typed,
pictures lose their GPS position before they are kept."""

import io

from django.urls import reverse
from PIL import Image

from petitions.models import PetitionAttachment
from tests.citizens.conftest import PDF_BYTES, upload
from tests.conferences.test_uploads import GPS_TAG, jpeg_with_gps, pdf_bytes

NEW = reverse("citizens:petition_new")


def test_refused_file_keeps_everything_the_citizen_typed(client, world, form_data):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    response = client.post(NEW, {**form_data(), "attachments": [upload("anh.png", svg, "image/png")]})
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    page = response.content.decode()
    for typed in (
        "Đèn chiếu sáng ngõ 12 bị hỏng",
        "đi lại buổi tối rất nguy hiểm",
        "Ngõ 12 phố Phú Diễn",
        "Nguyễn Thị Hoa",
    ):
        assert typed in page


def test_pdf_with_embedded_file_is_refused_with_a_vietnamese_message(vi_client, world, form_data):
    data = {**form_data(), "attachments": [upload("don.pdf", pdf_bytes(attachment=True))]}
    response = vi_client.post(NEW, data)
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert "có chứa tệp đính kèm bên trong" in response.content.decode()


def test_sent_photo_is_kept_without_its_gps_position(client, world, send):
    petition = send(files=[upload("nha-toi.jpg", jpeg_with_gps(), "image/jpeg"), upload("don.pdf", PDF_BYTES)])
    kept = PetitionAttachment.objects.get(petition=petition, content_type="image/jpeg")
    with Image.open(io.BytesIO(kept.file.read())) as image:
        assert GPS_TAG not in image.getexif() and dict(image.getexif()) == {}
