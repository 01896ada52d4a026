"""Opinions raised at a held conference (each a petition) and its conclusions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conferences.models import ConclusionItem
from petitions.models import Channel, Petition, PetitionStatus
from tests import factories as f


def url(name, *args):
    return reverse(f"conferences:{name}", args=args)


def opinion(world, **extra):
    return {
        "kind": "kien_nghi",
        "category": world.category.pk,
        "title": "Đèn ngõ 12 hỏng",
        "content": "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng.",
        "petitioner_name": "",
        "petitioner_phone": "",
        "answer_on_spot": "",
        **extra,
    }


def test_alice_records_opinions_in_a_row(world, login, held_a):
    c = login(world.alice)
    response = c.post(url("opinions", held_a.pk), opinion(world, kind="phan_anh"))
    assert response.status_code == 302 and response.url.startswith(url("opinions", held_a.pk) + "?")
    form = c.get(response.url).context["form"]  # kind and category are kept for the next one
    assert (form.initial["kind"], form.initial["category"]) == ("phan_anh", world.category.pk)
    response = c.post(
        url("opinions", held_a.pk),
        opinion(
            world,
            title="Rác tồn đọng",
            petitioner_name="Trần Văn Bình",
            petitioner_phone="0912 345 678",
            answer_on_spot="Phường sẽ thu gom trong tuần.",
        ),
        follow=True,
    )
    first, second = Petition.objects.order_by("pk")
    assert (first.channel, first.conference, first.status) == (Channel.CONFERENCE, held_a, PetitionStatus.ACCEPTED)
    assert second.status == PetitionStatus.ANSWERED_ON_SPOT and str(second.petitioner_phone) == "0912 345 678"
    assert response.context["form"].is_bound is False  # the form is cleared for the next one
    html = response.content.decode()
    assert "Rác tồn đọng" in html and "Đèn ngõ 12 hỏng" in html and "Trần Văn Bình" in html
    actions = AuditEvent.objects.filter(object_id__in=[first.pk, second.pk]).values_list("action", "ip_address")
    assert ("raised_at_conference", "127.0.0.1") in actions and ("answered_on_spot", "127.0.0.1") in actions


def test_petition_rows_link_to_the_petition_page(world, login, held_a):
    petition = f.PetitionFactory(unit=world.ward_a, conference=held_a, channel=Channel.CONFERENCE)
    html = login(world.alice).get(url("opinions", held_a.pk)).content.decode()
    assert f"/portal/petitions/{petition.pk}/" in html


def test_bad_opinion_keeps_the_input(world, login, held_a):
    response = login(world.alice).post(
        url("opinions", held_a.pk), opinion(world, title="", content="Nội dung giữ lại", petitioner_phone="12")
    )
    assert response.status_code == 200
    assert {"title", "petitioner_phone"} <= set(response.context["form"].errors)
    assert "Nội dung giữ lại" in response.content.decode()
    assert not Petition.objects.exists()


def test_opinions_need_a_held_conference(world, login, conference_a):
    c = login(world.alice)
    response = c.get(url("opinions", conference_a.pk))
    assert response.context["can_record"] is False
    response = c.post(url("opinions", conference_a.pk), opinion(world, title="Giữ lại"))
    assert response.status_code == 200 and [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "Giữ lại" in response.content.decode()
    assert not Petition.objects.exists()


def test_front_supervisor_sees_opinions_but_cannot_record_nor_see_names(world, login, held_a):
    f.PetitionFactory(unit=world.ward_a, conference=held_a, petitioner_name="Nguyễn Thị Hoa")
    c = login(world.fiona)
    response = c.get(url("opinions", held_a.pk))
    assert response.status_code == 200 and response.context["can_record"] is False
    assert "Nguyễn Thị Hoa" not in response.content.decode()
    assert c.post(url("opinions", held_a.pk), opinion(world)).status_code == 403
    assert Petition.objects.count() == 1


def test_bob_gets_404_and_ward_a_opinions_never_show(world, login, held_a, held_b):
    f.PetitionFactory(unit=world.ward_a, conference=held_a, title="Ý kiến phường An")
    c = login(world.bob)
    assert c.get(url("opinions", held_a.pk)).status_code == 404
    assert c.post(url("opinions", held_a.pk), opinion(world)).status_code == 404
    assert "Ý kiến phường An" not in c.get(url("opinions", held_b.pk)).content.decode()


def test_alice_adds_a_conclusion_linked_to_petitions(world, login, held_a):
    mine = f.PetitionFactory(unit=world.ward_a, conference=held_a)
    c = login(world.alice)
    form = c.get(url("conclusions", held_a.pk)).context["form"]
    assert list(form.fields["petitions"].queryset) == [mine]
    assert world.land_a in form.fields["assignee"].queryset
    assert world.land_b not in form.fields["assignee"].queryset
    data = {
        "text": "Giao Phòng KT-HT sửa đèn",
        "assignee": world.land_a.pk,
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        "petitions": [mine.pk],
    }
    response = c.post(url("conclusions", held_a.pk), data)
    assert response.status_code == 302
    item = ConclusionItem.objects.get()
    assert (item.number, item.assignee, list(item.petitions.all())) == (1, world.land_a, [mine])
    assert AuditEvent.objects.for_object(held_a).get().ip_address == "127.0.0.1"


def test_conclusion_refuses_other_units_assignee_and_petitions(world, login, held_a, held_b):
    foreign = f.PetitionFactory(unit=world.ward_b, conference=held_b)
    data = {"text": "Giữ nội dung", "assignee": world.land_b.pk, "petitions": [foreign.pk]}
    response = login(world.alice).post(url("conclusions", held_a.pk), data)
    assert response.status_code == 200
    assert {"assignee", "petitions"} <= set(response.context["form"].errors)
    assert "Giữ nội dung" in response.content.decode()
    assert not ConclusionItem.objects.exists()


@pytest.mark.parametrize("user", ["bob", "stranger"])
def test_others_get_404_on_conclusions(world, login, held_a, user):
    c = login(getattr(world, user))
    assert c.get(url("conclusions", held_a.pk)).status_code == 404
    assert c.post(url("conclusions", held_a.pk), {"text": "x"}).status_code == 404
    assert not ConclusionItem.objects.exists()
