"""factory_boy factories and the fixed cast of personas (see tests/conftest.py)."""

import datetime
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from conferences.models import (
    ConclusionItem,
    Conference,
    ConferenceFormat,
    ConferenceKind,
    DialoguePlan,
    Document,
    DocumentType,
    PlanItem,
)
from followup.models import FollowUpNotice, Supervision
from petitions.codes import new_tracking_code
from petitions.models import Category, Channel, Petition, PetitionKind
from rules.models import Rule, RuleKey
from units.models import (
    AdministrativeUnit,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    UnitKind,
    UnitLevel,
)

User = get_user_model()
PASSWORD = "Mat-khau-2200!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password(PASSWORD)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    name = factory.Sequence(lambda n: f"Thử nghiệm {n}")
    level = UnitLevel.COMMUNE
    kind = UnitKind.WARD
    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    valid_from = datetime.date(2025, 7, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    unit = factory.SubFactory(UnitFactory)
    kind = OrganisationKind.HANDLING_UNIT
    name = factory.Sequence(lambda n: f"Phòng chuyên môn {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.UNIT_OFFICIAL


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "Trật tự xây dựng"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    doc_type = DocumentType.PLAN
    number = factory.Sequence(lambda n: f"{n}-KH/ĐU")
    issued_on = datetime.date(2026, 1, 10)
    issuer = "Đảng ủy phường"
    title = "Kế hoạch đối thoại năm 2026"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialoguePlan

    unit = factory.SubFactory(UnitFactory)
    year = 2026
    title = factory.LazyAttribute(lambda o: f"Kế hoạch đối thoại năm {o.year}")


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(PlanFactory)
    quarter = 2
    kind = ConferenceKind.PERIODIC
    format = ConferenceFormat.WORKING_SESSION_MTTQ
    topic = "Trật tự xây dựng và vệ sinh môi trường"


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    unit = factory.SubFactory(UnitFactory)
    kind = ConferenceKind.PERIODIC
    format = ConferenceFormat.WORKING_SESSION_MTTQ
    title = factory.Sequence(lambda n: f"Hội nghị đối thoại số {n}")
    venue = "Hội trường UBND phường"
    planned_start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class ConclusionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConclusionItem

    conference = factory.SubFactory(ConferenceFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Giao Phòng Quản lý đô thị kiểm tra, xử lý vi phạm trật tự xây dựng"
    deadline = datetime.date(2026, 12, 31)


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    tracking_code = factory.LazyFunction(new_tracking_code)
    unit = factory.SubFactory(UnitFactory)
    kind = PetitionKind.RECOMMENDATION
    category = factory.SubFactory(CategoryFactory)
    channel = Channel.ONLINE
    title = "Đề nghị sửa đèn chiếu sáng ngõ 12"
    content = "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng, đi lại buổi tối rất nguy hiểm."
    petitioner_name = "Nguyễn Thị Hoa"
    petitioner_phone = "+84912345678"
    petitioner_email = "hoa.nguyen@example.vn"
    consent_given_at = factory.LazyFunction(timezone.now)


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpNotice

    unit = factory.SubFactory(UnitFactory)
    title = "Thông báo kết luận hội nghị đối thoại"
    text = "Nội dung thông báo kết luận."


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    unit = factory.SubFactory(UnitFactory)
    subject = "Việc thực hiện kết luận hội nghị"
    finding = "met"


def install_default_rules():
    """Install the rules in force used by the tests (same values as the demo data)."""
    start = datetime.date(2017, 5, 25)
    values = {
        RuleKey.INVITATION_LEAD_DAYS: 7,
        RuleKey.NOTICE_DEADLINE_DAYS: 10,
        RuleKey.ACKNOWLEDGEMENT_WORKING_DAYS: 10,
        RuleKey.ANSWER_WORKING_DAYS: 30,
        RuleKey.OVERDUE_ESCALATION_WORKING_DAYS: 5,
        RuleKey.PLAN_APPROVAL_DEADLINE_DAY_OF_YEAR: 31,
    }
    for key, value in values.items():
        Rule.objects.get_or_create(key=key, level="", valid_from=start, defaults={"value": value})
    Rule.objects.get_or_create(
        key=RuleKey.MIN_PERIODIC_CONFERENCES, level=UnitLevel.COMMUNE, valid_from=start, defaults={"value": 1}
    )
    Rule.objects.get_or_create(
        key=RuleKey.MIN_PERIODIC_CONFERENCES, level=UnitLevel.DISTRICT, valid_from=start, defaults={"value": 1}
    )


def build_world():
    """Return the cast: Hà Nội › Quận X › wards A and B, each with a land office, and the personas."""
    install_default_rules()
    city = UnitFactory(
        name="Hà Nội", level=UnitLevel.CITY, kind=UnitKind.CITY, code="01", valid_from=datetime.date(2008, 8, 1)
    )
    district = UnitFactory(
        name="Quận Thử Nghiệm",
        level=UnitLevel.DISTRICT,
        kind=UnitKind.URBAN_DISTRICT,
        code="999",
        parent=city,
        valid_from=datetime.date(2013, 12, 27),
    )
    ward_a = UnitFactory(name="An", code="99901", parent=district)
    ward_b = UnitFactory(name="Bình", code="99902", parent=district)
    land_a = OrganisationFactory(unit=ward_a, name="Phòng Kinh tế - Hạ tầng phường An")
    land_b = OrganisationFactory(unit=ward_b, name="Phòng Kinh tế - Hạ tầng phường Bình")
    front = OrganisationFactory(unit=district, kind=OrganisationKind.FATHERLAND_FRONT, name="Ủy ban MTTQ quận")

    def person(username, unit, role, organisation=None, first_name=""):
        user = UserFactory(username=username, first_name=first_name, email=f"{username}@example.vn")
        MembershipFactory(user=user, unit=unit, role=role, organisation=organisation)
        return user

    return SimpleNamespace(
        city=city,
        district=district,
        ward_a=ward_a,
        ward_b=ward_b,
        land_a=land_a,
        land_b=land_b,
        front=front,
        alice=person("alice", ward_a, Role.UNIT_OFFICIAL, first_name="Alice"),
        bob=person("bob", ward_b, Role.UNIT_OFFICIAL, first_name="Bob"),
        sam=person("sam", district, Role.SUPERVISOR, first_name="Sam"),
        fiona=person("fiona", district, Role.FRONT_SUPERVISOR, organisation=front, first_name="Fiona"),
        hana=person("hana", ward_a, Role.HANDLING_OFFICER, organisation=land_a, first_name="Hana"),
        chris=person("chris", ward_a, Role.CHAIR, first_name="Chris"),
        stranger=UserFactory(username="stranger"),
        category=CategoryFactory(),
    )
