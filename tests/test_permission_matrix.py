"""The permission matrix, pinned by hand and checked cell by cell.

`EXPECTED` is written out here, not imported: it is the table of the product brief (§2). Each
write action is then performed through its service by every persona of the fixed cast, on a
record of ward A (alice's, chris's and hana's own unit; below sam and fiona; unrelated to bob)
and on a record of the district (sam's and fiona's own unit; above the ward's people), and a
sample of the actions is posted over HTTP. A refusal is `ActionNotAllowed` (a PermissionDenied:
403); a permitted actor's call succeeds.
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conferences import services as conf
from conferences.models import ConferenceStatus, MinutesStatus, PlanStatus
from followup import services as follow
from petitions import services as pet
from petitions.models import Channel, PetitionKind, PetitionStatus, RejectionReason
from reports import services as reports
from tests import factories as f
from units import access
from units.access import ActionNotAllowed
from units.models import Role, UnitSuccession

pytestmark = pytest.mark.django_db

# fmt: off
EXPECTED_TABLE = """
action                      unit_official  chair   handling_officer  supervisor  front_supervisor
plan.view                   own            own     own               below       below
plan.create                 own            own     never             never       never
plan.edit                   own            own     never             never       never
plan.submit                 own            own     never             never       never
plan.approve                never          own     never             never       never
plan.return                 never          own     never             never       never
plan.start                  own            own     never             never       never
plan.complete               own            own     never             never       never
conference.view             own            own     own               below       below
conference.schedule         own            own     never             never       never
conference.edit             own            own     never             never       never
conference.announce         own            own     never             never       never
conference.postpone         own            own     never             never       never
conference.reschedule       own            own     never             never       never
conference.cancel           own            own     never             never       never
conference.record_held      own            own     never             never       never
conference.conclude         own            own     never             never       never
conference.close            own            own     never             never       never
minutes.edit                own            own     never             never       never
minutes.approve             never          own     never             never       never
opinion.record              own            own     never             never       never
conclusion.add              own            own     never             never       never
conclusion.edit             own            own     never             never       never
conclusion.mark_done        own            own     never             never       never
attachment.add              own            own     never             never       never
attachment.remove           own            own     never             never       never
petition.view               own            own     own+assigned      below       below
petition.view_contacts      own            own     assigned          never       never
petition.record             own            own     never             never       never
petition.edit               own            own     never             never       never
petition.accept             own            own     never             never       never
petition.reject             own            own     never             never       never
petition.merge              own            own     never             never       never
petition.assign             own            own     never             never       never
petition.transfer           own            own     never             never       never
petition.extend             own            own     never             never       never
petition.extend_after_due   never          own     never             never       never
petition.answer             own            own     assigned          never       never
petition.resolve            own            own     never             never       never
petition.reopen             own            own     never             never       never
petition.anonymise          never          never   never             never       never
petition.transfer_unit      never          never   never             below       never
notice.view                 own            own     own               below       below
notice.draft                own            own     never             never       never
notice.edit                 own            own     never             never       never
notice.approve              never          own     never             never       never
notice.return               never          own     never             never       never
notice.publish              never          own     never             never       never
notice.record_posting       own            own     never             never       never
supervision.view            own            own     own               below       below
supervision.record          never          never   never             below       below
supervision.recheck         never          never   never             below       below
commendation.record         never          never   never             below       never
compliance.view             own            own     own               below       below
report.build                own            own     own               below       below
"""
# fmt: on


def _parse(table: str) -> dict[str, dict[str, str]]:
    lines = [line.split() for line in table.strip().splitlines()]
    roles = lines[0][1:]
    return {row[0]: dict(zip(roles, row[1:], strict=True)) for row in lines[1:]}


EXPECTED = _parse(EXPECTED_TABLE)
PERSONAS = {"alice": Role.UNIT_OFFICIAL, "chris": Role.CHAIR, "hana": Role.HANDLING_OFFICER}
CAST = ["alice", "bob", "sam", "fiona", "hana", "chris", "stranger"]
# Where each persona stands towards ward A and towards the district.
RELATION = {
    "ward_a": {"alice": "own", "chris": "own", "hana": "own", "sam": "below", "fiona": "below"},
    "district": {"sam": "own", "fiona": "own"},
}
ROLE_OF = {
    "alice": "unit_official",
    "bob": "unit_official",
    "chris": "chair",
    "hana": "handling_officer",
    "sam": "supervisor",
    "fiona": "front_supervisor",
}


def expected_allowed(action: str, persona: str, where: str, *, assigned: bool = False) -> bool:
    """Read the hand-written table: may `persona` do `action` on a record of `where`?"""
    role = ROLE_OF.get(persona)
    if role is None:
        return False
    cell = set(EXPECTED[action][role].split("+"))
    relation = RELATION[where].get(persona)
    if relation == "own" and cell & {"own", "below"}:
        return True
    if relation == "below" and "below" in cell:
        return True
    return assigned and "assigned" in cell


# --- 1. The module holds exactly the table above --------------------------------------------------


def test_the_matrix_has_exactly_the_expected_actions():
    assert set(access.MATRIX) == set(EXPECTED)
    assert set(access.ACTION_LABELS) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_cell_of_the_matrix_is_as_expected(action):
    names = {access.NEVER: "never", access.OWN: "own", access.BELOW: "below", access.ASSIGNED: "assigned"}
    for role in access.ROLES:
        cell = access.reach(role, action)
        written = "+".join(names[flag] for flag in (access.OWN, access.BELOW, access.ASSIGNED) if flag in cell)
        assert (written or "never") == EXPECTED[action][role], (action, role)


def test_no_supervisor_or_front_supervisor_writes_a_units_records():
    """The brief's rule in one line: above a unit, one reads, supervises, scores and reports."""
    allowed_above = {"supervision.record", "supervision.recheck", "commendation.record", "report.build"}
    allowed_above |= {"petition.transfer_unit"}
    for action, row in EXPECTED.items():
        if action.endswith(".view") or action in allowed_above:
            continue
        assert row["supervisor"] == row["front_supervisor"] == "never", action


