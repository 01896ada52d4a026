"""Exports of the selected rows: personal data stays out unless a superuser asks for it."""

import csv
import datetime
import io

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from petitions.models import Petition

CONTACTS = ["Nguyễn Thị Hoa", "0912 345 678", "912345678", "hoa.nguyen@example.vn", "Số 5 ngõ 12"]


def _export(client, action, objects, url="admin:petitions_petition_changelist"):
    return client.post(
        reverse(url), {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], "index": 0}
    )


def _csv(response):
    assert response.status_code == 200, response.content[:500]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return text, list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def petition(admin_world):
    petition = admin_world.a.petition
    petition.petitioner_address = "Số 5 ngõ 12"
    petition.save(update_fields=["petitioner_address"])
    return petition


@pytest.mark.django_db
def test_csv_export_of_petitions_leaves_out_the_petitioners_contacts(client, superuser, petition):
    client.force_login(superuser)
    text, rows = _csv(_export(client, "export_as_csv", [petition]))
    assert len(rows) == 2
    assert petition.display_code in text and petition.title in text
    for value in CONTACTS:
        assert value not in text


@pytest.mark.django_db
def test_xlsx_export_of_petitions_leaves_out_the_petitioners_contacts(client, superuser, petition):
    client.force_login(superuser)
    response = _export(client, "export_as_xlsx", [petition])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert petition.display_code in cells
    assert not any(value in cell for value in CONTACTS for cell in cells)


@pytest.mark.django_db
def test_superuser_may_export_with_contacts(client, superuser, petition):
    client.force_login(superuser)
    text, _rows = _csv(_export(client, "export_as_csv_with_contacts", [petition]))
    assert "Nguyễn Thị Hoa" in text and "hoa.nguyen@example.vn" in text


@pytest.mark.django_db
def test_staff_member_is_not_offered_the_export_with_contacts(client, staff_alice, petition):
    client.force_login(staff_alice)
    response = client.get(reverse("admin:petitions_petition_changelist"))
    choices = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "export_as_csv" in choices
    assert "export_as_csv_with_contacts" not in choices
    response = _export(client, "export_as_csv_with_contacts", [petition])
    assert not response.has_header("Content-Disposition")


@pytest.mark.django_db
def test_export_neutralises_spreadsheet_formulas(client, superuser, petition):
    petition.title = '=HYPERLINK("http://evil")'
    petition.save(update_fields=["title"])
    client.force_login(superuser)
    _text, rows = _csv(_export(client, "export_as_csv", [petition]))
    assert '\'=HYPERLINK("http://evil")' in rows[1]


@pytest.mark.django_db
def test_staff_member_exports_only_their_units_rows(client, staff_alice, admin_world):
    client.force_login(staff_alice)
    response = _export(
        client,
        "export_as_csv",
        [admin_world.a.conference, admin_world.b.conference],
        url="admin:conferences_conference_changelist",
    )
    text, rows = _csv(response)
    assert admin_world.a.conference.title in text
    assert admin_world.b.conference.title not in text


@pytest.mark.django_db
def test_every_model_exports_as_csv_and_xlsx(client, superuser, admin_world):
    from django.contrib import admin

    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        if "export_as_csv" not in (model_admin.actions or []):
            continue
        objects = list(model._default_manager.all()[:3])
        if not objects:
            continue
        opts = model._meta
        url = f"admin:{opts.app_label}_{opts.model_name}_changelist"
        _text, rows = _csv(_export(client, "export_as_csv", objects, url=url))
        assert len(rows) == len(objects) + 1, opts.label
        response = _export(client, "export_as_xlsx", objects, url=url)
        assert response.status_code == 200 and response.content[:2] == b"PK", opts.label


@pytest.mark.django_db
def test_csv_header_is_in_the_users_language(client, vi_client, superuser, petition):
    """The rows stream after the request's language was reset: the header must still follow the user."""
    from django.utils import translation

    client.force_login(superuser)
    _text, rows = _csv(_export(client, "export_as_csv", [petition]))
    assert rows[0][:2] == ["Tracking code", "Unit"]
    assert "Title" in rows[0]
    vi_client.force_login(superuser)
    _text, rows = _csv(_export(vi_client, "export_as_csv", [petition]))
    with translation.override("vi"):
        expected = [str(capfirst(translation.gettext("tracking code"))), str(capfirst(translation.gettext("unit")))]
    assert rows[0][:2] == expected
    assert expected[0] != "Tracking code"
    assert "Tiêu đề" in rows[0]


@pytest.mark.django_db
def test_default_export_leaves_out_the_location(client, superuser, petition):
    petition.location = "Nhà số 5 ngõ 12 Phú Diễn"
    petition.save(update_fields=["location"])
    client.force_login(superuser)
    text, _rows = _csv(_export(client, "export_as_csv", [petition]))
    assert "Nhà số 5 ngõ 12" not in text
    text, _rows = _csv(_export(client, "export_as_csv_with_contacts", [petition]))
    assert "Nhà số 5 ngõ 12" in text


@pytest.mark.django_db
def test_exports_write_dates_dd_mm_yyyy_and_size_their_columns(client, superuser, petition):
    client.force_login(superuser)
    local = timezone.localtime(petition.submitted_at)
    text, rows = _csv(_export(client, "export_as_csv", [petition]))
    assert local.strftime("%d/%m/%Y %H:%M") in rows[1]
    assert local.strftime("%Y-%m-%d") not in text

    response = _export(client, "export_as_xlsx", [petition])
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    dated = [c for c in sheet[2] if isinstance(c.value, datetime.datetime)]
    assert dated and all(c.number_format == "DD/MM/YYYY HH:MM" for c in dated)
    for i, header in enumerate(headers, start=1):
        width = sheet.column_dimensions[get_column_letter(i)].width
        assert width >= min(len(header), 58), (header, width)  # no header is cut off
    title_column = get_column_letter(headers.index(capfirst(Petition._meta.get_field("title").verbose_name)) + 1)
    assert sheet.column_dimensions[title_column].width >= min(len(petition.title), 58)
