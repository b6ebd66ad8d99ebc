"""No payload, however odd, makes the API answer 500."""

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.testing.fixtures import World

FIELDS = [
    "name",
    "short_name",
    "kind",
    "is_active",
    "username",
    "role",
    "agencies",
    "email",
    "password",
    "agency",
    "platform",
    "handle",
    "url",
    "mode",
    "status",
    "phone",
]
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=300)
    | st.sampled_from(["instagram", "officer", "dinas", "api", "1"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
payloads = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8) | values


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    payload=payloads,
    endpoint=st.sampled_from(["agencies", "officers", "channels"]),
    method=st.sampled_from(["post", "patch", "put"]),
)
def test_odd_payloads_never_cause_a_500(
    world: World, cora_client: Client, payload: object, endpoint: str, method: str
) -> None:
    target = {
        "agencies": world.agency_a.pk,
        "officers": world.alice.officer.pk,
        "channels": world.channel_a.pk,
    }[endpoint]
    path = f"/api/v1/{endpoint}/" if method == "post" else f"/api/v1/{endpoint}/{target}/"
    response = getattr(cora_client, method)(path, payload, content_type="application/json")
    assert response.status_code < 500, (response.status_code, payload)
