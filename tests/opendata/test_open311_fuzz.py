"""A property-based fuzz of the live Open311 API against its OpenAPI description (schemathesis).

Every generated call must get an answer the description allows: no server error, no response that breaks
the schema. Bounded (a few examples per operation) so CI stays quick. The schema is loaded from the running
server; hypothesis drives each operation's strategy directly (schemathesis' pytest fixture loader does not
run under pytest 9).

`positive_data_acceptance` is left out: the description cannot say everything the web form checks (a
Vietnamese phone number, a category in force, text that is not only blanks), so a schema-valid body may
rightly get a 400 error list.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from opendata.services import issue_api_client
from tests import factories as f

OPERATIONS = [
    ("GET", "/discovery.json"),
    ("GET", "/services.json"),
    ("GET", "/services/{service_code}.json"),
    ("GET", "/requests.json"),
    ("POST", "/requests.json"),
    ("GET", "/requests/{service_request_id}.json"),
]


# A transactional marker (not the `transactional_db` fixture), so tests/conftest.py gives it a serialized
# rollback: its flush then restores the migrated rows for the transactional tests after it.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_live_api_has_no_server_errors_and_keeps_to_its_description(live_server, method, path):
    world = f.build_world()
    _client, key = issue_api_client(name="Fuzzer", contact_email="fuzz@example.vn")
    schema = schemathesis.openapi.from_url(f"{live_server.url}/open311/v2/openapi.json")
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        if method == "POST" and isinstance(case.body, dict):
            # Half the bodies carry a real key and ward, so the fuzz reaches the petition's validation.
            if len(str(case.body.get("api_key", ""))) % 2 == 0:
                case.body.update(api_key=key, jurisdiction_id=world.ward_a.code)
        case.call_and_validate(base_url=f"{live_server.url}/open311/v2", excluded_checks=[positive_data_acceptance])

    check()
