"""Fixtures of the open-data tests: a registered client application and an Open311 submission."""

import pytest

from opendata.services import issue_api_client

NAME_FIRST, NAME_LAST = "Hoa", "Nguyễn Thị"
PHONE = "0912 345 678"
EMAIL = "hoa.nguyen@example.vn"
ADDRESS = "Số 15 ngõ 12 phố Phú Diễn"
# Everything that identifies the petitioner, in the forms it could leak.
PERSONAL = ["Nguyễn Thị Hoa", "Nguyễn Thị", "0912345678", "912345678", "0912 345 678", EMAIL, ADDRESS]


@pytest.fixture
def api_key(world):
    _client, key = issue_api_client(name="Ứng dụng iHanoi", contact_email="dev@example.vn")
    return key


@pytest.fixture
def open311_data(world, api_key):
    def build(**overrides):
        data = {
            "api_key": api_key,
            "jurisdiction_id": world.ward_a.code,
            "service_code": str(world.category.pk),
            "description": "Đèn chiếu sáng ngõ 12 hỏng hơn một tháng, đi lại buổi tối rất nguy hiểm.",
            "first_name": NAME_FIRST,
            "last_name": NAME_LAST,
            "phone": PHONE,
            "email": EMAIL,
            "address_string": ADDRESS,
            "attribute[consent]": "true",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build


from tests.citizens.conftest import captcha_passes  # noqa: E402, F401 - the subscribe form's CAPTCHA
