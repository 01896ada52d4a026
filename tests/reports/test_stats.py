"""The documented figures of reports.stats, on small hand-made data."""

import datetime

import pytest
from django.utils import timezone

from conferences.models import ConferenceKind, ConferenceStatus
from followup.models import NoticeStatus
from petitions.models import Answer, Channel, Petition, PetitionStatus
from reports import stats
from rules.holidays_vn import install_holidays
from rules.models import Rule, RuleKey
from tests import factories as f
from units.models import UnitLevel

pytestmark = pytest.mark.django_db

Y = 2026
START, END = datetime.date(Y, 1, 1), datetime.date(Y, 12, 31)


def aware(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held(unit, day, kind=ConferenceKind.PERIODIC, status=ConferenceStatus.HELD, **kw):
    return f.ConferenceFactory(unit=unit, kind=kind, status=status, held_on=day, planned_start=aware(day), **kw)


def test_conferences_held_counts_held_statuses_only_by_kind_and_level(world):
    held(world.ward_a, datetime.date(Y, 3, 1))
    f.ConferenceFactory(
        unit=world.ward_b,
        status=ConferenceStatus.CLOSED,
        held_on=datetime.date(Y, 4, 1),
        planned_start=aware(datetime.date(Y, 4, 1)),
    )
    held(world.district, datetime.date(Y, 5, 1), kind=ConferenceKind.ADHOC)
    held(world.ward_a, datetime.date(Y - 1, 5, 1))  # outside the period
    f.ConferenceFactory(
        unit=world.ward_a, status=ConferenceStatus.CANCELLED, planned_start=aware(datetime.date(Y, 6, 1))
    )
    f.ConferenceFactory(unit=world.ward_a, status=ConferenceStatus.PLANNED, planned_start=aware(datetime.date(Y, 7, 1)))

    scope = stats.Scope.for_unit(world.district, START, END)
    result = stats.conferences_held(scope)
    assert result["periodic"]["total"] == 2
    assert result["periodic"]["by_level"]["commune"] == 2
    assert result["adhoc"]["by_level"]["district"] == 1
    not_held = stats.conferences_not_held(scope)
    assert not_held["periodic"] == {"planned": 1, "postponed": 0, "cancelled": 1}
    per_unit = stats.conferences_held(scope, by_unit=True)
    assert per_unit[world.ward_a.pk]["total"] == 1
    ward_b = stats.conferences_held(stats.Scope.for_unit(world.ward_b, START, END))
    assert ward_b["total"] == 1


def test_answered_on_time_and_days_to_answer(world):
    received = aware(datetime.date(Y, 3, 2))  # a Monday
    f.PetitionFactory(
        unit=world.ward_a,
        submitted_at=received,
        status=PetitionStatus.ANSWERED,
        due_on=datetime.date(Y, 3, 20),
        answered_on=datetime.date(Y, 3, 6),
    )
    f.PetitionFactory(
        unit=world.ward_a,
        submitted_at=received,
        status=PetitionStatus.RESOLVED,
        due_on=datetime.date(Y, 3, 4),
        answered_on=datetime.date(Y, 3, 9),
    )
    f.PetitionFactory(unit=world.ward_a, submitted_at=received)  # open
    scope = stats.Scope.for_unit(world.ward_a, START, END)
    assert stats.answered_on_time(scope) == {
        "answered": 2,
        "on_time": 1,
        "share": 0.5,
        "within_extension": 1,
        "share_within_extension": 0.5,
        "extended": 0,
    }
    # 2/3 → 6/3: 4 working days; 2/3 → 9/3: 5 working days.
    assert stats.average_days_to_answer(scope) == {"answered": 2, "average_working_days": 4.5}
    received_figures = stats.petitions_received(scope)
    assert received_figures["total"] == 3
    assert received_figures["by_status"]["submitted"] == 1
    assert received_figures["by_category"]["Trật tự xây dựng"] == 3


def test_opinions_count_recorded_petitions_and_imported_counts(world):
    conf = held(world.ward_a, datetime.date(Y, 3, 1), opinions_raised_count=10, answered_on_spot_count=4)
    spot = f.PetitionFactory(
        unit=world.ward_a, conference=conf, channel=Channel.CONFERENCE, status=PetitionStatus.RESOLVED
    )
    Answer.objects.create(petition=spot, text="Trả lời tại hội nghị", on_spot=True)
    f.PetitionFactory(unit=world.ward_a, conference=conf, channel=Channel.CONFERENCE, status=PetitionStatus.ACCEPTED)
    result = stats.opinions(stats.Scope.for_unit(world.district, START, END))
    assert result == {
        "raised": 12,
        "answered_on_spot": 5,
        "on_spot_share": round(5 / 12, 4),
        "imported_raised": 10,
        "imported_on_spot": 4,
    }


def test_invitations_and_notices_on_time_use_the_rule_in_force(world):
    ok = held(world.ward_a, datetime.date(Y, 3, 10), invitation_sent_on=datetime.date(Y, 3, 3))  # 7 days
    held(world.ward_a, datetime.date(Y, 4, 10), invitation_sent_on=datetime.date(Y, 4, 5))  # 5 days: late
    held(world.ward_a, datetime.date(Y, 5, 10))  # no invitation recorded
    scope = stats.Scope.for_unit(world.ward_a, START, END)
    assert stats.invitations_on_time(scope) == {"held": 3, "on_time": 1, "share": round(1 / 3, 4)}
    # A longer lead time for wards from April: the April conference is still late, March unchanged.
    Rule.objects.create(
        key=RuleKey.INVITATION_LEAD_DAYS, level=UnitLevel.COMMUNE, value=3, valid_from=datetime.date(Y, 4, 1)
    )
    assert stats.invitations_on_time(scope)["on_time"] == 2

    f.NoticeFactory(
        unit=world.ward_a,
        conference=ok,
        status=NoticeStatus.PUBLISHED,
        published_at=aware(datetime.date(Y, 3, 20)),
        due_on=datetime.date(Y, 3, 20),
    )
    notices = stats.notices_on_time(scope, today=datetime.date(Y, 12, 1))
    assert notices == {"held": 3, "due": 3, "published": 1, "on_time": 1, "without_notice": 2, "share": round(1 / 3, 4)}
    # On 15/5 the May conference's notice is not due yet (10 days): it does not count against the ward.
    assert stats.notices_on_time(scope, today=datetime.date(Y, 5, 15))["due"] == 2


def test_satisfaction_and_supervision(world):
    for verdict, rating in (("resolved", 5), ("resolved", 4), ("not_resolved", None)):
        f.PetitionFactory(unit=world.ward_a, verdict=verdict, rating=rating, verdict_at=aware(datetime.date(Y, 6, 1)))
    f.SupervisionFactory(unit=world.ward_a, finding="met", petition=f.PetitionFactory(unit=world.ward_a))
    scope = stats.Scope.for_unit(world.ward_a, START, END)
    result = stats.satisfaction(scope)
    assert result == {"verdicts": 3, "resolved": 2, "share_resolved": 0.6667, "rated": 2, "mean_rating": 4.5}
    assert stats.supervision_findings(stats.Scope.for_unit(world.ward_a, START, datetime.date(2099, 1, 1))) == {
        "total": 1,
        "met": 1,
        "not_met": 0,
    }


def test_required_periodic_conferences_follow_the_rule_and_prorate(world):
    held(world.ward_a, datetime.date(Y, 3, 1))
    scope = stats.Scope.for_unit(world.district, START, END)
    per_unit = stats.periodic_requirement(scope)
    assert per_unit[world.ward_a.pk] == {"required": 1, "held": 1, "met": True}
    assert per_unit[world.ward_b.pk] == {"required": 1, "held": 0, "met": False}
    Rule.objects.filter(key=RuleKey.MIN_PERIODIC_CONFERENCES, level=UnitLevel.COMMUNE).update(
        valid_to=datetime.date(Y - 1, 12, 31)
    )
    Rule.objects.create(
        key=RuleKey.MIN_PERIODIC_CONFERENCES, level=UnitLevel.COMMUNE, value=4, valid_from=datetime.date(Y, 1, 1)
    )
    assert stats.periodic_requirement(scope)[world.ward_a.pk]["required"] == 4
    # Ward A existed from 1/7/2025: half of 2025 requires round(1 × 184/365) = 1.
    half = stats.Scope.for_unit(world.district, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert stats.periodic_requirement(half)[world.ward_a.pk]["required"] == 1


# --- The holiday calendar ---------------------------------------------------------------------------
# The holidays of 2025–2027 (`rules.holidays_vn`): Tết Bính Ngọ keeps 14/2 – 22/2/2026 off and
# Saturday 10/1/2026 is a make-up working day.


@pytest.fixture
def holidays(db):
    # The data migration installs them; a database flushed by a transactional test must not decide these tests.
    install_holidays()


def test_working_days_to_answer_skip_tet_and_count_a_make_up_saturday(world, holidays):
    def answered(received, answered_on):
        f.PetitionFactory(
            unit=world.ward_a,
            submitted_at=aware(received),
            status=PetitionStatus.ANSWERED,
            due_on=answered_on,
            answered_on=answered_on,
        )

    answered(datetime.date(Y, 2, 13), datetime.date(Y, 2, 23))  # Friday before Tết → Monday after: 1
    answered(datetime.date(Y, 1, 9), datetime.date(Y, 1, 12))  # Friday → Monday over the worked Saturday: 2
    scope = stats.Scope.for_unit(world.ward_a, START, END)
    assert stats.average_days_to_answer(scope) == {"answered": 2, "average_working_days": 1.5}


def test_the_workload_counts_due_soon_over_three_working_days_across_tet(world, holidays):
    for due in (datetime.date(Y, 2, 25), datetime.date(Y, 2, 26)):
        f.PetitionFactory(unit=world.ward_a, status=PetitionStatus.IN_PROGRESS, due_on=due)
    petitions = Petition.objects.filter(unit=world.ward_a)
    workload = stats.petition_workload(petitions, user=world.alice, today=datetime.date(Y, 2, 13))
    assert (workload["due_soon"], workload["open"]) == (1, 2)  # 23, 24, 25/2; not 26/2