# --- 2. Every write action through its service -----------------------------------------------------


@pytest.fixture
def cast(world):
    world.root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    world.district_office = f.OrganisationFactory(unit=world.district, name="Phòng Tài nguyên quận")
    world.land_a2 = f.OrganisationFactory(unit=world.ward_a, name="Ban Quản lý dự án phường An")
    return world


def _now():
    return timezone.now()


def _today():
    return timezone.localdate()


def _office(w, unit):
    return w.land_a if unit == w.ward_a else w.district_office


def _plan(w, unit, status=PlanStatus.DRAFT):
    plan = f.PlanFactory(unit=unit, status=status)
    f.PlanItemFactory(plan=plan)
    return plan


def _conference(w, unit, status=ConferenceStatus.PLANNED, **fields):
    return f.ConferenceFactory(unit=unit, status=status, **fields)


def _held(w, unit, status=ConferenceStatus.HELD, **fields):
    fields.setdefault("minutes_status", MinutesStatus.DRAFT)
    return _conference(
        w,
        unit,
        status,
        held_on=_today() - datetime.timedelta(days=2),
        planned_start=_now() - datetime.timedelta(days=2),
        **fields,
    )


def _petition(w, unit, status=PetitionStatus.SUBMITTED, **fields):
    return f.PetitionFactory(unit=unit, category=w.category, status=status, **fields)


def _accepted(w, unit):
    return _petition(w, unit, PetitionStatus.ACCEPTED, accepted_at=_now())


def _assigned(w, unit):
    return pet.assign_petition(petition=_accepted(w, unit), organisation=_office(w, unit), by=w.root)


def _answered(w, unit):
    petition = _assigned(w, unit)
    pet.answer_petition(petition=petition, text="Đã sửa.", document_number="12/UBND", document_date=_today(), by=w.root)
    return petition


def _notice(w, unit, status="draft", **fields):
    conference = _held(w, unit)
    return f.NoticeFactory(
        unit=unit, conference=conference, status=status, number="01/TB", issued_on=_today(), **fields
    )


def _successor(old, new):
    """Record that `new` succeeded `old` (an open petition moves only to a successor)."""
    UnitSuccession.objects.create(predecessor=old, successor=new, effective_on=datetime.date(2025, 7, 1))
    return new


