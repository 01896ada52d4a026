"""petitions.services: the transition table, working-day deadlines, extensions, verdicts, privacy, merge, audit."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.transitions import TransitionNotAllowed, check_transition
from petitions import services
from petitions.models import (
    ANSWERED_STATUSES,
    PETITION_TRANSITIONS,
    Answer,
    Assignment,
    Channel,
    Extension,
    Petition,
    PetitionKind,
    PetitionStatus,
    RejectionReason,
    Verdict,
)
from rules.models import Holiday, HolidayKind, Rule, RuleKey
from rules.workdays import add_working_days
from tests import factories as f
from tests.petitions.conftest import IP, accepted, answered, assigned, pdf_upload, submit

pytestmark = pytest.mark.django_db

ALL = list(PetitionStatus)
# The services that move an existing petition to each target status.
SERVICE_FOR = {
    PetitionStatus.ACCEPTED: lambda p, w: services.accept_petition(petition=p, by=w.alice, ip=IP),
    PetitionStatus.REJECTED: lambda p, w: services.reject_petition(
        petition=p, reason=RejectionReason.UNCLEAR, note="Nội dung chưa rõ", by=w.alice, ip=IP
    ),
    PetitionStatus.IN_PROGRESS: lambda p, w: services.assign_petition(
        petition=p, organisation=w.land_a, by=w.alice, ip=IP
    ),
    PetitionStatus.TRANSFERRED: lambda p, w: services.transfer_petition(
        petition=p, organisation=w.land_a, note="Đúng thẩm quyền phòng Kinh tế", by=w.alice, ip=IP
    ),
    PetitionStatus.ANSWERED: lambda p, w: services.answer_petition(
        petition=p,
        text="Đã xử lý",
        document_number="12/UBND",
        document_date=timezone.localdate(),
        evidence=pdf_upload(),
        by=w.alice,
        ip=IP,
    ),
    PetitionStatus.RESOLVED: lambda p, w: services.mark_resolved(petition=p, by=w.alice, ip=IP),
    PetitionStatus.ANSWERED_ON_SPOT: lambda p, w: services.answer_on_spot(
        petition=p,
        conference=f.ConferenceFactory(unit=w.ward_a, status="held", held_on=timezone.localdate()),
        text="Chủ trì trả lời: phường sẽ sửa trong tháng",
        by=w.alice,
        ip=IP,
    ),
}


def _service(current, target):
    """Return the service that moves a petition from `current` to `target`: an answered petition goes back
    to work only by being reopened with a reason."""
    if target == PetitionStatus.IN_PROGRESS and current in ANSWERED_STATUSES:
        return lambda p, w: services.reopen_petition(
            petition=p, reason="Công dân báo chưa giải quyết", by=w.alice, ip=IP
        )
    return SERVICE_FOR[target]


def _petition_in(world, status):
    """A ward A petition put straight into `status` (with what that status requires), and an answer."""
    petition = f.PetitionFactory(
        unit=world.ward_a,
        category=world.category,
        status=status,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        rejection_reason=RejectionReason.UNCLEAR if status == PetitionStatus.REJECTED else "",
    )
    Answer.objects.create(petition=petition, text="Trả lời tại hội nghị", on_spot=True)
    return petition


def _snapshot(petition):
    petition = Petition.objects.get(pk=petition.pk)
    return (
        petition.status,
        petition.due_on,
        petition.handling_org_id,
        petition.rejection_reason,
        petition.resolved_at,
        AuditEvent.objects.count(),
        Assignment.objects.count(),
        Answer.objects.count(),
    )


@pytest.mark.parametrize("target", list(SERVICE_FOR))
@pytest.mark.parametrize("current", ALL)
def test_every_transition_is_allowed_exactly_when_the_table_says(world, current, target):
    petition = _petition_in(world, current)
    before = _snapshot(petition)
    if target in PETITION_TRANSITIONS[current]:
        _service(current, target)(petition, world)
        petition.refresh_from_db()
        assert petition.status == target
        event = AuditEvent.objects.for_object(petition).last()
        assert (event.from_status, event.to_status) == (current, target)
        assert event.ip_address == IP and event.actor == world.alice
    else:
        with pytest.raises(TransitionNotAllowed):
            _service(current, target)(petition, world)
        assert _snapshot(petition) == before  # nothing changed, nothing recorded


@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("current", ALL)
def test_check_transition_follows_the_table(current, target):
    if target in PETITION_TRANSITIONS[current]:
        check_transition(PETITION_TRANSITIONS, current, target)
    else:
        with pytest.raises(TransitionNotAllowed):
            check_transition(PETITION_TRANSITIONS, current, target)


def test_opinion_answered_on_the_spot_at_a_held_conference(world):
    conference = f.ConferenceFactory(unit=world.ward_a, status="held", held_on=timezone.localdate())
    petition = services.record_conference_opinion(
        conference=conference,
        kind=PetitionKind.RECOMMENDATION,
        category=world.category,
        title="Sửa đường ngõ 5",
        content="Đường ngõ 5 xuống cấp",
        answer_on_spot="Phường sẽ sửa trong quý I",
        by=world.alice,
        ip=IP,
    )
    assert petition.status == PetitionStatus.ANSWERED_ON_SPOT
    assert petition.channel == Channel.CONFERENCE
    assert list(AuditEvent.objects.for_object(petition).values_list("action", flat=True)) == [
        "raised_at_conference",
        "answered_on_spot",
    ]


@pytest.mark.parametrize("status", [PetitionStatus.SUBMITTED, PetitionStatus.ACCEPTED, PetitionStatus.IN_PROGRESS])
def test_reopen_needs_an_answer_first(world, status):
    petition = _petition_in(world, status)
    before = _snapshot(petition)
    with pytest.raises(TransitionNotAllowed):
        services.reopen_petition(petition=petition, reason="Công dân phản ánh lại", by=world.alice, ip=IP)
    assert _snapshot(petition) == before
    assert Petition.objects.get(pk=petition.pk).reopened_count == 0


@pytest.mark.parametrize("status", [PetitionStatus.ANSWERED, PetitionStatus.ANSWERED_ON_SPOT, PetitionStatus.RESOLVED])
def test_reopen_an_answered_petition_sets_a_new_deadline(world, status):
    petition = _petition_in(world, status)
    services.reopen_petition(petition=petition, reason="Chưa xử lý dứt điểm", by=world.alice, ip=IP)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS
    assert petition.reopened_count == 1
    assert petition.due_on == add_working_days(timezone.localdate(), 30)
    event = AuditEvent.objects.for_object(petition).last()
    assert event.action == "reopened" and event.note == "Chưa xử lý dứt điểm" and event.ip_address == IP


# --- Deadlines in working days, from the rule in force --------------------------------------


@pytest.fixture
def frozen_today(monkeypatch):
    """Freeze `timezone.localdate()` on a Wednesday in a normal week (25/11/2026)."""
    day = datetime.date(2026, 11, 25)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    Holiday.objects.update_or_create(date=datetime.date(2027, 1, 1), defaults={"name": "Tết Dương lịch"})
    return day


def test_accepting_sets_the_answer_deadline_in_working_days(world, frozen_today):
    petition = accepted(world, world.ward_a, world.alice)
    # 30 working days from Wed 25/11/2026: six weeks of five working days = Wed 06/01/2027, but 01/01 is a holiday.
    assert petition.due_on == add_working_days(frozen_today, 30)
    assert petition.due_on == datetime.date(2027, 1, 7)
    assert petition.due_on.weekday() < 5


def test_a_holiday_moves_the_deadline(world, frozen_today):
    Holiday.objects.update_or_create(
        date=datetime.date(2026, 11, 26), defaults={"kind": HolidayKind.DAY_OFF, "name": "Nghỉ bù"}
    )
    petition = accepted(world, world.ward_a, world.alice)
    assert petition.due_on == datetime.date(2027, 1, 8)


def test_the_rule_in_force_on_the_day_decides_the_deadline(world, frozen_today):
    Rule.objects.filter(key=RuleKey.ANSWER_WORKING_DAYS).update(valid_to=frozen_today - datetime.timedelta(days=1))
    Rule.objects.create(key=RuleKey.ANSWER_WORKING_DAYS, level="", value=10, valid_from=frozen_today)
    petition = accepted(world, world.ward_a, world.alice)
    assert petition.due_on == add_working_days(frozen_today, 10) == datetime.date(2026, 12, 9)


def test_assignment_due_date_defaults_to_the_rule_and_can_be_set(world, frozen_today):
    petition = assigned(world, world.ward_a, world.alice, world.land_a)
    assert petition.due_on == datetime.date(2027, 1, 7)
    chosen = datetime.date(2026, 12, 15)
    services.transfer_petition(
        petition=petition, organisation=world.land_a, note="Chuyển lại", due_on=chosen, by=world.alice
    )
    petition.refresh_from_db()
    assert petition.due_on == chosen and petition.status == PetitionStatus.TRANSFERRED
    assert petition.original_due_on == datetime.date(2027, 1, 7)
    assert petition.assignments.filter(ended_at__isnull=True).count() == 1


def test_assignment_in_the_past_is_refused(world):
    petition = accepted(world, world.ward_a, world.alice)
    with pytest.raises(TransitionNotAllowed):
        services.assign_petition(
            petition=petition,
            organisation=world.land_a,
            by=world.alice,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert not petition.assignments.exists()


# --- Extension --------------------------------------------------------------------------------


def test_extension_moves_the_due_date_and_the_petition_is_not_overdue_until_then(world):
    petition = assigned(world, world.ward_a, world.alice, world.land_a)
    old_due = petition.due_on
    new_due = old_due + datetime.timedelta(days=20)
    services.extend_deadline(
        petition=petition, new_due_on=new_due, reason="Cần xác minh thực địa", by=world.alice, ip=IP
    )
    petition.refresh_from_db()
    assert petition.due_on == new_due and petition.original_due_on == old_due
    day_after_old_due = old_due + datetime.timedelta(days=1)
    assert not petition.is_overdue(day_after_old_due)
    assert not Petition.objects.overdue(day_after_old_due).filter(pk=petition.pk).exists()
    assert petition.is_overdue(new_due + datetime.timedelta(days=1))
    assert Petition.objects.overdue(new_due + datetime.timedelta(days=1)).filter(pk=petition.pk).exists()
    extension = Extension.objects.get(petition=petition)
    assert (extension.previous_due_on, extension.new_due_on, extension.extended_by) == (old_due, new_due, world.alice)
    event = AuditEvent.objects.for_object(petition).last()
    assert event.action == "extended" and event.ip_address == IP and event.note == "Cần xác minh thực địa"


@pytest.mark.parametrize(
    "reason,shift",
    [("", 10), ("Cần thêm thời gian", 0), ("Cần thêm thời gian", -1)],
    ids=["no-reason", "same-date", "earlier"],
)
def test_extension_needs_a_reason_and_a_later_date(world, reason, shift):
    petition = assigned(world, world.ward_a, world.alice, world.land_a)
    with pytest.raises(TransitionNotAllowed):
        services.extend_deadline(
            petition=petition,
            new_due_on=petition.due_on + datetime.timedelta(days=shift),
            reason=reason,
            by=world.alice,
        )
    assert not Extension.objects.exists()


def test_an_answered_petition_cannot_be_extended(world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    with pytest.raises(TransitionNotAllowed):
        services.extend_deadline(
            petition=petition, new_due_on=timezone.localdate() + datetime.timedelta(days=90), reason="x", by=world.alice
        )


def overdue_petition(world, days=42):
    """A ward A petition in progress whose deadline passed `days` days ago."""
    due = timezone.localdate() - datetime.timedelta(days=days)
    return f.PetitionFactory(
        unit=world.ward_a,
        category=world.category,
        status=PetitionStatus.IN_PROGRESS,
        handling_org=world.land_a,
        accepted_at=timezone.now() - datetime.timedelta(days=days + 40),
        original_due_on=due,
        due_on=due,
    )


def test_a_ward_official_cannot_extend_a_deadline_that_has_already_passed(world):
    petition = overdue_petition(world)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.extend_deadline(
            petition=petition,
            new_due_on=timezone.localdate() + datetime.timedelta(days=20),
            reason="Cần thêm thời gian",
            by=world.alice,
        )
    assert "chair" in str(refused.value)
    petition.refresh_from_db()
    assert petition.due_on < timezone.localdate() and not Extension.objects.exists()
    assert petition.is_overdue()


def test_the_refusal_is_worded_in_vietnamese(world):
    from django.utils import translation

    petition = overdue_petition(world)
    with translation.override("vi"), pytest.raises(TransitionNotAllowed) as refused:
        services.extend_deadline(
            petition=petition,
            new_due_on=timezone.localdate() + datetime.timedelta(days=20),
            reason="Cần thêm thời gian",
            by=world.alice,
        )
    assert "người đứng đầu" in str(refused.value)


def test_the_chair_extends_a_passed_deadline_and_the_petition_stays_overdue(world):
    petition = overdue_petition(world)
    original = petition.due_on
    new_due = timezone.localdate() + datetime.timedelta(days=20)
    services.extend_deadline(petition=petition, new_due_on=new_due, reason="Chờ ý kiến của quận", by=world.chris)
    petition.refresh_from_db()
    assert (petition.due_on, petition.original_due_on, petition.missed_due_on) == (new_due, original, original)
    # The late extension does not clean the record: still overdue, in the queryset and on the object.
    assert petition.is_overdue()
    assert Petition.objects.overdue().filter(pk=petition.pk).exists()
    event = AuditEvent.objects.for_object(petition).last()
    assert event.action == "extended" and event.data["after_due_date"] is True


def test_the_chair_still_needs_a_reason_for_a_late_extension(world):
    petition = overdue_petition(world)
    with pytest.raises(TransitionNotAllowed):
        services.extend_deadline(
            petition=petition, new_due_on=timezone.localdate() + datetime.timedelta(days=20), reason=" ", by=world.chris
        )


def test_an_extension_on_the_due_date_itself_is_still_in_time(world):
    petition = overdue_petition(world, days=0)
    services.extend_deadline(
        petition=petition,
        new_due_on=timezone.localdate() + datetime.timedelta(days=5),
        reason="Xác minh",
        by=world.alice,
    )
    petition.refresh_from_db()
    assert petition.missed_due_on is None and not petition.is_overdue()


def test_reopening_starts_a_new_round_with_its_own_original_deadline(world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    services.reopen_petition(petition=petition, reason="Công dân phản ánh chưa xử lý xong", by=world.alice)
    petition.refresh_from_db()
    assert petition.original_due_on == petition.due_on and petition.missed_due_on is None


def test_the_migration_backfills_the_original_deadline_from_the_first_extension(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("petitions.migrations.0008_original_deadline_kept")
    today = timezone.localdate()
    extended = f.PetitionFactory(unit=world.ward_a, category=world.category, status=PetitionStatus.IN_PROGRESS)
    Petition.objects.filter(pk=extended.pk).update(due_on=today + datetime.timedelta(days=30))
    Extension.objects.create(
        petition=extended,
        previous_due_on=today - datetime.timedelta(days=10),
        new_due_on=today + datetime.timedelta(days=10),
        reason="a",
        extended_at=timezone.now() - datetime.timedelta(days=5),
    )
    Extension.objects.create(
        petition=extended,
        previous_due_on=today + datetime.timedelta(days=10),
        new_due_on=today + datetime.timedelta(days=30),
        reason="b",
    )
    plain = f.PetitionFactory(
        unit=world.ward_a, category=world.category, status=PetitionStatus.IN_PROGRESS, due_on=today
    )
    migration.backfill_original_due_on(apps, None)
    extended.refresh_from_db()
    plain.refresh_from_db()
    assert extended.original_due_on == today - datetime.timedelta(days=10)
    # The first extension came after that deadline had passed: the petition stays overdue.
    assert extended.missed_due_on == today - datetime.timedelta(days=10) and extended.is_overdue()
    assert plain.original_due_on == today and plain.missed_due_on is None


# --- Answer, verdict ------------------------------------------------------------------------


def test_written_answer_needs_document_number_and_date(world):
    petition = assigned(world, world.ward_a, world.alice, world.land_a)
    with pytest.raises(TransitionNotAllowed):
        services.answer_petition(
            petition=petition, text="Đã xử lý", document_number="", document_date=None, by=world.hana
        )
    assert not Answer.objects.exists()
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.IN_PROGRESS


def test_answer_records_evidence_and_ip(world):
    petition = assigned(world, world.ward_a, world.alice, world.land_a)
    answer = services.answer_petition(
        petition=petition,
        text="Đã thay bóng đèn",
        document_number="125/UBND-KT",
        document_date=timezone.localdate(),
        evidence=pdf_upload(),
        by=world.hana,
        ip=IP,
    )
    assert answer.evidence.name.endswith(".pdf")
    event = AuditEvent.objects.for_object(petition).last()
    assert (event.action, event.actor, event.ip_address) == ("answered", world.hana, IP)
    assert event.data["answer"] == answer.pk


def test_verdict_not_resolved_reopens_the_petition(world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    services.record_verdict(petition=petition, verdict=Verdict.NOT_RESOLVED, rating=2, comment="Đèn vẫn hỏng", ip=IP)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.IN_PROGRESS
    assert petition.reopened_count == 1 and petition.verdict == Verdict.NOT_RESOLVED
    actions = list(AuditEvent.objects.for_object(petition).values_list("action", "actor_label", "ip_address"))
    assert actions[-2:] == [("verdict", "citizen", IP), ("reopened", "citizen", IP)]


def test_verdict_resolved_closes_the_petition(world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    services.record_verdict(petition=petition, verdict=Verdict.RESOLVED, rating=5)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RESOLVED and petition.resolved_at is not None


def test_verdict_only_once_per_answer(world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    services.record_verdict(petition=petition, verdict=Verdict.RESOLVED)
    with pytest.raises(TransitionNotAllowed):
        services.record_verdict(petition=petition, verdict=Verdict.NOT_RESOLVED)


def test_mark_resolved_needs_an_answer(world):
    petition = f.PetitionFactory(unit=world.ward_a, category=world.category, status=PetitionStatus.ANSWERED)
    with pytest.raises(TransitionNotAllowed):
        services.mark_resolved(petition=petition, by=world.alice)


# --- Privacy --------------------------------------------------------------------------------


def test_anonymise_erases_contacts_and_keeps_the_substance(world):
    petition = answered(world, world.ward_a, world.alice, world.land_a)
    title, content, status, category = petition.title, petition.content, petition.status, petition.category_id
    services.anonymise_petitioner(petition=petition, ip=IP)
    petition.refresh_from_db()
    assert (petition.petitioner_name, str(petition.petitioner_phone), petition.petitioner_email) == ("", "", "")
    assert (petition.title, petition.content, petition.status, petition.category_id) == (
        title,
        content,
        status,
        category,
    )
    assert petition.answers.count() == 1 and petition.anonymised_at is not None
    assert not petition.history.exclude(petitioner_name="").exists()
    assert AuditEvent.objects.for_object(petition).last().action == "anonymised"
    services.anonymise_petitioner(petition=petition)  # idempotent
    assert AuditEvent.objects.for_object(petition).filter(action="anonymised").count() == 1


# --- Rejection and merge --------------------------------------------------------------------


def test_merge_a_duplicate_into_its_original(world):
    original = submit(world, world.ward_a, title="Ngập úng ngõ 7")
    duplicate = submit(world, world.ward_a, title="Ngõ 7 ngập")
    services.merge_petition(petition=duplicate, into=original, by=world.alice, ip=IP)
    duplicate.refresh_from_db()
    assert duplicate.status == PetitionStatus.REJECTED
    assert duplicate.rejection_reason == RejectionReason.DUPLICATE and duplicate.duplicate_of == original
    assert not Petition.objects.public().filter(pk=duplicate.pk).exists()
    event = AuditEvent.objects.for_object(duplicate).last()
    assert event.data == {"reason": "duplicate", "duplicate_of": original.pk} and event.ip_address == IP


def test_merge_follows_the_original_of_a_duplicate(world):
    original = submit(world, world.ward_a)
    first = submit(world, world.ward_a)
    second = submit(world, world.ward_a)
    services.merge_petition(petition=first, into=original, by=world.alice)
    services.merge_petition(petition=second, into=Petition.objects.get(pk=first.pk), by=world.alice)
    assert Petition.objects.get(pk=second.pk).duplicate_of == original


def test_a_petition_cannot_be_merged_into_itself(world):
    petition = submit(world, world.ward_a)
    with pytest.raises(TransitionNotAllowed):
        services.merge_petition(petition=petition, into=petition, by=world.alice)
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.SUBMITTED


def test_complaint_is_routed_out_with_guidance(world):
    petition = submit(world, world.ward_a, kind=PetitionKind.COMPLAINT, channel=Channel.RECEPTION)
    services.reject_petition(petition=petition, reason=RejectionReason.COMPLAINT, by=world.alice)
    petition.refresh_from_db()
    assert petition.rejection_note == str(services.ROUTING_GUIDANCE[RejectionReason.COMPLAINT])
    assert not Petition.objects.public().filter(pk=petition.pk).exists()


@pytest.mark.parametrize("reason", [RejectionReason.UNCLEAR, RejectionReason.NOT_COMPETENT])
def test_rejection_as_unclear_or_not_competent_needs_an_explanation(world, reason):
    petition = submit(world, world.ward_a)
    with pytest.raises(TransitionNotAllowed):
        services.reject_petition(petition=petition, reason=reason, note=" ", by=world.alice)
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.SUBMITTED


def test_accepting_a_rejected_duplicate_unmerges_it(world):
    original = submit(world, world.ward_a)
    duplicate = submit(world, world.ward_a)
    services.merge_petition(petition=duplicate, into=original, by=world.alice)
    services.accept_petition(petition=duplicate, by=world.alice)
    duplicate.refresh_from_db()
    assert duplicate.status == PetitionStatus.ACCEPTED
    assert (duplicate.rejection_reason, duplicate.duplicate_of) == ("", None)


def test_online_complaint_is_not_filed(world):
    with pytest.raises(TransitionNotAllowed):
        submit(world, world.ward_a, kind=PetitionKind.COMPLAINT)
    assert not Petition.objects.exists()


def test_bulk_assign_reports_what_could_not_be_assigned(world):
    ok = accepted(world, world.ward_a, world.alice)
    not_yet = submit(world, world.ward_a)
    done, errors = services.bulk_assign(petitions=[ok, not_yet], organisation=world.land_a, by=world.alice, ip=IP)
    assert done == 1 and [p.pk for p, _msg in errors] == [not_yet.pk]
    assert Petition.objects.get(pk=not_yet.pk).status == PetitionStatus.SUBMITTED
    assert not Assignment.objects.filter(petition=not_yet).exists()


def test_anonymise_clears_the_citizens_addresses_but_keeps_the_officials(world):
    petition = services.submit_petition(
        unit=world.ward_a,
        kind="kien_nghi",
        category=world.category,
        title="Đèn đường hỏng",
        content="Ngõ 3 tối",
        petitioner_name="Trần Văn Nam",
        petitioner_phone="0912345678",
        consent=True,
        ip="203.0.113.9",
    )
    services.accept_petition(petition=petition, by=world.alice, ip="10.1.1.1")
    services.anonymise_petitioner(petition=petition, ip="203.0.113.9")
    events = AuditEvent.objects.for_object(petition)
    assert not events.filter(ip_address="203.0.113.9").exists()
    assert events.get(action="accepted").ip_address == "10.1.1.1"


@pytest.mark.parametrize("status", sorted(set(ANSWERED_STATUSES)))
def test_an_answered_petition_is_not_reassigned_without_being_reopened(world, status):
    petition = _petition_in(world, status)
    before = _snapshot(petition)
    with pytest.raises(TransitionNotAllowed):
        services.assign_petition(petition=petition, organisation=world.land_a, by=world.alice, ip=IP)
    assert _snapshot(petition) == before


def test_an_opinion_is_never_dated_in_the_future(world):
    later_today = timezone.now() + datetime.timedelta(hours=3)
    conference = f.ConferenceFactory(
        unit=world.ward_a, status="held", held_on=timezone.localdate(), planned_start=later_today
    )
    petition = services.record_conference_opinion(
        conference=conference,
        kind=PetitionKind.RECOMMENDATION,
        category=world.category,
        title="Ý kiến",
        content="Nội dung",
        by=world.alice,
        ip=IP,
    )
    assert petition.submitted_at <= timezone.now()


def test_an_opinion_is_dated_at_the_conference_start(world):
    held_on = timezone.localdate() - datetime.timedelta(days=2)
    start = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(14, 30)))
    conference = f.ConferenceFactory(unit=world.ward_a, status="held", held_on=held_on, planned_start=start)
    petition = services.record_conference_opinion(
        conference=conference,
        kind=PetitionKind.RECOMMENDATION,
        category=world.category,
        title="Ý kiến",
        content="Nội dung",
        by=world.alice,
        ip=IP,
    )
    assert timezone.localtime(petition.submitted_at).time() == datetime.time(14, 30)
