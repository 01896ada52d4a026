"""Admin search on petitions: the tracking code (whole, as typed, or its beginning) and the title."""

import pytest
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def petitions(world):
    return [
        f.PetitionFactory(unit=world.ward_a, category=world.category, tracking_code="7KQ2MX9D4T", title="Đèn ngõ 12"),
        f.PetitionFactory(unit=world.ward_a, category=world.category, tracking_code="7KQ3AAAAAA", title="Rác ngõ 5"),
        f.PetitionFactory(unit=world.ward_a, category=world.category, tracking_code="ABCDE12345", title="Ngập 7KQ"),
    ]


def _search(client, term):
    response = client.get(reverse("admin:petitions_petition_changelist"), {"q": term})
    assert response.status_code == 200
    return {p.tracking_code for p in response.context["cl"].result_list}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "term, found",
    [
        ("7KQ2M-X9D4T", {"7KQ2MX9D4T"}),
        ("7kq2m x9d4t", {"7KQ2MX9D4T"}),
        ("7KQ2MX9D4T", {"7KQ2MX9D4T"}),
        ("7KQ", {"7KQ2MX9D4T", "7KQ3AAAAAA"}),
        ("7kq2m", {"7KQ2MX9D4T"}),
        ("ngõ", {"7KQ2MX9D4T", "7KQ3AAAAAA"}),
        ("ZZZZ", set()),
    ],
)
def test_search_by_tracking_code_or_title(client, superuser, petitions, term, found):
    client.force_login(superuser)
    assert _search(client, term) == found
