"""Every model is in the admin, and every page of it opens for a superuser."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.admin.formdata import change_form_data

DOMAIN_APPS = {"units", "rules", "conferences", "petitions", "followup"}


def _registered():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()]


def test_every_domain_model_is_registered():
    from django.apps import apps

    missing = [
        model._meta.label
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry and not model._meta.label.split(".")[1].startswith("Historical")
    ]
    assert missing == []


@pytest.mark.django_db
def test_superuser_opens_every_changelist_add_and_change_page(client, superuser, admin_world):
    client.force_login(superuser)
    request = RequestFactory().get("/")
    request.user = superuser
    for model, model_admin in _registered():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert client.get(add_url).status_code == expected, add_url
        obj = model._default_manager.first()
        if obj is not None:
            change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change_url).status_code == 200, change_url


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["plan", "conference", "petition", "notice"])
def test_history_page_opens_without_revert(client, superuser, admin_world, name):
    obj = getattr(admin_world.a, name)
    opts = obj._meta
    client.force_login(superuser)
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True


@pytest.mark.django_db
def test_status_is_read_only_on_change_forms(client, superuser, admin_world):
    client.force_login(superuser)
    for obj in (admin_world.a.plan, admin_world.a.conference, admin_world.a.petition, admin_world.a.notice):
        opts = obj._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert "status" not in response.context["adminform"].form.fields, opts.label


@pytest.mark.django_db
def test_posting_a_status_does_not_change_it(client, superuser, admin_world):
    conference = admin_world.a.conference
    client.force_login(superuser)
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    data = change_form_data(client.get(url), status="closed", title="Hội nghị đã sửa tên")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    conference.refresh_from_db()
    assert conference.title == "Hội nghị đã sửa tên"
    assert conference.status == "planned"