def _pdf():
    return SimpleUploadedFile("giay-moi.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


# action → build(w, unit) returning call(by): the service call a permitted actor can make.
SCENARIOS = {
    "plan.create": lambda w, u: lambda by: conf.create_plan(unit=u, year=2027, title="Kế hoạch 2027", by=by),
    "plan.edit": lambda w, u: (
        lambda plan: lambda by: conf.add_plan_item(plan=plan, by=by, topic="Chủ đề", format="thematic", quarter=3)
    )(_plan(w, u)),
    "plan.submit": lambda w, u: (lambda plan: lambda by: conf.submit_plan(plan=plan, by=by))(_plan(w, u)),
    "plan.approve": lambda w, u: (lambda plan: lambda by: conf.approve_plan(plan=plan, by=by))(
        _plan(w, u, PlanStatus.SUBMITTED)
    ),
    "plan.return": lambda w, u: (lambda plan: lambda by: conf.return_plan_to_draft(plan=plan, by=by))(
        _plan(w, u, PlanStatus.SUBMITTED)
    ),
    "plan.start": lambda w, u: (lambda plan: lambda by: conf.start_plan(plan=plan, by=by))(
        _plan(w, u, PlanStatus.APPROVED)
    ),
    "plan.complete": lambda w, u: (lambda plan: lambda by: conf.complete_plan(plan=plan, by=by))(
        _plan(w, u, PlanStatus.IN_PROGRESS)
    ),
    "conference.schedule": lambda w, u: (
        lambda by: conf.schedule_conference(
            unit=u,
            kind="adhoc",
            format="thematic",
            title="Đối thoại chuyên đề",
            planned_start=_now() + datetime.timedelta(days=20),
            by=by,
        )
    ),
    "conference.edit": lambda w, u: (lambda c: lambda by: conf.update_conference(conference=c, title="Mới", by=by))(
        _conference(w, u)
    ),
    "conference.announce": lambda w, u: (
        lambda c: lambda by: conf.announce_conference(conference=c, invitation_sent_on=_today(), by=by)
    )(_conference(w, u)),
    "conference.postpone": lambda w, u: (
        lambda c: lambda by: conf.postpone_conference(conference=c, reason="Mưa bão", by=by)
    )(_conference(w, u)),
    "conference.reschedule": lambda w, u: (
        lambda c: (
            lambda by: conf.reschedule_conference(
                conference=c, planned_start=_now() + datetime.timedelta(days=30), by=by
            )
        )
    )(_conference(w, u, ConferenceStatus.POSTPONED)),
    "conference.cancel": lambda w, u: (
        lambda c: lambda by: conf.cancel_conference(conference=c, reason="Trùng lịch", by=by)
    )(_conference(w, u)),
    "conference.record_held": lambda w, u: (
        lambda c: lambda by: conf.record_conference_held(conference=c, held_on=_today(), attendance=80, by=by)
    )(_conference(w, u, ConferenceStatus.ANNOUNCED, planned_start=_now() - datetime.timedelta(hours=3))),
    "conference.conclude": lambda w, u: (lambda c: lambda by: conf.mark_conference_concluded(conference=c, by=by))(
        _held(w, u)
    ),
    "conference.close": lambda w, u: (lambda c: lambda by: conf.close_conference(conference=c, by=by))(
        _held(w, u, status=ConferenceStatus.CONCLUDED)
    ),
    "minutes.edit": lambda w, u: (lambda c: lambda by: conf.update_minutes(conference=c, text="Biên bản", by=by))(
        _held(w, u)
    ),
    "minutes.approve": lambda w, u: (
        lambda c: lambda by: conf.set_minutes_status(conference=c, status=MinutesStatus.APPROVED, by=by)
    )(_held(w, u)),
    "opinion.record": lambda w, u: (
        lambda c: (
            lambda by: pet.record_conference_opinion(
                conference=c, kind=PetitionKind.RECOMMENDATION, category=w.category, title="Ý kiến", content="…", by=by
            )
        )
    )(_held(w, u)),
    "conclusion.add": lambda w, u: (lambda c: lambda by: conf.add_conclusion_item(conference=c, text="Giao…", by=by))(
        _held(w, u)
    ),
    "conclusion.mark_done": lambda w, u: (lambda item: lambda by: conf.mark_conclusion_done(item=item, by=by))(
        f.ConclusionItemFactory(conference=_held(w, u))
    ),
    "attachment.add": lambda w, u: (
        lambda c: lambda by: conf.add_attachment(conference=c, title="Giấy mời", file=_pdf(), by=by)
    )(_conference(w, u)),
    "petition.record": lambda w, u: (
        lambda by: pet.submit_petition(
            unit=u,
            kind=PetitionKind.REPORT,
            category=w.category,
            title="Phản ánh qua đường bưu điện",
            content="…",
            channel=Channel.MAIL,
            consent=True,
            by=by,
        )
    ),
    "petition.edit": lambda w, u: (lambda p: lambda by: pet.update_petition(petition=p, title="Tiêu đề mới", by=by))(
        _petition(w, u)
    ),
    "petition.accept": lambda w, u: (lambda p: lambda by: pet.accept_petition(petition=p, by=by))(_petition(w, u)),
    "petition.reject": lambda w, u: (
        lambda p: lambda by: pet.reject_petition(petition=p, reason=RejectionReason.UNCLEAR, note="Chưa rõ", by=by)
    )(_petition(w, u)),
    "petition.merge": lambda w, u: (lambda p, into: lambda by: pet.merge_petition(petition=p, into=into, by=by))(
        _petition(w, u), _petition(w, u)
    ),
    "petition.assign": lambda w, u: (
        lambda p: lambda by: pet.assign_petition(petition=p, organisation=_office(w, u), by=by)
    )(_accepted(w, u)),
    "petition.transfer": lambda w, u: (
        lambda p: (
            lambda by: pet.transfer_petition(
                petition=p,
                organisation=w.land_a2 if u == w.ward_a else w.district_office,
                note="Đúng thẩm quyền",
                by=by,
            )
        )
    )(_assigned(w, u)),
    "petition.extend": lambda w, u: (
        lambda p: (
            lambda by: pet.extend_deadline(
                petition=p, new_due_on=p.due_on + datetime.timedelta(days=10), reason="Cần xác minh", by=by
            )
        )
    )(_assigned(w, u)),
    "petition.answer": lambda w, u: (
        lambda p: (
            lambda by: pet.answer_petition(
                petition=p, text="Đã xử lý.", document_number="15/UBND", document_date=_today(), by=by
            )
        )
    )(_assigned(w, u)),
    "petition.resolve": lambda w, u: (lambda p: lambda by: pet.mark_resolved(petition=p, by=by))(_answered(w, u)),
    "petition.reopen": lambda w, u: (
        lambda p: lambda by: pet.reopen_petition(petition=p, reason="Chưa giải quyết", by=by)
    )(_answered(w, u)),
    "petition.anonymise": lambda w, u: (lambda p: lambda by: pet.anonymise_petitioner(petition=p, by=by))(
        _petition(w, u)
    ),
    "petition.transfer_unit": lambda w, u: (
        lambda new, _open: lambda by: pet.transfer_open_petitions(old_unit=u, new_unit=new, by=by)
    )(_successor(u, w.ward_b if u == w.ward_a else w.ward_a), _accepted(w, u)),
    "notice.draft": lambda w, u: (lambda c: lambda by: follow.draft_notice_from_conference(conference=c, by=by))(
        _held(w, u)
    ),
    "notice.edit": lambda w, u: (
        lambda n: lambda by: follow.update_notice(notice=n, title="Thông báo", text="Nội dung", by=by)
    )(_notice(w, u)),
    "notice.approve": lambda w, u: (lambda n: lambda by: follow.approve_notice(notice=n, by=by))(_notice(w, u)),
    "notice.return": lambda w, u: (lambda n: lambda by: follow.return_notice_to_draft(notice=n, by=by))(
        _notice(w, u, "approved")
    ),
    "notice.publish": lambda w, u: (lambda n: lambda by: follow.publish_notice(notice=n, by=by))(
        _notice(w, u, "approved")
    ),
    "notice.record_posting": lambda w, u: (
        lambda n: lambda by: follow.record_posting(notice=n, posted_at="Bảng tin", by=by)
    )(_notice(w, u, "published", published_at=_now())),
    "supervision.record": lambda w, u: (
        lambda item: (
            lambda by: follow.record_supervision(unit=u, by=by, subject="Giám sát", finding="met", conclusion_item=item)
        )
    )(f.ConclusionItemFactory(conference=_held(w, u))),
    "supervision.recheck": lambda w, u: (lambda s: lambda by: follow.mark_rechecked(supervision=s, by=by))(
        f.SupervisionFactory(unit=u, petition=_petition(w, u), recheck_on=_today())
    ),
    "commendation.record": lambda w, u: (
        lambda by: follow.record_commendation(
            unit=u, kind="collective", recipient="UBND phường", reason="Đối thoại đủ", year=2026, by=by
        )
    ),
    "report.build": lambda w, u: (
        lambda by: reports.request_report(
            unit=u, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 6, 30), format="csv", by=by
        )
    ),
}
# Actions whose service belongs to another change (corrections of conclusions and attachments,
# extensions after the due date): their cells are pinned above; their services ask the matrix.
NO_SERVICE_YET = {"conclusion.edit", "attachment.remove", "petition.extend_after_due"}
WRITE_ACTIONS = sorted(a for a in EXPECTED if not a.endswith(".view") and a not in {"petition.view_contacts"})


