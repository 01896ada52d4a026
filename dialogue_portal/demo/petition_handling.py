"""The demo's petitions: the shared answer templates, and the verbs for petitions — record an opinion
raised at a conference, receive one online or by another channel, accept, assign, transfer, extend,
answer, resolve, reject, carry over to a successor unit, and the citizen's verdict.

The services count three dates from the day they run (the acknowledgement deadline on receipt,
the answer deadline on acceptance, assignment and reopening, and the day of a written answer):
the verbs recount them from the simulated day with the same functions
(`acknowledgement_due_date`, `answer_due_date`), see `dialogue_portal.demo.clock`.
"""

import datetime

from django.contrib.auth import get_user_model

from audit.models import AuditEvent
from petitions import services as pet
from petitions.models import AnswerTemplate, Assignment, Category, Channel, Extension, Petition, PetitionKind

User = get_user_model()

ANSWER_TEMPLATES = [
    (
        "Đã tiếp nhận, đang xử lý",
        None,
        "Kính gửi ông/bà,\n\nỦy ban nhân dân phường đã tiếp nhận ý kiến, kiến nghị của ông/bà và đã giao cơ quan "
        "chuyên môn kiểm tra, xử lý. Kết quả sẽ được thông báo tới ông/bà trong thời hạn quy định.\n\nTrân trọng.",
    ),
    (
        "Đã giải quyết xong",
        None,
        "Kính gửi ông/bà,\n\nNội dung ông/bà phản ánh đã được cơ quan chức năng kiểm tra và giải quyết dứt điểm "
        "(kèm văn bản, hình ảnh minh chứng). Đề nghị ông/bà xác nhận kết quả trên Cổng đối thoại.\n\nTrân trọng.",
    ),
    (
        "Không thuộc thẩm quyền — hướng dẫn nơi gửi",
        None,
        "Kính gửi ông/bà,\n\nNội dung ông/bà gửi không thuộc thẩm quyền giải quyết của Ủy ban nhân dân phường. "
        "Đề nghị ông/bà gửi đơn tới cơ quan có thẩm quyền theo quy định của pháp luật về khiếu nại, tố cáo."
        "\n\nTrân trọng.",
    ),
]


def install_answer_templates() -> None:
    """Create the answer templates shared by every unit (by title: a re-run changes nothing)."""

    for title, unit, text in ANSWER_TEMPLATES:
        AnswerTemplate.objects.get_or_create(title=title, unit=unit, defaults={"text": text})


def _category(name: str) -> Category:
    category, _c = Category.objects.get_or_create(name=name, defaults={"order": 500})
    return category


def _recount_answer_deadline(petition_pk: int, day: datetime.date, *, assigned: bool = False) -> None:
    """Count the answer deadline that a service just counted from the real today from `day` instead."""
    petition = Petition.objects.select_related("unit").get(pk=petition_pk)
    counted_from_today = petition.due_on
    due = pet.answer_due_date(unit=petition.unit, start=day)
    fields = {"due_on": due}
    if petition.original_due_on == counted_from_today:
        fields["original_due_on"] = due
    Petition.objects.filter(pk=petition_pk).update(**fields)
    if assigned:
        assignment = Assignment.objects.filter(petition_id=petition_pk).latest("pk")
        Assignment.objects.filter(pk=assignment.pk).update(due_on=due)
        event = AuditEvent.objects.for_object(petition).filter(action__in=("assigned", "transferred")).latest("pk")
        AuditEvent.objects.filter(pk=event.pk).update(data={**event.data, "due_on": due.isoformat()})


