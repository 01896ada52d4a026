"""Wards in Vietnamese alphabetical order: Đ after D, Ô and Ơ after O, tones only break ties."""

import datetime

from django.urls import reverse

from tests import factories as f
from units.collation import vietnamese_key
from units.models import UnitSuccession


def test_letters_with_marks_follow_their_base_letter():
    names = ["Xuân Đỉnh", "Ô Diên", "Đông Ngạc", "Oai", "Dương Nội", "Ơn", "An Khánh", "Ân Thi", "Ăn", "Ba Vì"]
    assert sorted(names, key=vietnamese_key) == [
        "An Khánh",
        "Ăn",
        "Ân Thi",
        "Ba Vì",
        "Dương Nội",
        "Đông Ngạc",
        "Oai",
        "Ô Diên",
        "Ơn",
        "Xuân Đỉnh",
    ]


def test_tones_only_break_ties_and_shorter_words_come_first():
    assert sorted(["Phúc Diễn", "Phú Diễn", "Phù Diễn", "Phu Diễn"], key=vietnamese_key) == [
        "Phu Diễn",
        "Phù Diễn",
        "Phú Diễn",
        "Phúc Diễn",
    ]
    assert sorted(["Cổ Nhuế 2", "Cổ Nhuế 1", "Co"], key=vietnamese_key) == ["Co", "Cổ Nhuế 1", "Cổ Nhuế 2"]


def test_decomposed_names_sort_like_composed_ones():
    import unicodedata

    assert vietnamese_key(unicodedata.normalize("NFD", "Đông Ngạc"))[:3] == vietnamese_key("Đông Ngạc")[:3]


def wards(*names):
    return [f.UnitFactory(name=name) for name in names]


def test_ward_choices_of_the_forms_are_in_vietnamese_order(client, world):
    wards("Ô Diên", "Đông Ngạc", "Oai", "Dương Nội", "Xuân Đỉnh")
    old = f.UnitFactory(name="Đức Thắng", valid_from=datetime.date(2008, 8, 1), valid_to=datetime.date(2025, 6, 30))
    expected_today = ["An", "Bình", "Dương Nội", "Đông Ngạc", "Oai", "Ô Diên", "Xuân Đỉnh"]

    def labels(response, form):
        field = response.context[form].fields["unit" if form == "form" else "ward"]
        return [value.instance.name for value, _label in field.choices if value]

    petition_form = client.get(reverse("citizens:petition_new"))
    assert labels(petition_form, "form") == expected_today
    home = client.get(reverse("citizens:home"))
    assert labels(home, "ward_form") == expected_today
    # The public lists' filter: today's wards first, then the abolished ones.
    notices = client.get(reverse("citizens:notice_list"))
    shown = labels(notices, "filter_form")
    assert shown[: len(expected_today)] == expected_today
    assert shown[len(expected_today)] == old.name
    body = petition_form.content.decode()
    assert body.index("Dương Nội<") < body.index("Đông Ngạc<") < body.index("Oai<") < body.index("Ô Diên<")


def test_old_ward_names_are_in_vietnamese_order(client, world):
    for name in ["Xuân Tảo", "Đức Thắng", "Đông Ngạc", "Cổ Nhuế 1", "Dịch Vọng"]:
        old = f.UnitFactory(name=name, valid_from=datetime.date(2008, 8, 1), valid_to=datetime.date(2025, 6, 30))
        UnitSuccession.objects.create(predecessor=old, successor=world.ward_a, effective_on=datetime.date(2025, 7, 1))
    rows = client.get(reverse("citizens:home")).context["old_names"]
    assert [row["old"].name for row in rows] == ["Cổ Nhuế 1", "Dịch Vọng", "Đông Ngạc", "Đức Thắng", "Xuân Tảo"]
