"""Files uploaded in the admin are checked like the portal's (`conferences.uploads.clean_upload`)."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from conferences.models import Conference, ConferenceAttachment, Document
from conferences.uploads import CheckedFileField
from petitions.admin import AttachmentForm
from petitions.models import PetitionAttachment
from tests import factories as f
from tests.conferences.test_uploads import jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field"),
    [(Conference, "minutes_file"), (ConferenceAttachment, "file"), (Document, "file"), (PetitionAttachment, "file")],
)
def test_every_admin_file_field_is_checked(model, field):
    request = RequestFactory().get("/admin/")
    request.user = f.UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[model]
    form = model_admin.get_form(request, fields=[field])
    assert isinstance(form.base_fields[field], CheckedFileField)


def test_inline_file_fields_are_checked():
    request = RequestFactory().get("/admin/")
    request.user = f.UserFactory(is_staff=True, is_superuser=True)
    for parent in (Conference,):
        for inline in admin.site._registry[parent].get_inline_instances(request):
            formset = inline.get_formset(request)
            for name, field in formset.form.base_fields.items():
                if name in ("file", "minutes_file", "evidence"):
                    assert isinstance(field, CheckedFileField), (inline, name)


def test_admin_petition_attachment_refuses_a_disguised_page_and_records_the_proven_type():
    page = SimpleUploadedFile("anh.jpg", b"<html><script>alert(1)</script>", content_type="image/jpeg")
    form = AttachmentForm(data={}, files={"file": page})
    assert not form.is_valid() and form.errors["file"]
    form = AttachmentForm(data={}, files={"file": SimpleUploadedFile("anh", jpeg_with_gps(), "text/plain")})
    assert form.is_valid(), form.errors
    kept = form.cleaned_data["file"]
    assert kept.checked_content_type == "image/jpeg" and kept.safe_name == "anh.jpg"
    assert b"PhoneMaker" not in kept.read()