class PetitionVerbs:
    """Mixed into `Story` (which provides `clock` and `petitioner()`)."""

    def opinion(self, c, category, title, content, *, by, kind=PetitionKind.RECOMMENDATION, on_spot=""):
        with self.clock.on(c.held_on, 10):
            return pet.record_conference_opinion(
                conference=c,
                kind=kind,
                category=_category(category),
                title=title,
                content=content,
                by=by,
                answer_on_spot=on_spot,
                **self.petitioner(),
            )

    def online(self, unit, day, category, title, content, *, kind=PetitionKind.REPORT, channel=Channel.ONLINE, by=None):
        with self.clock.on(day, 20 if channel == Channel.ONLINE else 9):
            petition = pet.submit_petition(
                unit=unit,
                kind=kind,
                category=_category(category),
                title=title,
                content=content,
                consent=True,
                channel=channel,
                by=by,
                location=unit.name,
                petitioner_email="",
                **self.petitioner(),
            )
        due = pet.acknowledgement_due_date(unit=unit, start=day)
        Petition.objects.filter(pk=petition.pk).update(acknowledgement_due_on=due, due_on=due)
        return petition

    def accept(self, p, day, *, by):
        with self.clock.on(day, 9):
            pet.accept_petition(petition=p, by=by)
        _recount_answer_deadline(p.pk, day)

    def assign(self, p, day, org, *, by, assignee=None, note="Đề nghị kiểm tra, trả lời công dân đúng hạn."):
        with self.clock.on(day, 10):
            pet.assign_petition(petition=p, organisation=org, by=by, assignee=assignee, note=note)
        _recount_answer_deadline(p.pk, day, assigned=True)

    def transfer(self, p, day, org, *, by, note):
        with self.clock.on(day, 10):
            pet.transfer_petition(petition=p, organisation=org, by=by, note=note)
        _recount_answer_deadline(p.pk, day, assigned=True)

    def extend(self, p, day, new_due, *, by, reason):
        """Extend `p`'s deadline on `day`, asked for by `by` before it passed.

        The service judges "asked for after the due date" against the real today, which lies past
        every deadline of the story; an extension the story asks for in time is therefore granted
        under the administrator's account and then given back to its real author, and it did not
        miss its deadline (the same recounting as the dates in `dialogue_portal.demo.clock`).
        """
        due = Petition.objects.values_list("due_on", flat=True).get(pk=p.pk)
        in_time = due is not None and day <= due
        actor = User.objects.filter(is_superuser=True).order_by("pk").first() if in_time else by
        with self.clock.on(day, 11):
            pet.extend_deadline(petition=p, new_due_on=new_due, reason=reason, by=actor)
        if in_time and actor != by:
            Extension.objects.filter(petition_id=p.pk, new_due_on=new_due).update(extended_by=by)
            Petition.objects.filter(pk=p.pk).update(missed_due_on=None)
            AuditEvent.objects.filter(
                content_type__model="petition", object_id=p.pk, action="extended", actor=actor
            ).update(actor=by)

    def answer(self, p, day, text, number, *, by):
        with self.clock.on(day, 14):
            answer = pet.answer_petition(petition=p, text=text, document_number=number, document_date=day, by=by)
        Petition.objects.filter(pk=p.pk).update(answered_on=day)
        return answer

    def resolve(self, p, day, *, by, note="Đã kiểm tra thực tế, công dân đồng ý."):
        with self.clock.on(day, 16):
            pet.mark_resolved(petition=p, by=by, note=note)

    def verdict(self, p, day, verdict, rating, comment=""):
        with self.clock.on(day, 19):
            pet.record_verdict(petition=p, verdict=verdict, rating=rating, comment=comment)
        if verdict == "not_resolved":  # the citizen's "not resolved" reopened it: a new answer deadline
            _recount_answer_deadline(p.pk, day)

    def reject(self, p, day, reason, *, by, note="", duplicate_of=None):
        with self.clock.on(day, 10):
            pet.reject_petition(petition=p, reason=reason, by=by, note=note, duplicate_of=duplicate_of)

    def carry_over(self, old_unit, new_unit, day, *, by):
        with self.clock.on(day, 8):
            pet.transfer_open_petitions(old_unit=old_unit, new_unit=new_unit, by=by)
