"""Any non-numeric or absurd id in an API path is a 404, never a server error."""

import pytest

from warta.api_urls import router
from warta.testing.fixtures import World

pytestmark = pytest.mark.django_db

DETAIL_PREFIXES = sorted(prefix for prefix, _viewset, _basename in router.registry)


@pytest.mark.parametrize("prefix", DETAIL_PREFIXES)
@pytest.mark.parametrize("bad_id", ["null,null", "abc", "-1", "1.5", "99999999999999999999999"])
def test_a_bad_id_in_the_path_is_not_found(world: World, cora_client, prefix: str, bad_id: str):
    response = cora_client.get(f"/api/v1/{prefix}/{bad_id}/")
    assert response.status_code == 404, (prefix, bad_id, response.status_code)