def test_every_write_action_has_a_scenario():
    assert set(WRITE_ACTIONS) - NO_SERVICE_YET == set(SCENARIOS)


class _Rollback(Exception):
    pass


def _outcome(build, w, unit, user) -> bool | str:
    """Build the scenario and call it as `user` in a savepoint that is always rolled back.

    Return True (done), False (refused by the matrix) or the text of any other error.
    """
    result: bool | str = "not run"
    try:
        with transaction.atomic():
            call = build(w, unit)
            try:
                call(user)
                result = True
            except ActionNotAllowed:
                result = False
            except Exception as exc:  # noqa: BLE001 - reported as a mismatch below
                result = f"{type(exc).__name__}: {exc}"
            raise _Rollback
    except _Rollback:
        pass
    return result


@pytest.mark.parametrize("action", sorted(SCENARIOS))
def test_each_cell_through_the_service(cast, action):
    mismatches = []
    for where in ("ward_a", "district"):
        unit = getattr(cast, where)
        for persona in CAST:
            user = getattr(cast, persona)
            # A ward A petition is assigned to ward A's land office, where hana works.
            assigned = persona == "hana" and where == "ward_a" and action.startswith("petition.")
            want = expected_allowed(action, persona, where, assigned=assigned)
            got = _outcome(SCENARIOS[action], cast, unit, user)
            if got is not want:
                mismatches.append(f"{persona} on {where}: expected {want}, got {got}")
        # An administrator may do everything.
        got = _outcome(SCENARIOS[action], cast, unit, cast.root)
        if got is not True:
            mismatches.append(f"root on {where}: {got}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("action", ["petition.answer", "petition.accept"])
def test_assigned_is_a_condition_of_its_own(cast, action):
    """Hana answers what is assigned to her office, not every petition of her ward."""
    elsewhere = pet.assign_petition(petition=_accepted(cast, cast.ward_a), organisation=cast.land_a2, by=cast.root)
    mine = _assigned(cast, cast.ward_a)
    assert not access.allowed(cast.hana, action, obj=elsewhere)
    assert access.allowed(cast.hana, action, obj=mine) is (action == "petition.answer")


def test_a_service_refuses_no_actor_unless_the_citizen_path_says_so(cast):
    conference = _conference(cast, cast.ward_a)
    with pytest.raises(ActionNotAllowed):
        conf.cancel_conference(conference=conference, reason="x", by=None)
    # The citizens' portal submits without an actor, explicitly.
    petition = pet.submit_petition(
        unit=cast.ward_a, kind=PetitionKind.REPORT, category=cast.category, title="x", content="y", consent=True
    )
    assert petition.pk


def test_the_refusal_is_a_403_with_a_translatable_message(cast):
    conference = _conference(cast, cast.ward_a)
    with pytest.raises(ActionNotAllowed) as refused:
        conf.cancel_conference(conference=conference, reason="x", by=cast.sam)
    assert isinstance(refused.value, access.PermissionDenied)
    assert str(refused.value) == "You may not cancel a conference of Phường An."


# --- 3. Reads: what each persona opens -------------------------------------------------------------


READ_PAGES = {
    "plan.view": lambda w, u: reverse("conferences:plan_detail", args=[_plan(w, u).pk]),
    "conference.view": lambda w, u: reverse("conferences:conference_detail", args=[_conference(w, u).pk]),
    "petition.view": lambda w, u: reverse("petitions:petition_detail", args=[_petition(w, u).pk]),
    "notice.view": lambda w, u: reverse("followup:notice_detail", args=[_notice(w, u).pk]),
}


@pytest.mark.parametrize("action", sorted(READ_PAGES))
def test_each_read_cell_over_http(client, cast, action):
    mismatches = []
    for where in ("ward_a", "district"):
        path = READ_PAGES[action](cast, getattr(cast, where))
        for persona in CAST:
            client.force_login(getattr(cast, persona))
            status = client.get(path).status_code
            want = expected_allowed(action, persona, where)
            if (status == 200) is not want or status not in (200, 404):
                mismatches.append(f"{persona} on {where}: expected {'200' if want else '404'}, got {status}")
    assert not mismatches, "\n".join(mismatches)


def test_contacts_are_shown_only_to_those_who_handle_the_petition(cast):
    petition = _assigned(cast, cast.ward_a)
    who = {name for name in CAST if access.allowed(getattr(cast, name), "petition.view_contacts", obj=petition)}
    assert who == {"alice", "chris", "hana"}


# --- 4. Writes over HTTP: the action URLs answer 403/404 to a forbidden persona --------------------

HTTP_ACTIONS = {
    # action: (url name, build the object, POST data, status of the object once done)
    "conference.cancel": (
        "conferences:conference_cancel",
        lambda w: _conference(w, w.ward_a),
        {"reason": "Trùng lịch"},
        lambda obj: obj.status == ConferenceStatus.CANCELLED,
    ),
    "conference.postpone": (
        "conferences:conference_postpone",
        lambda w: _conference(w, w.ward_a),
        {"reason": "Mưa bão"},
        lambda obj: obj.status == ConferenceStatus.POSTPONED,
    ),
    "minutes.approve": (
        "conferences:minutes_approve",
        lambda w: _held(w, w.ward_a),
        {},
        lambda obj: obj.minutes_status == MinutesStatus.APPROVED,
    ),
    "plan.approve": (
        "conferences:plan_approve",
        lambda w: _plan(w, w.ward_a, PlanStatus.SUBMITTED),
        {},
        lambda obj: obj.status == PlanStatus.APPROVED,
    ),
    "notice.approve": (
        "followup:notice_approve",
        lambda w: _notice(w, w.ward_a),
        {},
        lambda obj: obj.status == "approved",
    ),
    "notice.publish": (
        "followup:notice_publish",
        lambda w: _notice(w, w.ward_a, "approved"),
        {},
        lambda obj: obj.status == "published",
    ),
    "petition.accept": (
        "petitions:petition_accept",
        lambda w: _petition(w, w.ward_a),
        {},
        lambda obj: obj.status == PetitionStatus.ACCEPTED,
    ),
}


@pytest.mark.parametrize("action", sorted(HTTP_ACTIONS))
@pytest.mark.parametrize("persona", CAST)
def test_each_action_url_follows_the_matrix(client, cast, action, persona):
    name, build, data, done = HTTP_ACTIONS[action]
    obj = build(cast)
    client.force_login(getattr(cast, persona))
    response = client.post(reverse(name, args=[obj.pk]), data)
    obj.refresh_from_db()
    if expected_allowed(action, persona, "ward_a"):
        assert response.status_code == 302 and done(obj)
    else:
        assert response.status_code in (403, 404) and not done(obj)
        # Those who can see the record get 403; the others do not learn it exists.
        sees = expected_allowed(action.split(".")[0].replace("minutes", "conference") + ".view", persona, "ward_a")
        assert response.status_code == (403 if sees else 404)


def test_the_supervisor_sees_no_cancel_or_approve_buttons(client, cast):
    conference = _held(cast, cast.ward_a)
    plan = _plan(cast, cast.ward_a, PlanStatus.SUBMITTED)
    notice = _notice(cast, cast.ward_a)
    client.force_login(cast.sam)
    pages = [
        client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode(),
        client.get(reverse("conferences:plan_detail", args=[plan.pk])).content.decode(),
        client.get(reverse("followup:notice_detail", args=[notice.pk])).content.decode(),
    ]
    for forbidden in (
        reverse("conferences:conference_cancel", args=[conference.pk]),
        reverse("conferences:minutes_approve", args=[conference.pk]),
        reverse("conferences:plan_approve", args=[plan.pk]),
        reverse("conferences:plan_return", args=[plan.pk]),
        reverse("followup:notice_approve", args=[notice.pk]),
    ):
        assert not any(forbidden in page for page in pages), forbidden


# --- 5. The documentation shows this matrix ---------------------------------------------------------


def test_docs_permissions_md_matches_the_matrix():
    from django.core.management import call_command

    call_command("permissions_doc", "--check")  # CommandError when docs/permissions.md is out of date
    text = (settings.BASE_DIR / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert "| Hủy hội nghị (`conference.cancel`) | đơn vị mình | đơn vị mình | — | — | — |" in text
    assert "| Cancel a conference (`conference.cancel`) | own unit | own unit | — | — | — |" in text
