"""A petition from intake to a written answer with evidence, in Chromium: alice accepts and assigns, hana answers."""

import pytest

from petitions.models import Petition, PetitionStatus
from tests.conftest import screenshot, sign_in
from tests.petitions.conftest import PDF_BYTES, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_accepts_and_assigns_then_hana_answers_with_evidence(world, desktop_page, live_server):
    page, base = desktop_page, live_server.url
    petition = submit(world, world.ward_a, title="Đèn chiếu sáng ngõ 12 hỏng")
    submit(world, world.ward_b, title="Rác thải phường Bình")

    sign_in(page, base, "alice")
    page.goto(f"{base}/portal/petitions/")
    rows = page.locator("#inbox-table tbody tr")
    assert rows.count() == 1  # ward B's petition is not in alice's inbox
    screenshot(page, "petitions-inbox")

    page.click(f"tr[data-petition='{petition.pk}'] a")
    page.click("#action-accept")
    page.click("#confirm")
    page.wait_for_selector("#timeline li[data-action='accepted']")

    page.click("#action-assign")
    assert page.input_value("#id_due_on")  # the due date from the rule in force, editable
    page.select_option("#id_organisation", str(world.land_a.pk))
    page.fill("#id_note", "Đề nghị kiểm tra, thay bóng đèn")
    page.click("#confirm")
    page.wait_for_selector("#timeline li[data-action='assigned']")
    screenshot(page, "petitions-detail-assigned")

    page.context.clear_cookies()
    sign_in(page, base, "hana")
    page.goto(f"{base}/portal/petitions/{petition.pk}/")
    assert page.locator("#action-accept").count() == 0 and page.locator("#action-reject").count() == 0
    page.click("#action-answer")
    page.fill("#id_text", "Phường đã thay bóng đèn ngõ 12 ngày 20/11.")
    page.fill("#id_document_number", "125/UBND-KT")
    page.set_input_files(
        "#id_evidence", files=[{"name": "tra-loi.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    screenshot(page, "petitions-answer-form")
    page.click("#confirm")
    page.wait_for_selector("#timeline li[data-action='answered']")

    actions = page.eval_on_selector_all("#timeline li", "items => items.map(li => li.dataset.action)")
    assert actions == ["submitted", "accepted", "assigned", "answered"]
    assert page.locator("#timeline a[href*='/evidence/']").count() == 1
    screenshot(page, "petitions-detail-answered")
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.ANSWERED


def test_inbox_and_detail_fit_a_phone(world, phone_page, live_server):
    page, base = phone_page, live_server.url
    petition = submit(world, world.ward_a, title="Đèn chiếu sáng ngõ 12 hỏng")
    sign_in(page, base, "alice")
    for path, name in [
        ("/portal/petitions/", "petitions-inbox-phone"),
        (f"/portal/petitions/{petition.pk}/", "petitions-detail-phone"),
    ]:
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways on a 360 px phone ({width}px)"
        screenshot(page, name)
