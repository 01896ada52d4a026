"""load_demo: the demo data, every state represented, and running it twice changes nothing."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from conferences.models import ConferenceStatus, MinutesStatus, PlanStatus
from dialogue_portal.demo import ACCOUNTS, DEMO_PASSWORD
from followup.models import NoticeStatus
from petitions.models import PetitionStatus

COUNTED = [
    "units.AdministrativeUnit",
    "units.UnitSuccession",
    "units.Organisation",
    "units.Membership",
    "auth.User",
    "auth.Group",
    "rules.Rule",
    "rules.Holiday",
    "conferences.Document",
    "conferences.DialoguePlan",
    "conferences.PlanItem",
    "conferences.Conference",
    "conferences.ConclusionItem",
    "petitions.Petition",
    "petitions.Assignment",
    "petitions.Extension",
    "petitions.Answer",
    "petitions.CitizenVerdict",
    "followup.FollowUpNotice",
    "followup.Supervision",
    "followup.Commendation",
    "petitions.AnswerTemplate",
    "notifications.OutboxMessage",
    "audit.AuditEvent",
]


def counts():
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


@pytest.fixture
def demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_demo_does_not_print_its_emails(settings, capsys):
    """With real commits (as in `make run`) the e-mails are sent during the load: not to the console."""
    from notifications.models import OutboxMessage

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("load_demo", stdout=io.StringIO())
    assert OutboxMessage.objects.filter(status="sent").exists()
    assert "Subject:" not in capsys.readouterr().out, "the demo printed its e-mails to the console"


def test_running_load_demo_twice_changes_nothing_and_prints_the_accounts_each_time(demo):
    first = counts()
    assert first["petitions.Petition"] > 20
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == first
    for printed in (demo, out.getvalue()):
        assert DEMO_PASSWORD in printed
        for username, *_rest in ACCOUNTS:
            assert username in printed


def _accounts_log_in_with_the_documented_password():
    User = get_user_model()
    for username, *_rest in ACCOUNTS:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="canbo.xuandinh").memberships.get().unit.code == "00611"


def test_every_state_is_represented(demo):
    def states(label, field="status"):
        return set(apps.get_model(label).objects.values_list(field, flat=True))

    assert states("petitions.Petition") == set(PetitionStatus.values)
    assert states("conferences.Conference") == set(ConferenceStatus.values)
    assert states("conferences.Conference", "minutes_status") == set(MinutesStatus.values)
    assert states("conferences.DialoguePlan") == set(PlanStatus.values)
    assert states("followup.FollowUpNotice") == set(NoticeStatus.values)
    assert states("followup.Supervision", "finding") == {"met", "not_met"}


def test_the_demo_year_is_dated_as_it_happened_and_the_accounts_log_in(demo):
    _accounts_log_in_with_the_documented_password()
    from audit.models import AuditEvent
    from petitions.models import Petition
    from units.models import AdministrativeUnit

    assert AuditEvent.objects.filter(created_at__year=2024).exists()
    assert Petition.objects.filter(submitted_at__year=2026).count() > 10
    for petition in Petition.objects.select_related("unit"):
        assert petition.unit.is_valid_on(petition.submitted_at.date()) or petition.unit.valid_to is None, petition
    # The open petition of old Xuân Tảo was carried over to the new Xuân Đỉnh on 1/7/2025.
    carried = Petition.objects.get(title__startswith="Ngập úng ngõ 68")
    assert carried.unit == AdministrativeUnit.objects.get(code="00611", valid_to__isnull=True)
    assert AuditEvent.objects.for_object(carried).filter(action="unit_transferred").exists()


def test_only_the_administrator_is_staff_even_after_an_older_demo(demo):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == ["admin"]
    User.objects.filter(username="canbo.xuandinh").update(is_staff=True)  # as an earlier demo left it
    call_command("load_demo", "--no-activity", stdout=io.StringIO())
    assert not User.objects.get(username="canbo.xuandinh").is_staff
    assert User.objects.get(username="admin").is_staff


def test_the_directive_and_the_plan_are_signed_and_have_a_file(demo):
    from conferences.models import Document
    from petitions.models import AnswerTemplate

    for number in ("2200-QĐ/TU", "85-KH/QU"):
        document = Document.objects.get(number=number)
        assert document.signer
        with document.file.open("rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert AnswerTemplate.objects.filter(unit__isnull=True).count() >= 2


def test_the_demo_pdf_is_readable():
    from pypdf import PdfReader

    from dialogue_portal.demo import DOCUMENT_PDF_LINES, demo_pdf

    reader = PdfReader(io.BytesIO(demo_pdf(DOCUMENT_PDF_LINES["2200-QĐ/TU"])))
    assert "2200-QD/TU" in reader.pages[0].extract_text()
